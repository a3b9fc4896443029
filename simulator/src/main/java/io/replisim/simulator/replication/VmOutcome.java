package io.replisim.simulator.replication;

import io.replisim.hyperv.ReplicationHealth;
import io.replisim.hyperv.ReplicationState;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * How one VM's replication ended: its summary, its health over time, its failovers and when it
 * first entered each state. A value: it keeps nothing of the site, which can go once it ran.
 */
public final class VmOutcome {
    private final VmSummary summary;
    /** (time, health ordinal) at every health change. */
    private final List<long[]> healthChanges;
    private final List<Failover> failovers;
    /** (time, state ordinal) at every change of state. */
    private final List<long[]> entries;

    private final long irStartedAt;
    private final long peakPendingLogBytes;
    private final Histogram rpoMillis;

    VmOutcome(VmSummary summary, List<long[]> healthChanges, List<Failover> failovers,
              List<long[]> entries, long irStartedAt, long peakPendingLogBytes, Histogram rpoMillis) {
        this.entries = List.copyOf(entries);
        this.irStartedAt = irStartedAt;
        this.peakPendingLogBytes = peakPendingLogBytes;
        this.rpoMillis = rpoMillis;
        this.summary = summary;
        this.healthChanges = List.copyOf(healthChanges);
        this.failovers = List.copyOf(failovers);
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

    /** Nanoseconds from the start until initial replication started, or -1 if it never did. */
    public long initialReplicationStartedAt() {
        return irStartedAt;
    }

    /** The most log bytes that were pending on the host at once. */
    public long peakPendingLogBytes() {
        return peakPendingLogBytes;
    }

    /** The share (0 to 1) of the RPO samples at or below {@code target}; 1 without samples. */
    public double rpoWithin(Duration target) {
        long total = rpoMillis.getTotalCount();
        if (total == 0) {
            return 1;
        }
        // to the histogram's 3 significant digits
        return (double) rpoMillis.getCountBetweenValues(0, target.toMillis()) / total;
    }

    /** The RPO samples (milliseconds, one every 10 simulated seconds once a point exists). */
    public Histogram rpoMillis() {
        return rpoMillis.copy();
    }

    /** Nanoseconds from the start until the VM entered {@code state} after {@code after} (strictly later), or -1 if it did not. */
    public long enteredAfter(ReplicationState state, long after) {
        for (long[] e : entries) {
            if (e[0] > after && e[1] == state.ordinal()) {
                return e[0];
            }
        }
        return -1;
    }

    /** Nanoseconds from the start until the VM first entered {@code state}, or -1 if it never did. */
    public long firstEntered(ReplicationState state) {
        return enteredAfter(state, -1);
    }
}
