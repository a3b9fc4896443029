package io.replisim.simulator.replication;

import io.replisim.hyperv.ReplicationState;

/** How one VM's replication ended: its summary, and when it first entered each state. */
public final class VmOutcome {
    private final VmSummary summary;
    private final ProtectedVm vm;

    VmOutcome(VmSummary summary, ProtectedVm vm) {
        this.summary = summary;
        this.vm = vm;
    }

    public VmSummary summary() {
        return summary;
    }

    /** The VM's health at {@code t} (nanoseconds from the start). */
    public String healthAt(long t) {
        return vm.healthAt(t).displayName();
    }

    /** The failovers of the VM: kind, data loss, verified. */
    public java.util.List<Failover> failovers() {
        return vm.failovers.done.stream().map(f -> new Failover(f.kind(), f.dataLoss(), f.verified())).toList();
    }

    /** A failover's outcome. */
    public record Failover(String kind, java.time.Duration dataLoss, boolean verified) {}

    /** Nanoseconds from the start until the VM first entered {@code state}, or -1 if it never did. */
    public long firstEntered(ReplicationState state) {
        return vm.firstEntered(state);
    }
}
