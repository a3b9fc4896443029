package io.replisim.azure.vault;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A vault job: created in progress by {@link RecoveryServicesVault#startJob}, its steps run one
 * after another, and it ends succeeded (every step succeeded), failed or cancelled. Illegal
 * transitions throw {@link IllegalStateException}: they are bugs in the caller, not Azure errors.
 */
public final class Job {
    private final String id;
    private final long sequence;
    private final JobType type;
    private final String item;
    private final InstantSource clock;
    private final List<JobStep> steps = new ArrayList<>();
    private final Instant startTime;
    private JobStatus status = JobStatus.IN_PROGRESS;
    private Instant endTime;
    private String errorMessage;

    Job(String id, long sequence, JobType type, String item, InstantSource clock) {
        this.id = id;
        this.sequence = sequence;
        this.type = type;
        this.item = item;
        this.clock = clock;
        this.startTime = clock.instant();
        for (String step : type.steps()) {
            steps.add(new JobStep(step));
        }
    }

    public String id() {
        return id;
    }

    /** Creation order within the vault; breaks ties between jobs started at the same instant. */
    long sequence() {
        return sequence;
    }

    public JobType type() {
        return type;
    }

    /** The job's name as the Jobs tab shows it. */
    public String name() {
        return type.displayName();
    }

    /** The protected item (VM name) the job acts on. */
    public String item() {
        return item;
    }

    public JobStatus status() {
        return status;
    }

    public Instant startTime() {
        return startTime;
    }

    public Optional<Instant> endTime() {
        return Optional.ofNullable(endTime);
    }

    /** Time the job ran, up to now if it is still running. */
    public Duration duration() {
        return Duration.between(startTime, endTime != null ? endTime : clock.instant());
    }

    public Optional<String> errorMessage() {
        return Optional.ofNullable(errorMessage);
    }

    public List<JobStep> steps() {
        return Collections.unmodifiableList(steps);
    }

    public JobStep step(String name) {
        for (JobStep s : steps) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(this + " has no step '" + name + "'; its steps are " + type.steps());
    }

    /** The step in progress, if any. */
    public Optional<JobStep> currentStep() {
        return steps.stream().filter(s -> s.status() == JobStatus.IN_PROGRESS).findFirst();
    }

    /** Starts a step; it must be the next one, every earlier step having succeeded. */
    public JobStep startStep(String name) {
        requireInProgress("start step '" + name + "'");
        JobStep step = step(name);
        for (JobStep s : steps) {
            if (s == step) {
                break;
            }
            if (s.status() != JobStatus.SUCCEEDED) {
                throw new IllegalStateException("cannot start step '" + name + "' of " + this + ": step '" + s.name()
                        + "' is " + s.status().displayName());
            }
        }
        if (step.status() != JobStatus.NOT_STARTED) {
            throw new IllegalStateException(
                    "cannot start step '" + name + "' of " + this + ": it is " + step.status().displayName());
        }
        step.start(clock.instant());
        return step;
    }

    public void completeStep(String name) {
        requireInProgress("complete step '" + name + "'");
        requireStepInProgress(name, "complete").finish(JobStatus.SUCCEEDED, clock.instant());
    }

    /** Fails a step, and with it the job. */
    public void failStep(String name, String errorMessage) {
        requireInProgress("fail step '" + name + "'");
        requireStepInProgress(name, "fail").finish(JobStatus.FAILED, clock.instant());
        finish(JobStatus.FAILED, errorMessage);
    }

    /** Ends the job successfully; every step must have succeeded. */
    public void complete() {
        requireInProgress("complete it");
        for (JobStep s : steps) {
            if (s.status() != JobStatus.SUCCEEDED) {
                throw new IllegalStateException("cannot complete " + this + ": step '" + s.name() + "' is "
                        + s.status().displayName());
            }
        }
        finish(JobStatus.SUCCEEDED, null);
    }

    /** Fails the job; a step in progress fails with it. */
    public void fail(String errorMessage) {
        requireInProgress("fail it");
        currentStep().ifPresent(s -> s.finish(JobStatus.FAILED, clock.instant()));
        finish(JobStatus.FAILED, errorMessage);
    }

    /** Cancels the job; a step in progress is cancelled with it. */
    public void cancel() {
        requireInProgress("cancel it");
        currentStep().ifPresent(s -> s.finish(JobStatus.CANCELLED, clock.instant()));
        finish(JobStatus.CANCELLED, null);
    }

    private void finish(JobStatus outcome, String error) {
        status = outcome;
        endTime = clock.instant();
        errorMessage = error;
    }

    private void requireInProgress(String action) {
        if (status != JobStatus.IN_PROGRESS) {
            throw new IllegalStateException("cannot " + action + ": " + this + " is " + status.displayName());
        }
    }

    private JobStep requireStepInProgress(String name, String action) {
        JobStep step = step(name);
        if (step.status() != JobStatus.IN_PROGRESS) {
            throw new IllegalStateException(
                    "cannot " + action + " step '" + name + "' of " + this + ": it is " + step.status().displayName());
        }
        return step;
    }

    public JobSummary summary() {
        return new JobSummary(id, name(), item, status, startTime, duration());
    }

    @Override
    public String toString() {
        return "job " + name() + " " + id + " for " + item;
    }
}
