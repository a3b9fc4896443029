package io.replisim.simulator.replication;

import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.kernel.Action;

/**
 * Delta replication (docs/domain.md, Delta replication): every copy-frequency interval the active logs
 * are sealed and shipped, the vault applies them and a recovery point is made. A cycle that overruns the
 * interval delays the next one. At the end of the run one more cycle ships what was written before the
 * workload stopped; a planned failover's final sync is one more cycle too.
 */
final class DeltaReplication {
    private final ProtectedVm p;
    private boolean draining;
    private boolean switchedWhileDraining;
    private boolean cycleInFlight;
    private long cycleHandle;
    private long lastCycleStart = -1;
    /** Runs once a cycle started at or after {@link #afterNextCycleAt} has made its recovery point. */
    private Runnable afterNextCycle;
    private long afterNextCycleAt;

    private final Action cycleAction = new Action() {
        @Override
        public void run() {
            cycleHandle = 0;
            startCycle();
        }

        @Override
        public String name() {
            return "delta-cycle " + p.name();
        }
    };

    DeltaReplication(ProtectedVm p) {
        this.p = p;
    }

    private void startCycle() {
        ReplicationState state = p.vm.replicationState();
        if (state != ReplicationState.REPLICATING && state != ReplicationState.PREPARED_FOR_PLANNED_FAILOVER
                || cycleInFlight && lastCycleStart == p.now()) {
            return; // a continuation that lost its reason (a resume after things moved on), or a duplicate
        }
        cycleInFlight = true;
        lastCycleStart = p.now();
        p.retries.attempt(this::startCycle, () -> {
            p.logs.switchLogs();
            p.logs.shipPending(this::startCycle, () -> {
                p.retries.succeeded();
                p.points.create();
                cycleInFlight = false;
                cycleDone();
            });
        });
    }

    /** The copy-frequency grid restarts now (the end of initial replication, resync or reprotect). */
    void cycleStartsNow() {
        lastCycleStart = p.now();
    }

    /** As if the last cycle had started at {@code t}: the next starts a copy interval after it. */
    void cycleStartsAt(long t) {
        lastCycleStart = t;
    }

    /**
     * Plans the next cycle: one copy-frequency after the last started, or at once when the last
     * overran the interval (the next cycle waits, as Hyper-V does). While draining, one more cycle
     * ships what was written before the workload stopped, then nothing more is scheduled.
     */
    void cycleDone() {
        if (afterNextCycle != null && lastCycleStart >= afterNextCycleAt) {
            Runnable then = afterNextCycle;
            afterNextCycle = null;
            then.run();
            return;
        }
        if (afterNextCycle != null) {
            startCycle(); // the cycle that just ended began before the request: one more
            return;
        }
        if (p.failedOver() || p.disablingOrDisabled()) {
            return;
        }
        long now = p.now();
        if (draining) {
            if (!switchedWhileDraining) {
                startCycle();
            }
            return;
        }
        long next = Math.max(now, lastCycleStart + p.site.copyFrequency());
        cycleHandle = p.site.kernel().schedule(next, cycleAction);
    }

    /** The workload stopped: ship the last log as soon as nothing else is in flight. */
    void drain() {
        draining = true;
        if (p.failedOver() || p.disablingOrDisabled()) {
            return;
        }
        if (!p.lifecycle.deltaBegan() || cycleInFlight || p.retries.retryDue() || p.retries.awaitingAdmin()
                || p.vm.replicationState() == ReplicationState.RESYNCHRONIZATION_REQUIRED
                || p.vm.replicationState() == ReplicationState.RESYNCHRONIZING) {
            return; // the running step, the retry or the admin's fix leads to cycleDone()
        }
        cancelScheduled();
        startCycle();
    }

    /** A log switch: after the workload stopped, it seals the last writes (one at the same instant may not). */
    void noteSwitch() {
        switchedWhileDraining |= draining;
    }

    /** A planned failover's final sync: waits for the cycle in flight, then runs one more, then {@code then}. */
    void finalSync(Runnable then) {
        afterNextCycle = then;
        afterNextCycleAt = p.now();
        if (!cycleInFlight && !p.retries.retryDue()) {
            cancelScheduled();
            startCycle();
        }
    }

    /** Replication stopped: no cycle is planned or in flight, no final sync waits. */
    void stop() {
        cancelScheduled();
    }

    void forgetInFlight() {
        cycleInFlight = false;
        afterNextCycle = null;
    }

    private void cancelScheduled() {
        if (cycleHandle != 0) {
            p.site.kernel().cancel(cycleHandle);
        }
        cycleHandle = 0;
    }

    /** Whether, after the workload stopped, this VM still has a cycle to run or finish. */
    boolean busyAfterStop() {
        return !draining || !p.lifecycle.deltaBegan() || cycleInFlight || !switchedWhileDraining;
    }
}
