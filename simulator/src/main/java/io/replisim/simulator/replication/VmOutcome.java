package io.replisim.simulator.replication;

import io.replisim.hyperv.ReplicationHealth;
import io.replisim.hyperv.ReplicationState;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How one VM's replication ended: its summary, its health over time, its failovers and when it
 * first entered each state. A value: it keeps nothing of the site, which can go once it ran.
 */
public final class VmOutcome {
    private final VmSummary summary;
    /** (time, health ordinal) at every health change. */
    private final List<long[]> healthChanges;
    private final List<Failover> failovers;
    private final Map<ReplicationState, Long> firstEntered;

    VmOutcome(VmSummary summary, List<long[]> healthChanges, List<Failover> failovers, Map<ReplicationState, Long> firstEntered) {
        this.summary = summary;
        this.healthChanges = List.copyOf(healthChanges);
        this.failovers = List.copyOf(failovers);
        this.firstEntered = Map.copyOf(firstEntered);
    }

    public VmSummary summary() {
        return summary;
    }

    /** The VM's health at {@code t} (nanoseconds from the start). */
    public String healthAt(long t) {
        ReplicationHealth h = ReplicationHealth.NORMAL;
        for (long[] change : healthChanges) {
            if (change[0] > t) {
                break;
            }
            h = ReplicationHealth.values()[(int) change[1]];
        }
        return h.displayName();
    }

    /** The failovers of the VM: kind, data loss, verified. */
    public List<Failover> failovers() {
        return failovers;
    }

    /** A failover's outcome. */
    public record Failover(String kind, Duration dataLoss, boolean verified) {}

    /** Nanoseconds from the start until the VM first entered {@code state}, or -1 if it never did. */
    public long firstEntered(ReplicationState state) {
        return firstEntered.getOrDefault(state, -1L);
    }
}
