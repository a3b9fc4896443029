package io.replisim.simulator.replication;

import io.replisim.azure.vault.Job;
import io.replisim.azure.vault.JobType;
import io.replisim.hyperv.HostFaultKind;
import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.trace.TraceEvent;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Resynchronization (docs/domain.md, Resynchronization): required when the pending logs reach 50% of the
 * VM's total VHD size (100% during initial replication), when tracking cannot be trusted (a failed log
 * write, an offline change, a revert, a log not closed cleanly) or when the volume stays full; it starts
 * at the first moment outside office hours, or by hand. A new checkpoint is compared with the replica in
 * fixed-size blocks and only the differing blocks are sent; then the recovery points go and delta
 * replication resumes.
 */
final class Resynchronization {
    private final ProtectedVm p;
    private long resyncHandle;
    private long startedAt = -1;
    private Job job;
    /** Since when guest writes fail for lack of space on the host volume (this episode), or -1. */
    private long volumeFullSince = -1;
    private long lastVolumeFull = -1;
    /** A requirement Hyper-V could not take (a broken chain): it waits for the administrator, not for the next check. */
    private boolean requirementWaits;

    Resynchronization(ProtectedVm p) {
        this.p = p;
    }

    /**
     * The log-threshold trigger: the pending logs reached 50% of the VM's total VHD size (100%
     * while initial replication runs, when Hyper-V allows the logs to grow as large as the disks).
     */
    void checkLogThreshold() {
        if (requirementWaits && p.retries.awaitingAdmin()) {
            return; // required already; the administrator's resume requires it again
        }
        ReplicationState state = p.vm.replicationState();
        Optional<HostFaultKind> invalid = p.vm.replicationTracker().resynchronizationRequired();
        if (invalid.isPresent() && (state == ReplicationState.REPLICATING || state == ReplicationState.RESYNCHRONIZING
                || state == ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION || state == ReplicationState.ERROR)) {
            // tracking can no longer be trusted (a failed log write, an offline change, a revert)
            require(invalid.get().scenarioName(), p.vm.replicationTracker().pendingLogBytes(), p.vm.totalVhdSizeBytes());
            return;
        }
        boolean ir = state == ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION;
        if (!ir && state != ReplicationState.REPLICATING) {
            return;
        }
        long logBytes = p.vm.replicationTracker().pendingLogBytes();
        long diskBytes = p.vm.totalVhdSizeBytes();
        if (logBytes >= (ir ? diskBytes : diskBytes / 2)) {
            require("log-threshold", logBytes, diskBytes);
        }
    }

    /**
     * A guest write failed for lack of space on the host volume: one recoverable error per
     * episode (writes may pass in between as shipped logs free space; 5 minutes without a failure
     * end the episode); if it lasts as long as the retry ladder (30 minutes), Hyper-V can no
     * longer keep its logs: resynchronization required.
     */
    void volumeFull(IOException e) {
        long now = p.now();
        if (volumeFullSince < 0 || now - lastVolumeFull > SimTime.minutes(5)) {
            volumeFullSince = now;
            p.figures.errors++;
            p.trace(new TraceEvent.ErrorRaised(p.host, p.name(), null, null, "LowDiskSpace", true, e.getMessage(), null));
        }
        lastVolumeFull = now;
        if (now - volumeFullSince >= SimTime.minutes(30) && p.vm.replicationState() == ReplicationState.REPLICATING) {
            volumeFullSince = -1;
            require("low-disk-space", p.vm.replicationTracker().pendingLogBytes(), p.vm.totalVhdSizeBytes());
        }
    }

