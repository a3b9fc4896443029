package io.replisim.azure.vault;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One step of a job. Changed only through its {@link Job}. */
public final class JobStep {
    private final String name;
    private JobStatus status = JobStatus.NOT_STARTED;
    private Instant startTime;
    private Instant endTime;

    JobStep(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public JobStatus status() {
        return status;
    }

    public Optional<Instant> startTime() {
        return Optional.ofNullable(startTime);
    }

    public Optional<Instant> endTime() {
        return Optional.ofNullable(endTime);
    }

    /** Time the step ran, up to {@code now} if it is still running; zero if it never started. */
    public Duration duration(Instant now) {
        if (startTime == null) {
            return Duration.ZERO;
        }
        return Duration.between(startTime, endTime != null ? endTime : now);
    }

    void start(Instant now) {
        status = JobStatus.IN_PROGRESS;
        startTime = now;
    }

    void finish(JobStatus outcome, Instant now) {
        status = outcome;
        endTime = now;
    }

    @Override
    public String toString() {
        return name + " (" + status.displayName() + ")";
    }
}
