package io.replisim.azure.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.replisim.azure.AzureErrorClassifier;
import io.replisim.azure.AzureErrorClassifier.Classification;
import io.replisim.azure.azurite.SharedAzurite;
import io.replisim.azure.storage.AzuriteBlobStorage;
import io.replisim.azure.storage.SdkRetryPolicy;
import io.replisim.azure.wire.WireFaultProxy.InjectedFault;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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

/**
 * The Azure SDK's own retry policy against faults on the wire (docs/fake-azure.md, "Two retry
 * layers"), with the policy replisim's runs use: 4 tries, 10 ms apart. Faults are counted in
 * requests, so what the SDK absorbs and what reaches the caller never depends on timing.
 */
@ExtendWith(SharedAzurite.class)
class SdkRetriesOnTheWireTest {
    private static final AtomicInteger CONTAINERS = new AtomicInteger();
    private static final int TRIES = SdkRetryPolicy.RUNS.maxTries();
    private static WireFaultProxy proxy;

    private AzuriteBlobStorage storage;
    private String c;

    @BeforeAll
    static void startProxy() {
        proxy = WireFaultProxy.start(SharedAzurite.server().endpoint());
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @BeforeEach
    void setUp() {
        storage = new AzuriteBlobStorage(proxy.endpoint(), Duration.ofSeconds(1), SdkRetryPolicy.RUNS);
        c = "sdk-" + CONTAINERS.incrementAndGet();
        storage.createContainer(c);
        storage.createPageBlob(c, "disk.vhd", 64 * 1024);
    }

    @AfterEach
    void clearFaults() {
        proxy.clearFaults();
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[512];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private void putPage(int value) {
        storage.uploadPages(c, "disk.vhd", 0, filled(value), 0, 512);
    }

    /** The SDK's retries during {@code call}. */
    private long retriesDuring(Runnable call) {
        long before = storage.sdkRetries();
        call.run();
        return storage.sdkRetries() - before;
    }

    /** The failure of {@code call}, classified, with the SDK's retries during it. */
    private record Failure(Classification classification, long retries) {}

    private Failure failure(Runnable call) {
        long before = storage.sdkRetries();
        RuntimeException e = assertThrows(RuntimeException.class, call::run);
        return new Failure(AzureErrorClassifier.classify(e), storage.sdkRetries() - before);
    }

    static Stream<Arguments> retriedFaults() {
        Supplier<WireFault> busy = WireFault::serverBusy;
        Supplier<WireFault> internal = WireFault::internalError;
        Supplier<WireFault> reset = WireFault::connectionReset;
        return Stream.of(Arguments.of("503 ServerBusy", busy, "ServerBusy"),
                Arguments.of("500 InternalError", internal, "InternalError"),
                Arguments.of("connection reset", reset, "NetworkError"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retriedFaults")
    void aBurstShorterThanTheRetryBudgetIsAbsorbedByTheSdk(String name, Supplier<WireFault> fault, String code) {
        InjectedFault burst = proxy.inject(fault.get().on(BlobOperation.PUT_PAGE).times(TRIES - 1));
        assertEquals(TRIES - 1, retriesDuring(() -> putPage(7)), "the caller saw success after the SDK's retries");
        assertEquals(TRIES - 1, burst.hits());
        assertArrayEquals(filled(7), storage.downloadRange(c, "disk.vhd", 0, 512));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retriedFaults")
    void aLongerBurstReachesTheCallerAfterEveryTry(String name, Supplier<WireFault> fault, String code) {
        InjectedFault burst = proxy.inject(fault.get().on(BlobOperation.PUT_PAGE).times(TRIES + 1));
        Failure f = failure(() -> putPage(7));
        assertEquals(code, f.classification().code());
        assertEquals(true, f.classification().recoverable(), "the stack's retry ladder takes it from here");
        assertEquals(TRIES - 1, f.retries());
        assertEquals(TRIES, burst.hits());
        // what is left of the burst is the next call's, and the SDK absorbs it
        assertEquals(1, retriesDuring(() -> putPage(8)));
        assertArrayEquals(filled(8), storage.downloadRange(c, "disk.vhd", 0, 512));
    }

    @Test
    void authenticationFailedIsNeverRetriedByTheSdk() {
        InjectedFault refused = proxy.inject(WireFault.authenticationFailed().times(2));
        Failure f = failure(() -> putPage(7));
        assertEquals("AuthenticationFailed", f.classification().code());
        assertEquals(false, f.classification().recoverable());
        assertEquals(0, f.retries());
        assertEquals(1, refused.hits());
    }

    @Test
    void aServerTimeoutPastTheTryTimeoutIsAClientTimeoutThatChangesNothing() {
        InjectedFault held = proxy.inject(WireFault.serverTimeout(Duration.ofSeconds(3)).on(BlobOperation.PUT_PAGE));
        Failure f = failure(() -> putPage(7));
        assertEquals("Timeout", f.classification().code());
        assertEquals(TRIES - 1, f.retries(), "the SDK retries its own timeouts");
        assertEquals(TRIES, held.hits());
        held.remove();
        assertArrayEquals(new byte[512], storage.downloadRange(c, "disk.vhd", 0, 512), "no try reached the account");
    }

    @Test
    void aServerTimeoutWithinTheTryTimeoutIsA500TheSdkRetries() {
        InjectedFault held = proxy.inject(WireFault.serverTimeout(Duration.ofMillis(100)).on(BlobOperation.PUT_PAGE).times(1));
        assertEquals(1, retriesDuring(() -> putPage(7)));
        assertEquals(1, held.hits());
        assertArrayEquals(filled(7), storage.downloadRange(c, "disk.vhd", 0, 512));
    }

    @Test
    void aSlowResponseWithinTheTryTimeoutIsOnlyLate() {
        proxy.inject(WireFault.slowResponse(Duration.ofMillis(300)).on(BlobOperation.PUT_PAGE).times(1));
        assertEquals(0, retriesDuring(() -> putPage(7)));
        assertArrayEquals(filled(7), storage.downloadRange(c, "disk.vhd", 0, 512));
    }

    @Test
    void withoutAPolicyEveryFailureReachesTheCaller() {
        AzuriteBlobStorage once = new AzuriteBlobStorage(proxy.endpoint(), Duration.ofSeconds(1));
        InjectedFault busy = proxy.inject(WireFault.serverBusy().on(BlobOperation.GET_BLOB_PROPERTIES).times(1));
        long before = once.sdkRetries();
        assertThrows(RuntimeException.class, () -> once.blobSize(c, "disk.vhd"));
        assertEquals(before, once.sdkRetries());
        assertEquals(1, busy.hits());
    }
}
