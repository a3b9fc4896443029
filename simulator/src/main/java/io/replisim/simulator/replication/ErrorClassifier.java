package io.replisim.simulator.replication;

import io.replisim.azure.AzureException;
import io.replisim.hyperv.VolumeFullException;
import io.replisim.hyperv.vhdx.BrokenChainException;

/**
 * The one place that decides whether an error is retried (DOMAIN.md's table): network errors,
 * low disk space, low memory and Azure's transient answers are recoverable; authentication and
 * authorization failures and a broken VHD chain need an administrator.
 */
final class ErrorClassifier {
    private ErrorClassifier() {}

    /** Classifies {@code error}; an error no rule knows is a bug and is rethrown. */
    static ReplicationError classify(Throwable error) {
        if (error instanceof NetworkException e) {
            return new ReplicationError("NetworkError", true, e.getMessage());
        }
        if (error instanceof VolumeFullException e) {
            return new ReplicationError("LowDiskSpace", true, e.getMessage());
        }
        if (error instanceof BrokenChainException e) {
            return new ReplicationError("BrokenVhdChain", false, e.getMessage());
        }
        if (error instanceof AzureException e) {
            boolean denied = e.statusCode() == 401 || e.statusCode() == 403;
            return new ReplicationError(e.errorCode(), !denied, e.getMessage());
        }
        if (error instanceof java.io.UncheckedIOException e && e.getCause() != null) {
            return classify(e.getCause());
        }
        if (error instanceof RuntimeException e) {
            throw e;
        }
        throw new IllegalStateException("unclassified error", error);
    }
}
