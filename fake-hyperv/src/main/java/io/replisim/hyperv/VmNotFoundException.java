package io.replisim.hyperv;

import java.io.IOException;

/**
 * The VM is not registered on its host (deleted, or unregistered and not yet re-imported): the
 * {@link HostFaultKind#VM_NOT_FOUND} fault. Site Recovery treats it as non-recoverable on a
 * standalone Hyper-V host: an administrator must act.
 */
public final class VmNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String vmName;
    private final String hostName;

    VmNotFoundException(String vmName, String hostName) {
        super("Hyper-V was unable to find a virtual machine with name \"" + vmName + "\" on host " + hostName + ".");
        this.vmName = vmName;
        this.hostName = hostName;
    }

    public String vmName() {
        return vmName;
    }

    public String hostName() {
        return hostName;
    }

    /** Always {@link HostFaultKind#VM_NOT_FOUND}. */
    public HostFaultKind kind() {
        return HostFaultKind.VM_NOT_FOUND;
    }
}
