package io.replisim.simulator.replication;

import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.trace.TraceEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens to a VM's {@link Operation}s when they fail (docs/domain.md, Error table, classified by
 * {@link ErrorClassifier}): a recoverable error retries the operation on the ladder (1, 2, 4, 8,
 * 10 minutes, then every 30), a non-recoverable one puts the VM in Error until an administrator
 * resumes it, and then every operation that waited runs again, in the order they failed. An error
 * only a resynchronization can repair requires one instead.
 */
final class Retries {
    private final ProtectedVm p;
    /** Consecutive failed attempts of the current work; 0 after a success. */
    private int failedAttempts;
    private long retryHandle;
    /** What runs again once an administrator acts, in the order it failed. */
    private final List<Operation> awaitingAdmin = new ArrayList<>();
    /** Hyper-V's state before the error put the VM in Error (null: Hyper-V could not show the error). */
    private ReplicationState stateBeforeError;
    /** Resumed by an administrator, and the resumed work has not made progress yet. */
    private boolean unproven;

    Retries(ProtectedVm p) {
        this.p = p;
    }

    /** Runs {@code body}; an error it raises fails the attempt, to be retried by {@code retry}. */
    void attempt(Runnable retry, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            failed(e, null, retry);
        }
    }

    /** {@code body} as work that is itself retried, on the ladder, if it fails again. */
    Runnable guarded(Runnable body) {
        Runnable[] self = new Runnable[1];
        self[0] = () -> attempt(self[0], body);
        return self[0];
    }

    /** Progress: the ladder starts over. */
    void succeeded() {
        if (failedAttempts > 0 || unproven) {
            failedAttempts = 0;
            unproven = false;
            p.health.update();
        }
    }

    /** Progress that is not a transfer (a job's step done): a resume is proven, the ladder stays as it is. */
    void progressed() {
        if (unproven) {
            unproven = false;
            p.health.update();
        }
    }

    /** Whether an administrator resumed and the resumed work has not made progress yet. */
    boolean unproven() {
        return unproven;
    }

    void failed(Throwable cause, String disk, Runnable retry) {
        failed(cause, disk, null, retry);
    }

    /**
     * Records the error and either schedules {@code retry} on the retry ladder (recoverable) or
     * keeps it for the administrator (non-recoverable); {@code job} names the job whose step
     * failed, if one did.
     */
    void failed(Throwable cause, String disk, String job, Runnable retry) {
        if (cause instanceof ResyncTrigger trigger) {
            p.figures.errors++; // an error the trace shows, as every other: the summary counts what the trace says
            p.trace(new TraceEvent.ErrorRaised(p.host, p.name(), disk, null, "ResynchronizationRequired", false,
                    trigger.getMessage(), null));
            p.resync.require(trigger.reason(), p.vm.replicationTracker().pendingLogBytes(), p.vm.totalVhdSizeBytes());
            return;
        }
        ReplicationError error = ErrorClassifier.classify(cause);
        p.figures.errors++;
        p.trace(new TraceEvent.ErrorRaised(p.host, p.name(), disk, job, error.code(), error.recoverable(), error.message(),
                error.sdkRetries()));
        if (error.recoverable()) {
            failedAttempts++;
            p.figures.retries++;
            long delay = RetryLadder.delay(failedAttempts);
            p.trace(new TraceEvent.RetryScheduled(p.host, p.name(), failedAttempts, SimTime.toDuration(delay)));
            retryHandle = p.site.kernel().scheduleIn(delay, ProtectedVm.named("retry " + p.name(), () -> {
                retryHandle = 0;
                retry.run();
            }));
            p.health.update();
            return;
        }
        boolean first = awaitingAdmin.isEmpty();
        Operation op = Operation.of(retry);
        // the same operation failing again (the administrator tried once more) runs again once, not twice
        if (op.key() == null || awaitingAdmin.stream().noneMatch(o -> op.key().equals(o.key()))) {
            awaitingAdmin.add(op);
        }
        p.resync.closeJob(error.message());
        if (first) {
            stateBeforeError = p.vm.replicationState();
            try {
                p.hyperV().requestReplicationStateChange(p.vm, ReplicationState.ERROR);
            } catch (IOException | IllegalStateException e) {
                stateBeforeError = null; // the VM is gone or not replicating yet: the error is the stack's alone
            }
        }
        p.lifecycle.fire(Lifecycle.Event.NON_RECOVERABLE_ERROR);
        p.observe();
    }

    /** An administrator fixed the cause of a non-recoverable error: what waited runs again at once. */
    void resume() {
        if (awaitingAdmin.isEmpty()) {
            return;
        }
        if (stateBeforeError != null && p.vm.replicationState() == ReplicationState.ERROR) {
            try {
                p.hyperV().requestReplicationStateChange(p.vm, stateBeforeError);
            } catch (IOException e) {
                // Hyper-V cannot resume it (the VM is gone, say): it still waits for an administrator
                p.trace(new TraceEvent.ActionRefused(p.name(), "resume", e.getMessage()));
                return;
            }
        }
        List<Operation> again = List.copyOf(awaitingAdmin);
        awaitingAdmin.clear();
        failedAttempts = 0;
        unproven = true;
        p.lifecycle.fire(Lifecycle.Event.RESUMED);
        p.observe();
        again.forEach(Operation::run);
    }

    /** An administrator acted otherwise (a manual resync): what waited is not run again. */
    void supersededByAdmin() {
        if (awaitingAdmin.isEmpty()) {
            return;
        }
        dropAwaitingAdmin();
        failedAttempts = 0;
        p.lifecycle.fire(Lifecycle.Event.RESUMED);
        p.observe();
    }

    /** Replication stopped: no retry is due, nothing waits for an administrator. */
    void cancel() {
        if (retryHandle != 0) {
            p.site.kernel().cancel(retryHandle);
        }
        retryHandle = 0;
    }

    void dropAwaitingAdmin() {
        awaitingAdmin.clear();
        stateBeforeError = null;
        unproven = false;
    }

    void resetAttempts() {
        failedAttempts = 0;
        unproven = false;
    }

    /** Whether a retry is due on the ladder. */
    boolean retryDue() {
        return retryHandle != 0;
    }

    /** Whether the VM waits for an administrator. */
    boolean awaitingAdmin() {
        return !awaitingAdmin.isEmpty();
    }

    int failedAttempts() {
        return failedAttempts;
    }
}