    /** Replication cannot go on from the logs: abandon what is in flight and plan a resynchronization. */
    void require(String reason, long logBytes, long diskBytes) {
        if (!p.lifecycle.allows(Lifecycle.Event.RESYNC_REQUIRED)) {
            return; // replication stopped for good (a failover, disabling): there is nothing to resynchronize
        }
        p.stopReplicating();
        p.retries.resetAttempts();
        p.logs.forgetUploads();
        closeJob("Interrupted: resynchronization required again");
        p.trace(new TraceEvent.ResyncRequired(p.host, p.name(), reason, logBytes, diskBytes));
        try {
            if (p.vm.replicationState() == ReplicationState.PREPARED_FOR_PLANNED_FAILOVER) {
                // the planned failover is called off: the VM runs on and replicates again after the resync
                p.hyperV().requestReplicationStateChange(p.vm, ReplicationState.REPLICATING);
                p.poweredOff = false;
            }
            p.hyperV().requestReplicationStateChange(p.vm, ReplicationState.RESYNCHRONIZATION_REQUIRED);
        } catch (IOException e) {
            // the checkpoint could not be merged (a broken chain), or the VM is gone: an administrator must act
            p.observe();
            requirementWaits = true;
            // taken again when the administrator resumes, with the logs pending then
            p.retries.failed(new HostIoException(e), null,
                    () -> require(reason, p.vm.replicationTracker().pendingLogBytes(), p.vm.totalVhdSizeBytes()));
            return;
        }
        requirementWaits = false;
        p.lifecycle.fire(Lifecycle.Event.RESYNC_REQUIRED);
        p.observe();
        if (p.site.resyncAutomatic()) {
            scheduleStart();
        }
    }

    /** An automatic resync starts at the first moment outside office hours (now, if outside them). */
    private void scheduleStart() {
        long at = p.site.nextResyncStart(p.now());
        resyncHandle = p.site.kernel().schedule(at, ProtectedVm.named("resync " + p.name(), () -> {
            resyncHandle = 0;
            start("scheduled");
        }));
    }

    /** An administrator starts a required resynchronization now. */
    void startNow() {
        Lifecycle.State s = p.lifecycle.underlying();
        if (p.vm.replicationState() == ReplicationState.RESYNCHRONIZATION_REQUIRED && s != Lifecycle.State.RESYNCHRONIZATION_REQUIRED) {
            // Hyper-V still says so, but a failover or disabling job owns the VM now
            p.refuse("resync", "the VM is " + s.label() + ": nothing is resynchronized while that runs");
        } else if (p.vm.replicationState() == ReplicationState.RESYNCHRONIZATION_REQUIRED) {
            p.retries.supersededByAdmin(); // what waited for an administrator: the resync repairs it
            cancelScheduled();
            // a scheduled start waiting on the retry ladder (the host short of memory) is superseded
            p.retries.cancel();
            start("manual");
        } else {
            p.refuse("resync", "no resynchronization is required: the VM is " + p.vm.replicationState().displayName());
        }
    }

    private void start(String trigger) {
        // a failure (the host short of memory, the storage busy) retries from where it stopped
        p.retries.attempt(Operation.once("resync start", () -> retryStart(trigger)), () -> begin(trigger));
    }

    /**
     * A scheduled start that failed is tried again on the ladder, but never started inside office
     * hours: then it waits for their end.
     */
    private void retryStart(String trigger) {
        // only a start: a resync under way when it failed goes on when its retry is due, as it would have gone on
        if ("scheduled".equals(trigger) && p.vm.replicationState() == ReplicationState.RESYNCHRONIZATION_REQUIRED
                && p.site.nextResyncStart(p.now()) > p.now()) {
            scheduleStart();
        } else {
            start(trigger);
        }
    }

