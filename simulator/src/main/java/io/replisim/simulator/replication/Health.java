package io.replisim.simulator.replication;

import io.replisim.hyperv.ReplicationHealth;
import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.trace.TraceEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the portal shows of a VM: Hyper-V's replication state as it changes ({@code vm.state}),
 * health by DOMAIN.md's rules ({@code vm.health}) and the RPO, sampled every workload step.
 */
final class Health {
    private final ProtectedVm p;
    private ReplicationState observedState;
    private ReplicationHealth observedHealth;
    private final Map<ReplicationState, Long> firstEntered = new EnumMap<>(ReplicationState.class);
    /** (time, health ordinal) at every health change, for expectations on health at a time. */
    private final List<long[]> changes = new ArrayList<>();
    /** RPO samples in milliseconds, taken every workload step once a recovery point exists. */
    final Histogram rpoMillis = new Histogram(3);
    private long lastRecoveryPointAt = -1;
    /**
     * When delta replication was first seen (since protection was enabled or reprotected): the
     * missed-cycles rule counts from then over the last hour, whatever states the VM passed
     * through, so an hour in Error counts as an hour of missed cycles.
     */
    private long monitoredSince = -1;

    /** When recent cycles succeeded, for the missed-cycles rule; older than an hour are dropped. */
    private final ArrayDeque<Long> recentSyncs = new ArrayDeque<>();

    Health(ProtectedVm p) {
        this.p = p;
        this.observedState = p.vm.replicationState();
        this.observedHealth = p.vm.replicationHealth();
        firstEntered.put(observedState, 0L);
    }

    /** Emits vm.state and vm.health when Hyper-V's view of the VM changed. */
    void observe() {
        ReplicationState state = p.vm.replicationState();
        if (state != observedState) {
            p.trace(new TraceEvent.VmState(p.host, p.name(), observedState.displayName(), state.displayName()));
            observedState = state;
            firstEntered.putIfAbsent(state, p.now());
        }
        update();
    }

    /** Every workload step: an RPO sample, and the time-based health rules re-evaluated. */
    void sample() {
        long now = p.now();
        if (lastRecoveryPointAt >= 0 && p.vm.replicationState() != ReplicationState.NOT_ENABLED) {
            rpoMillis.recordValue((now - lastRecoveryPointAt) / 1_000_000);
        }
        update();
    }

    /** A recovery point standing for {@code pointTime} was made at {@code now}: the RPO it ends, or null for the first. */
    Duration pointCreated(long pointTime, long now) {
        Duration rpo = lastRecoveryPointAt < 0 ? null : SimTime.toDuration(now - lastRecoveryPointAt);
        lastRecoveryPointAt = pointTime;
        recentSyncs.addLast(now);
        return rpo;
    }

    /** Reprotect: the old direction's points are gone; the RPO and the missed cycles start again. */
    void forgetPoints() {
        lastRecoveryPointAt = -1;
        recentSyncs.clear();
        monitoredSince = -1;
    }


    /**
     * Health as Site Recovery shows it (DOMAIN.md): Hyper-V's view of the state (Warning while
     * initial replication or resynchronization runs, Critical when resynchronization is required
     * or in Error), made worse by what the stack sees: Warning while retrying on the ladder, over
     * an hour since the last sync, or more than 20% of the last hour's cycles missed (counted
     * over the whole hour, time in Error included); Critical once an error persists (30-minute
     * retries: the VM cannot send), and after an administrator's resume until the resumed work
     * made progress.
     */
    void update() {
        ReplicationHealth health = p.vm.replicationHealth();
        if (p.retries.awaitingAdmin() || p.retries.unproven()) {
            health = ReplicationHealth.CRITICAL; // cannot send, or not shown to send again since a resume
        }
        int failedAttempts = p.retries.failedAttempts();
        if (failedAttempts > 0) {
            health = worse(health, RetryLadder.persistent(failedAttempts) ? ReplicationHealth.CRITICAL : ReplicationHealth.WARNING);
        }
        if (p.vm.replicationState() == ReplicationState.REPLICATING) {
            long now = p.now();
            if (monitoredSince < 0) {
                monitoredSince = now;
            }
            while (!recentSyncs.isEmpty() && recentSyncs.peekFirst() <= now - SimTime.hours(1)) {
                recentSyncs.pollFirst();
            }
            long observed = Math.min(SimTime.hours(1), now - monitoredSince);
            long expected = observed / p.site.copyFrequency();
            long missed = expected - recentSyncs.size();
            if (lastRecoveryPointAt >= 0 && now - lastRecoveryPointAt > SimTime.hours(1)
                    || expected > 0 && missed * 5 > expected) {
                health = worse(health, ReplicationHealth.WARNING);
            }
        }
        if (health != observedHealth) {
            changes.add(new long[] {p.now(), health.ordinal()});
            p.trace(new TraceEvent.VmHealth(p.host, p.name(), observedHealth.displayName(), health.displayName()));
            observedHealth = health;
        }
    }

    private static ReplicationHealth worse(ReplicationHealth a, ReplicationHealth b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** (time, health ordinal) at every health change. */
    List<long[]> changes() {
        return changes;
    }

    /** When the VM first entered each state it entered. */
    Map<ReplicationState, Long> firstEntered() {
        return firstEntered;
    }
}
