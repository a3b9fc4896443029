package io.replisim.simulator.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.replisim.azure.AzureErrorClassifier;
import io.replisim.azure.AzureErrorClassifier.Classification;
import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.MemoryBlobStorage;
import io.replisim.simulator.trace.TraceEvent;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Storage faults in front of the memory backend: one request a call, classified as docs/domain.md's error table says. */
class StorageFaultsTest {
    private final StorageFaults faults = StorageFaults.inFront();
    private final List<TraceEvent> events = new ArrayList<>();
    private final BlobStorage storage = faults.wrap(
            new MemoryBlobStorage(InstantSource.fixed(Instant.parse("2026-01-05T08:00:00Z"))), events::add);

    static Stream<Arguments> kinds() {
        return Stream.of(Arguments.of(FaultKind.STORAGE_UNAVAILABLE, "ServerBusy", 503, true),
                Arguments.of(FaultKind.STORAGE_INTERNAL_ERROR, "InternalError", 500, true),
                Arguments.of(FaultKind.AUTHENTICATION_FAILURE, "AuthenticationFailed", 403, false),
                Arguments.of(FaultKind.STORAGE_CONNECTION_RESET, "NetworkError", 0, true),
                Arguments.of(FaultKind.STORAGE_SLOW, "Timeout", 0, true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("kinds")
    void everyStorageKindAnswersEveryCallWhileItLasts(FaultKind kind, String code, int status, boolean recoverable) {
        faults.strike(kind, null);
        for (int i = 0; i < 3; i++) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> storage.createContainer("replicas"));
            Classification c = AzureErrorClassifier.classify(e);
            assertEquals(code, c.code(), e.toString());
            assertEquals(status, c.status());
            assertEquals(recoverable, c.recoverable());
            assertNull(StorageFaults.SdkRetried.of(e), "no client library in front of the memory backend");
        }
        faults.clear(kind);
        storage.createContainer("replicas");
        assertEquals(List.of(), events);
    }

    @Test
    void aBurstStrikesThatManyCallsThenTheyPass() {
        faults.strike(FaultKind.STORAGE_UNAVAILABLE, 2);
        assertThrows(RuntimeException.class, () -> storage.createContainer("replicas"));
        assertThrows(RuntimeException.class, () -> storage.containerExists("replicas"));
        storage.createContainer("replicas");
        storage.createContainer("logs");
    }

    @Test
    void aLaterStorageFaultReplacesAnEarlierOneAndOnlyTheActiveKindClears() {
        faults.strike(FaultKind.STORAGE_UNAVAILABLE, null);
        faults.strike(FaultKind.STORAGE_CONNECTION_RESET, null);
        faults.clear(FaultKind.STORAGE_UNAVAILABLE);
        assertEquals("NetworkError", AzureErrorClassifier.classify(
                assertThrows(RuntimeException.class, () -> storage.createContainer("replicas"))).code());
        faults.clear(FaultKind.STORAGE_CONNECTION_RESET);
        storage.createContainer("replicas");
    }

    @Test
    void onlyStorageKindsStrikeTheAccount() {
        assertThrows(IllegalArgumentException.class, () -> faults.strike(FaultKind.LOW_MEMORY, null));
    }
}
