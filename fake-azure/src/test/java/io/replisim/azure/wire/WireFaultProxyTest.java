package io.replisim.azure.wire;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.azure.AzureErrorClassifier;
import io.replisim.azure.AzureErrorClassifier.Classification;
import io.replisim.azure.AzureErrorClassifier.ErrorClass;
import io.replisim.azure.ManualClock;
import io.replisim.azure.azurite.SharedAzurite;
import io.replisim.azure.storage.AzuriteBlobStorage;
import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.BlobStorageException;
import io.replisim.azure.wire.WireFaultProxy.InjectedFault;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Faults injected between the SDK and a real Azurite, and how each reaches the classifier. */
@ExtendWith(SharedAzurite.class)
class WireFaultProxyTest {
    private static final AtomicInteger CONTAINERS = new AtomicInteger();
    private static final ManualClock CLOCK = ManualClock.at("2026-01-05T08:00:00Z");
    private static WireFaultProxy proxy;

    private BlobStorage storage;
    private String c;

    @BeforeAll
    static void startProxy() {
        proxy = WireFaultProxy.start(SharedAzurite.server().endpoint(), CLOCK);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @BeforeEach
    void setUp() {
        storage = new AzuriteBlobStorage(proxy.endpoint(), Duration.ofSeconds(1));
        c = "wire-" + CONTAINERS.incrementAndGet();
        storage.createContainer(c);
        storage.createPageBlob(c, "disk.vhd", 64 * 1024);
    }

    @AfterEach
    void clearFaults() {
        proxy.clearFaults();
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private void putPage() {
        storage.uploadPages(c, "disk.vhd", 0, filled(512, 1), 0, 512);
    }

    @Test
    void requestsPassThroughWithTheirSharedKeySignature() {
        byte[] data = filled(1024 * 1024, 5);
        storage.createPageBlob(c, "big.vhd", data.length);
        storage.uploadPages(c, "big.vhd", 0, data, 0, data.length);
        assertArrayEquals(data, storage.downloadRange(c, "big.vhd", 0, data.length));
        String snap = storage.createSnapshot(c, "big.vhd");
        assertEquals(List.of(snap), storage.listSnapshots(c, "big.vhd"));

        // Azurite still checks signatures behind the proxy: a wrong key is refused
        BlobStorage wrongKey = new AzuriteBlobStorage(proxy.endpoint().withAccountKey("d3Jvbmcta2V5"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> wrongKey.blobSize(c, "big.vhd"));
        Classification k = AzureErrorClassifier.classify(e);
        assertEquals(ErrorClass.NON_RECOVERABLE, k.errorClass(), k.toString());
        assertEquals(403, k.status());
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(WireFault.serverBusy(), ErrorClass.RECOVERABLE, "ServerBusy", 503),
                Arguments.of(WireFault.internalError(), ErrorClass.RECOVERABLE, "InternalError", 500),
                Arguments.of(WireFault.authorizationFailure(), ErrorClass.NON_RECOVERABLE, "AuthorizationFailure", 403),
                Arguments.of(WireFault.connectionReset(), ErrorClass.RECOVERABLE, "NetworkError", 0),
                // the storage times out after 1 s
                Arguments.of(WireFault.slowResponse(Duration.ofSeconds(3)), ErrorClass.RECOVERABLE, "Timeout", 0));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("faults")
    void eachInjectedFaultReachesTheClassifierWithItsClass(WireFault fault, ErrorClass expected, String code,
            int status) {
        InjectedFault injected = proxy.inject(fault.on(BlobOperation.PUT_PAGE).times(1));
        RuntimeException e = assertThrows(RuntimeException.class, this::putPage);
        Classification k = AzureErrorClassifier.classify(e);
        assertEquals(expected, k.errorClass(), k + " from " + e);
        assertEquals(code, k.code(), e.toString());
        assertEquals(status, k.status());
        if (status != 0) {
            assertTrue(e instanceof BlobStorageException, e.toString());
        }
        assertEquals(1, injected.hits());
        assertTrue(injected.exhausted());
        putPage(); // used up: the next request passes
    }

    @Test
    void aCountedFaultHitsOnlyItsOperationAndOnlyTheNextNRequests() {
        InjectedFault busy = proxy.inject(WireFault.serverBusy().on(BlobOperation.PUT_PAGE).times(2));
        assertEquals(64 * 1024, storage.blobSize(c, "disk.vhd")); // another operation passes
        assertThrows(BlobStorageException.class, this::putPage);
        assertThrows(BlobStorageException.class, this::putPage);
        putPage();
        assertEquals(2, busy.hits());
        assertArrayEquals(filled(512, 1), storage.downloadRange(c, "disk.vhd", 0, 512));
    }

    @Test
    void aWindowedFaultFollowsTheProxysClock() {
        Instant start = CLOCK.instant().plus(Duration.ofHours(1));
        proxy.inject(WireFault.connectionReset().between(start, start.plus(Duration.ofMinutes(30))));
        putPage(); // before the window
        CLOCK.set(start);
        assertThrows(RuntimeException.class, this::putPage);
        assertThrows(RuntimeException.class, () -> storage.blobSize(c, "disk.vhd"));
        CLOCK.set(start.plus(Duration.ofMinutes(30)));
        putPage(); // the window is half-open
    }

    @Test
    void aRemovedFaultStopsApplyingAndTheLatestFaultWins() {
        InjectedFault reset = proxy.inject(WireFault.connectionReset().on(BlobOperation.GET_BLOB_PROPERTIES));
        InjectedFault busy = proxy.inject(WireFault.serverBusy().on(BlobOperation.GET_BLOB_PROPERTIES));
        BlobStorageException e = assertThrows(BlobStorageException.class, () -> storage.blobSize(c, "disk.vhd"));
        assertEquals("ServerBusy", e.errorCode());
        busy.remove();
        assertFalse(AzureErrorClassifier.classify(
                assertThrows(RuntimeException.class, () -> storage.blobSize(c, "disk.vhd"))).code().equals("ServerBusy"));
        reset.remove();
        assertEquals(List.of(), proxy.faults());
        assertEquals(64 * 1024, storage.blobSize(c, "disk.vhd"));
    }

    @Test
    void aSlowResponseArrivesLateButWhole() {
        storage.uploadPages(c, "disk.vhd", 4096, filled(4096, 6), 0, 4096);
        AzuriteBlobStorage patient = new AzuriteBlobStorage(proxy.endpoint(), Duration.ofSeconds(20));
        patient.blobSize(c, "disk.vhd"); // learn the size before the fault, so only the read is slow
        proxy.inject(WireFault.slowResponse(Duration.ofMillis(700)).on(BlobOperation.GET_BLOB));
        long started = System.nanoTime();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> patient.downloadRange(c, "disk.vhd", 4096,
                4096));
        await("slow read").atMost(Duration.ofSeconds(15)).until(read::isDone);
        assertArrayEquals(filled(4096, 6), read.join());
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(700).toNanos());
    }

    @Test
    void aWindowNeedsAClock() {
        try (WireFaultProxy clockless = WireFaultProxy.start(SharedAzurite.server().endpoint())) {
            WireFault windowed = WireFault.serverBusy().between(Instant.EPOCH, Instant.EPOCH.plusSeconds(1));
            assertThrows(IllegalStateException.class, () -> clockless.inject(windowed));
        }
    }
}
