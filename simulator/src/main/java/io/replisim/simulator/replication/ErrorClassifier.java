package io.replisim.simulator.replication;

import io.replisim.azure.AzureErrorClassifier;
import io.replisim.hyperv.HostResourceException;
import io.replisim.hyperv.VmNotFoundException;
import io.replisim.hyperv.VolumeFullException;
import io.replisim.hyperv.vhdx.BrokenChainException;
import io.replisim.simulator.fault.StorageFaults;

/**
 * Decides whether an error is retried (docs/domain.md, Error table). Errors from Azure, on the wire or
 * from the service, go through fake-azure's {@link AzureErrorClassifier}, the one table shared
 * with the storage backends; errors on the host and the uplink are classified here: network
 * errors, low disk space and low memory are recoverable; a broken VHD chain and a VM not found
 * (standalone Hyper-V) need an administrator.
 */
final class ErrorClassifier {
    private ErrorClassifier() {}

    /** Classifies {@code error}; an error no rule knows is a bug and is rethrown. */
    static ReplicationError classify(Throwable error) {
        if (error instanceof ResyncTrigger e) {
            return new ReplicationError("ResynchronizationRequired", false, e.getMessage());
        }
        if (error instanceof NetworkException e) {
            return new ReplicationError("NetworkError", true, e.getMessage());
        }
        if (error instanceof HostIoException e) {
            Throwable cause = e.getCause();
            if (cause instanceof VolumeFullException) {
                return new ReplicationError("LowDiskSpace", true, cause.getMessage());
            }
            if (cause instanceof BrokenChainException) {
                return new ReplicationError("BrokenVhdChain", false, cause.getMessage());
            }
            if (cause instanceof VmNotFoundException) {
                return new ReplicationError("VmNotFound", false, cause.getMessage());
            }
            if (cause instanceof HostResourceException) {
                return new ReplicationError("LowMemory", true, cause.getMessage());
            }
            throw e; // a host I/O failure no fault explains is a bug in the emulation
        }
        if (error instanceof io.replisim.azure.AzureException || error instanceof java.io.UncheckedIOException) {
            AzureErrorClassifier.Classification c = AzureErrorClassifier.classify(error);
            return new ReplicationError(c.code(), c.recoverable(), error.getMessage(), StorageFaults.SdkRetried.of(error));
        }
        if (error instanceof RuntimeException e) {
            throw e;
        }
        throw new IllegalStateException("unclassified error", error);
    }
}
