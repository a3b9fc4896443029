package io.replisim.simulator.replication;

import io.replisim.azure.vault.Job;
import io.replisim.azure.vault.JobType;
import io.replisim.simulator.trace.TraceEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A VM's vault jobs as the portal shows them: steps one after another, each taking
 * {@link Timings#JOB_STEP} and then its work. A step that fails is tried again, on the retry
 * ladder or after an administrator, as a new job starting from that step; a job beside
 * replication (test failover, cleanup, commit) just fails.
 */
final class VaultJobs {
    /** A job step's work: it calls {@code done} when finished, at once or later. */
    @FunctionalInterface
    interface Step {
        void run(Runnable done);
    }

    static final Step NOTHING = Runnable::run;

    /** A step whose work is done at once. */
    static Step now(ProtectedVm.IoStep work) {
        return done -> {
            ProtectedVm.io(work);
            done.run();
        };
    }

    /** Jobs that take the protected item over while they run: no test failover, cleanup or commit starts meanwhile. */
    private static final Set<JobType> EXCLUSIVE_JOBS = EnumSet.of(JobType.PLANNED_FAILOVER,
            JobType.UNPLANNED_FAILOVER, JobType.REPROTECT, JobType.DISABLE_REPLICATION);
    /** Jobs beside replication: their failure fails the job, not the VM's replication. */
    private static final Set<JobType> SIDE_JOBS = EnumSet.of(JobType.TEST_FAILOVER, JobType.TEST_FAILOVER_CLEANUP, JobType.COMMIT);

    private final ProtectedVm p;
    /**
     * Jobs whose current step's work is under way (a transfer, a retry on the ladder, a wait for
     * an administrator): when replication stops, that work is dropped, so they are failed then.
     */
    private final List<Job> inStep = new ArrayList<>();
    /** The newest exclusive job, finished or not. */
    private Job exclusiveJob;

    VaultJobs(ProtectedVm p) {
        this.p = p;
    }

    /** Runs a job's steps one after another ({@link #NOTHING} for steps given no work), then {@code then}. */
    Job run(JobType type, List<Step> work, Runnable then) {
        Job job = start(type);
        runStep(job, type.steps(), work, 0, Timings.JOB_STEP, then);
        return job;
    }

    /** Starts a job (its steps are the caller's to drive). */
    Job start(JobType type) {
        Job job = p.site.vault().startJob(type, p.name());
        if (EXCLUSIVE_JOBS.contains(job.type())) {
            exclusiveJob = job;
        }
        p.trace(new TraceEvent.JobStarted(p.name(), job.id(), job.name()));
        return job;
    }

    private void retry(JobType type, List<String> steps, List<Step> work, int from, Runnable then) {
        Job job = start(type);
        for (int k = 0; k < from; k++) { // steps done by the failed job are not run again
            job.startStep(steps.get(k));
            job.completeStep(steps.get(k));
        }
        runStep(job, steps, work, from, 0, then); // a retry does the failed step's work at once
    }

    private void runStep(Job job, List<String> steps, List<Step> work, int i, long after, Runnable then) {
        if (i == steps.size()) {
            job.complete();
            finished(job);
            then.run();
            return;
        }
        String step = steps.get(i);
        job.startStep(step);
        stepChanged(job, step);
        int jobEpoch = p.epoch;
        p.site.kernel().scheduleIn(after, ProtectedVm.named("job-step " + p.name(), () -> {
            if (jobEpoch != p.epoch) {
                job.fail("Interrupted: " + p.vm.replicationState().displayName());
                finished(job);
                return;
            }
            boolean[] stepDone = {false};
            inStep.add(job);
            try {
                (i < work.size() ? work.get(i) : NOTHING).run(() -> {
                    stepDone[0] = true;
                    inStep.remove(job);
                    p.retries.progressed();
                    p.observe();
                    job.completeStep(step);
                    stepChanged(job, step);
                    runStep(job, steps, work, i + 1, Timings.JOB_STEP, then);
                });
            } catch (RuntimeException e) {
                inStep.remove(job);
                ReplicationError error = ErrorClassifier.classify(e); // a bug, not a fault, propagates
                if (stepDone[0]) {
                    // the job finished; what follows it failed: retry that, not the job
                    p.retries.failed(e, null, p.retries.guarded(then));
                    return;
                }
                job.failStep(step, error.message());
                stepChanged(job, step);
                finished(job);
                if (SIDE_JOBS.contains(job.type())) {
                    // a test failover or a commit that fails leaves replication as it was
                    p.figures.errors++;
                    p.trace(new TraceEvent.ErrorRaised(p.host, p.name(), null, job.id(), error.code(), error.recoverable(),
                            error.message(), error.sdkRetries()));
                    return;
                }
                // the job is tried again from the step that failed, as a new job
                p.retries.failed(e, null, job.id(), Operation.once("job " + job.type(),
                        () -> retry(job.type(), steps, work, i, then)));
            }
        }));
    }

    void stepChanged(Job job, String step) {
        p.trace(new TraceEvent.JobStep(p.name(), job.id(), step, job.step(step).status().displayName()));
    }

    void finished(Job job) {
        p.trace(new TraceEvent.JobFinished(p.name(), job.id(), job.name(), job.status().displayName(), job.duration()));
    }

    /** Fails {@code job} with {@code why} unless it ended already. */
    void interrupt(Job job, String why) {
        if (job != null && !job.status().isFinal()) {
            job.fail(why);
            finished(job);
        }
    }

    /** Replication stopped: jobs whose step waited on work just dropped end with it. */
    void interruptJobsInStep() {
        for (Job job : List.copyOf(inStep)) {
            interrupt(job, "Interrupted: replication stopped");
        }
        inStep.clear();
    }

    /** Refuses {@code action} while a failover, failback, reprotect or disable job runs; returns whether it did. */
    boolean refusedDuringExclusiveJob(String action) {
        if (exclusiveJob == null || exclusiveJob.status().isFinal()) {
            return false;
        }
        p.refuse(action, "a " + exclusiveJob.name() + " job is running");
        return true;
    }
}
