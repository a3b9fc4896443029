package io.replisim.simulator.replication;

import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.run.RunRecord;

/** How one VM's replication ended: its summary, and when it first entered each state. */
public final class VmOutcome {
    private final RunRecord.VmSummary summary;
    private final VmReplication vm;

    VmOutcome(RunRecord.VmSummary summary, VmReplication vm) {
        this.summary = summary;
        this.vm = vm;
    }

    public RunRecord.VmSummary summary() {
        return summary;
    }

    /** Nanoseconds from the start until the VM first entered {@code state}, or -1 if it never did. */
    public long firstEntered(ReplicationState state) {
        return vm.firstEntered(state);
    }
}
