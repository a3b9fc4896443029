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
 * health by the rules of docs/domain.md, Health ({@code vm.health}) and the RPO, sampled every workload step.
 * The RPO (the time since the newest recovery point's point in time) is measured from the VM's
 * first point while the workload runs, except while replication to Azure is not standing (failed
 * over, or not enabled: a failover's data loss is its own figure); its highest value is kept
 * exactly, at the ends of the linear rises: as a new point comes, as measuring pauses or stops.
 */
final class Health {
    private final ProtectedVm p;
    private ReplicationState observedState;
    private ReplicationHealth observedHealth;
    private final Map<ReplicationState, Long> firstEntered = new EnumMap<>(ReplicationState.class);
    private final List<long[]> entries = new ArrayList<>();
    /** (time, health ordinal) at every health change, for expectations on health at a time. */
    private final List<long[]> changes = new ArrayList<>();
    /** RPO samples in milliseconds, taken every workload step once a recovery point exists. */
    final Histogram rpoMillis = new Histogram(3);
    /** The highest RPO measured, exact (nanoseconds), or -1. */
    private long peakRpo = -1;
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
        entries.add(new long[] {0, observedState.ordinal()});
    }

    /** Emits vm.state and vm.health when Hyper-V's view of the VM changed. */
    void observe() {
        ReplicationState state = p.vm.replicationState();
        if (state != observedState) {
            sampleSteps(p.now(), false); // flow: the steps before now had the old state
            fillRpo(p.now());
            peak(p.now());
            boolean resync = resyncing(state);
            if (resync != resyncing(observedState)) {
                if (resync) {
                    resyncSpans.add(new long[] {p.now(), Long.MAX_VALUE});
                } else if (!resyncSpans.isEmpty()) {
                    resyncSpans.get(resyncSpans.size() - 1)[1] = p.now();
                }
            }
            p.trace(new TraceEvent.VmState(p.host, p.name(), observedState.displayName(), state.displayName()));
            observedState = state;
            firstEntered.putIfAbsent(state, p.now());
            entries.add(new long[] {p.now(), state.ordinal()});
            p.lookAt(ReplicationSite.stepAfter(p.now())); // flow: the threshold as the state now has it
        }
        update();
    }

    /**
     * Every workload step: an RPO sample, and the time-based health rules re-evaluated. In flow
     * fidelity, at every look: one sample for each 10-second step since the last, as model
     * fidelity's workload step would have taken them.
     */
    void sample() {
        if (!p.site.flow()) {
            if (lastRecoveryPointAt >= 0 && measured(p.vm.replicationState())) {
                rpoMillis.recordValue((p.now() - lastRecoveryPointAt) / 1_000_000);
            }
        } else {
            sampleSteps(p.now(), true);
        }
        update();
    }

    /** Flow fidelity: the last 10-second step whose RPO sample was taken. */
    private long lastSampled;

    /**
     * Flow fidelity: the RPO samples of the 10-second steps since the last sampled, up to
     * {@code t} (and at it if {@code inclusive}), with the newest point and the state as they
     * stood over them; none once the workload stopped (its last step was sampled).
     */
    private void sampleSteps(long t, boolean inclusive) {
        if (!p.site.flow() || !p.site.workloadRunning()) {
            return;
        }
        long last = (inclusive ? t : t - 1) / Timings.WORKLOAD_STEP * Timings.WORKLOAD_STEP;
        if (lastRecoveryPointAt >= 0 && measured(observedState)) {
            for (long step = lastSampled + Timings.WORKLOAD_STEP; step <= last; step += Timings.WORKLOAD_STEP) {
                rpoMillis.recordValue((step - lastRecoveryPointAt) / 1_000_000);
            }
        }
        lastSampled = Math.max(lastSampled, last);
    }

    /** Whether the RPO is measured in {@code state}: replication to Azure stands (not failed over, not disabled). */
    static boolean measured(ReplicationState state) {
        return state != ReplicationState.NOT_ENABLED && state != ReplicationState.FAILOVER_COMPLETE;
    }

    /** The RPO at {@code now} into the peak, if it is measured: called at every end of a rise, before what ends it. */
    private void peak(long now) {
        if (lastRecoveryPointAt >= 0 && measured(observedState) && p.site.workloadRunning()) {
            peakRpo = Math.max(peakRpo, now - lastRecoveryPointAt);
        }
    }

    /** The workload stops: so does measuring the RPO. */
    void workloadStops() {
        peak(p.now());
    }

    /** The highest RPO measured (see the class), or -1 if none was. */
    long peakRpo() {
        return peakRpo;
    }

    /** The spans spent resynchronizing or waiting for it, the last closed at {@code end} if still open. */
    List<long[]> resyncSpans(long end) {
        return resyncSpans.stream().map(s -> new long[] {s[0], Math.min(s[1], end)}).toList();
    }

    private final List<long[]> resyncSpans = new ArrayList<>();
    /** Up to here the RPO went into the site's figures. */
    private long rpoFilled;

    private static boolean resyncing(ReplicationState s) {
        return s == ReplicationState.RESYNCHRONIZATION_REQUIRED || s == ReplicationState.RESYNCHRONIZING
                || s == ReplicationState.RESYNCHRONIZATION_SUSPENDED;
    }

    /** The RPO up to {@code t}, as the newest point and the state have it, into the site's figures over time. */
    void fillRpo(long t) {
        SiteSeries series = p.site.seriesOrNull();
        if (series != null && t > rpoFilled && lastRecoveryPointAt >= 0 && measured(observedState)) {
            series.rpo(p.index, rpoFilled, t, lastRecoveryPointAt);
        }
        rpoFilled = Math.max(rpoFilled, t);
    }

    /** A recovery point standing for {@code pointTime} was made at {@code now}: the RPO it ends, or null for the first. */
    Duration pointCreated(long pointTime, long now) {
        sampleSteps(now, false);
        fillRpo(now);
        peak(now);
        Duration rpo = lastRecoveryPointAt < 0 ? null : SimTime.toDuration(now - lastRecoveryPointAt);
        lastRecoveryPointAt = pointTime;
        recentSyncs.addLast(now);
        if (p.site.flow() && p.vm.replicationState() == ReplicationState.REPLICATING && monitoredSince >= 0) {
            // model fidelity's next workload step re-evaluates the time-based rules with this sync
            p.lookAt(timeRulesWarn(now) != warns ? ReplicationSite.stepAfter(now) : timeRulesChange(now));
        }
        return rpo;
    }

    /** Reprotect: the old direction's points are gone; the RPO and the missed cycles start again. */
    void forgetPoints() {
        sampleSteps(p.now(), false);
        fillRpo(p.now());
        peak(p.now());
        lastRecoveryPointAt = -1;
        recentSyncs.clear();
        monitoredSince = -1;
    }


    /**
     * Health as Site Recovery shows it (docs/domain.md, Health): Hyper-V's view of the state (Warning
     * while initial replication or resynchronization runs, Critical when resynchronization is required or
     * in Error), made worse by what the stack sees: Warning while retrying on the ladder, over an hour
     * since the last sync, or more than 20% of the last hour's cycles missed (counted over the whole
     * hour, time in Error included); Critical once an error persists (30-minute retries: the VM cannot
     * send), and after an administrator's resume until the resumed work made progress.
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
            warns = timeRulesWarn(now);
            if (warns) {
                health = worse(health, ReplicationHealth.WARNING);
            }
            p.lookAt(timeRulesChange(now)); // flow: nothing else may look then
        }
        if (health != observedHealth) {
            changes.add(new long[] {p.now(), health.ordinal()});
            p.trace(new TraceEvent.VmHealth(p.host, p.name(), observedHealth.displayName(), health.displayName()));
            observedHealth = health;
        }
    }

    /** What the time-based rules said when health was last evaluated. */
    private boolean warns;

    /** The time-based rules at {@code t}, as things stand: over an hour since the last sync, or more than 20% of the last hour's cycles missed. */
    private boolean timeRulesWarn(long t) {
        long observed = Math.min(SimTime.hours(1), t - monitoredSince);
        long expected = observed / p.site.copyFrequency();
        long recent = 0;
        for (long sync : recentSyncs) {
            if (sync > t - SimTime.hours(1)) {
                recent++;
            }
        }
        long missed = expected - recent;
        return lastRecoveryPointAt >= 0 && t - lastRecoveryPointAt > SimTime.hours(1) || expected > 0 && missed * 5 > expected;
    }

    /**
     * Flow fidelity: the first 10-second step after {@code now} at which the time-based rules
     * would judge differently if nothing else happened ({@code Long.MAX_VALUE}: none). They can
     * only change where the last sync turns an hour old, a recent sync leaves the hour, or
     * another cycle is expected in the first hour watched.
     */
    private long timeRulesChange(long now) {
        if (!p.site.flow()) {
            return Long.MAX_VALUE;
        }
        boolean warns = timeRulesWarn(now);
        long hour = SimTime.hours(1);
        long cf = p.site.copyFrequency();
        java.util.Iterator<Long> syncs = recentSyncs.iterator();
        long sync = syncs.hasNext() ? ceilStep(syncs.next() + hour) : Long.MAX_VALUE;
        long stale = lastRecoveryPointAt >= 0 ? ReplicationSite.stepAfter(lastRecoveryPointAt + hour) : Long.MAX_VALUE;
        long k = Math.max(1, (now - monitoredSince) / cf + 1);
        long expect = k * cf <= hour ? ceilStep(monitoredSince + k * cf) : Long.MAX_VALUE;
        while (true) {
            long t = Math.min(sync, Math.min(stale, expect));
            if (t == Long.MAX_VALUE) {
                return t;
            }
            if (t > now && timeRulesWarn(t) != warns) {
                return t;
            }
            if (t == sync) {
                sync = syncs.hasNext() ? ceilStep(syncs.next() + hour) : Long.MAX_VALUE;
            }
            if (t == stale) {
                stale = Long.MAX_VALUE;
            }
            if (t == expect) {
                k++;
                expect = k * cf <= hour ? ceilStep(monitoredSince + k * cf) : Long.MAX_VALUE;
            }
        }
    }

    private static long ceilStep(long t) {
        return (t + Timings.WORKLOAD_STEP - 1) / Timings.WORKLOAD_STEP * Timings.WORKLOAD_STEP;
    }

    private static ReplicationHealth worse(ReplicationHealth a, ReplicationHealth b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** (time, health ordinal) at every health change. */
    List<long[]> changes() {
        return changes;
    }

    /** When the VM first entered each state it entered. */
    /** (time, state ordinal) at every change of state, the first at 0. */
    List<long[]> entries() {
        return entries;
    }

    Map<ReplicationState, Long> firstEntered() {
        return firstEntered;
    }
}
