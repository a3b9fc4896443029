package io.replisim.azure.vault;

import java.time.Duration;
import java.time.Instant;

/** One row of the portal's Jobs tab. {@code duration} runs up to now for jobs still in progress. */
public record JobSummary(String id, String name, String item, JobStatus status, Instant startTime,
        Duration duration) {
}
