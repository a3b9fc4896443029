package io.replisim.hyperv;

import java.io.IOException;

/**
 * The host lacks a resource the operation needs: the {@link HostFaultKind#LOW_MEMORY} fault
 * makes replication operations throw it until the fault is cleared. Site Recovery retries such
 * errors (recoverable). Low disk space has its own exception, {@link VolumeFullException}.
 */
public final class HostResourceException extends IOException {

    private static final long serialVersionUID = 1L;

    private final HostFaultKind kind;
    private final String hostName;

    HostResourceException(HostFaultKind kind, String hostName, String operation) {
        super("Not enough memory resources are available to process this command: " + operation + " on host "
                + hostName);
        this.kind = kind;
        this.hostName = hostName;
    }

    /** The lacking resource, as a fault kind: {@link HostFaultKind#LOW_MEMORY}. */
    public HostFaultKind kind() {
        return kind;
    }

    public String hostName() {
        return hostName;
    }
}
