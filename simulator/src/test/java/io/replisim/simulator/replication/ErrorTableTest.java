package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.replisim.azure.AzureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/**
 * docs/domain.md, Error table, row by row for the errors the stack's classifier meets directly;
 * the host's own faults (low disk space, low memory, VM not found, a broken chain) are held to
 * it through whole runs in HostFaultTest.
 */
class ErrorTableTest {

    private static String row(Throwable error) {
        ReplicationError e = ErrorClassifier.classify(error);
        return e.code() + (e.recoverable() ? " recoverable" : " needs an administrator");
    }

    @Test
    void theUplinkAndAzuresAnswersAreClassifiedByTheTable() {
        assertEquals("NetworkError recoverable", row(new NetworkException("the uplink is down")));
        assertEquals("ServerBusy recoverable", row(new AzureException("ServerBusy", 503, "busy")));
        assertEquals("OperationTimedOut recoverable", row(new AzureException("OperationTimedOut", 408, "slow")));
        assertEquals("AuthenticationFailed needs an administrator", row(new AzureException("AuthenticationFailed", 401, "no")));
        assertEquals("Http404 needs an administrator", row(new AzureException(null, 404, "gone")));
        // the SDK's connection failures come wrapped in UncheckedIOException
        assertEquals("NetworkError recoverable", row(new UncheckedIOException(new ConnectException("refused"))));
    }

    @Test
    void trackingThatCannotBeTrustedNeedsAResyncNotARetry() {
        assertEquals("ResynchronizationRequired needs an administrator",
                row(new ResyncTrigger("log-not-closed-cleanly", "a log was not closed cleanly")));
    }

    @Test
    void anErrorNoRuleKnowsIsABugAndStopsTheRun() {
        IllegalArgumentException bug = new IllegalArgumentException("a bug");
        assertSame(bug, assertThrows(IllegalArgumentException.class, () -> ErrorClassifier.classify(bug)));
        HostIoException unexplained = new HostIoException(new IOException("no fault explains this"));
        assertSame(unexplained, assertThrows(HostIoException.class, () -> ErrorClassifier.classify(unexplained)));
        IllegalStateException checked = assertThrows(IllegalStateException.class,
                () -> ErrorClassifier.classify(new IOException("checked")));
        assertEquals("unclassified error", checked.getMessage());
    }
}