    private void begin(String trigger) {
        ReplicationState state = p.vm.replicationState();
        if (state != ReplicationState.RESYNCHRONIZATION_REQUIRED && state != ReplicationState.RESYNCHRONIZING) {
            return; // a continuation that lost its reason: the resync was done, or replication stopped, meanwhile
        }
        List<String> steps = JobType.RESYNCHRONIZE.steps();
        if (state == ReplicationState.RESYNCHRONIZATION_REQUIRED) {
            ProtectedVm.io(() -> p.hyperV().resynchronize(p.vm));
            p.lifecycle.fire(Lifecycle.Event.RESYNC_STARTED);
            p.figures.resyncs++;
            startedAt = p.now();
            p.observe();
            job = p.jobs.start(JobType.RESYNCHRONIZE);
            p.trace(new TraceEvent.ResyncStarted(p.host, p.name(), trigger));
            for (String step : steps.subList(0, steps.size() - 1)) {
                job.startStep(step);
                p.jobs.stepChanged(job, step);
                if (!step.equals(steps.get(steps.size() - 2))) {
                    job.completeStep(step);
                    p.jobs.stepChanged(job, step);
                }
            }
        }
        BlockSync.Figures figures = new BlockSync.Figures();
        List<TransferBatch.Piece> pieces = p.blocks.differingBlocks("resync", figures, n -> p.figures.resyncBytesSent += n);
        long sentBefore = p.figures.resyncBytesSent;
        p.blocks.send(pieces, () -> blocksSent(figures, sentBefore));
    }

    /** The differing blocks are in Azure: seal the logs written meanwhile and finish. */
    private void blocksSent(BlockSync.Figures figures, long sentBefore) {
        if (p.vm.replicationState() != ReplicationState.RESYNCHRONIZING) {
            return; // superseded or done already
        }
        p.retries.attempt(() -> blocksSent(figures, sentBefore), () -> {
            compareStepDone(activeJob());
            p.logs.switchLogs();
            finish(figures, sentBefore);
        });
    }

    /** Completes the job's block comparison step (once: a retried continuation may pass here again). */
    private void compareStepDone(Job j) {
        List<String> steps = JobType.RESYNCHRONIZE.steps();
        String compare = steps.get(steps.size() - 2);
        if (!j.step(compare).status().isFinal()) {
            j.completeStep(compare);
            p.jobs.stepChanged(j, compare);
        }
    }

    /**
     * The Resynchronize job in progress; after an error failed it (the VM waited for an
     * administrator), a new one continues where it stopped.
     */
    private Job activeJob() {
        if (job == null || job.status().isFinal()) {
            job = p.jobs.start(JobType.RESYNCHRONIZE);
            List<String> steps = JobType.RESYNCHRONIZE.steps();
            for (String step : steps.subList(0, steps.size() - 1)) {
                job.startStep(step);
                if (!step.equals(steps.get(steps.size() - 2))) {
                    job.completeStep(step);
                }
            }
        }
        return job;
    }

    private void finish(BlockSync.Figures figures, long sentBefore) {
        if (p.vm.replicationState() != ReplicationState.RESYNCHRONIZING) {
            return; // superseded or done already
        }
        p.logs.shipPending(() -> finish(figures, sentBefore), () -> {
            Job j = activeJob();
            compareStepDone(j);
            String checkpoint = p.checkpointName();
            ProtectedVm.io(() -> p.hyperV().completeResynchronization(p.vm));
            p.trace(new TraceEvent.CheckpointMerged(p.host, p.name(), checkpoint));
            p.observe();
            p.points.dropAll();
            p.trace(new TraceEvent.ResyncFinished(p.host, p.name(), figures.compared, figures.differing,
                    p.figures.resyncBytesSent - sentBefore, SimTime.toDuration(p.now() - startedAt)));
            List<String> steps = JobType.RESYNCHRONIZE.steps();
            String last = steps.get(steps.size() - 1);
            j.startStep(last);
            j.completeStep(last);
            p.jobs.stepChanged(j, last);
            j.complete();
            p.jobs.finished(j);
            p.points.create();
            p.lifecycle.fire(Lifecycle.Event.RESYNC_DONE);
            p.delta.cycleStartsNow();
            p.delta.cycleDone();
        });
    }

    /** Fails the running Resynchronize job, if any: it will not finish (a newer one takes over). */
    void closeJob(String why) {
        p.jobs.interrupt(job, why);
    }

    void cancelScheduled() {
        if (resyncHandle != 0) {
            p.site.kernel().cancel(resyncHandle);
        }
        resyncHandle = 0;
    }

    /** Whether a resync waits for its start outside office hours. */
    boolean scheduled() {
        return resyncHandle != 0;
    }
}
