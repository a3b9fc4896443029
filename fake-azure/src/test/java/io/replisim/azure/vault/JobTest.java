package io.replisim.azure.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.azure.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobTest {
    private final ManualClock clock = ManualClock.at("2026-01-05T07:00:00Z");
    private final RecoveryServicesVault vault = new RecoveryServicesVault("contoso-vault", clock);

    private static List<JobStatus> statuses(Job job) {
        return job.steps().stream().map(JobStep::status).toList();
    }

    @Test
    void enableProtectionHasTheStepsOfTheHyperVWmiCalls() {
        assertEquals(List.of("Prerequisites check", "Create replication relationship", "Start replication"),
                JobType.ENABLE_PROTECTION.steps());
        assertEquals("Enable protection", JobType.ENABLE_PROTECTION.displayName());
    }

    @Test
    void aJobRunsItsStepsInOrderAndSucceeds() {
        Instant start = clock.instant();
        Job job = vault.startJob(JobType.ENABLE_PROTECTION, "sql01");
        assertEquals(JobStatus.IN_PROGRESS, job.status());
        assertEquals(start, job.startTime());
        for (String step : JobType.ENABLE_PROTECTION.steps()) {
            job.startStep(step);
            assertEquals(Optional.of(job.step(step)), job.currentStep());
            clock.advance(Duration.ofSeconds(10));
            job.completeStep(step);
        }
        job.complete();
        assertEquals(JobStatus.SUCCEEDED, job.status());
        assertEquals(Optional.of(start.plusSeconds(30)), job.endTime());
        assertEquals(Duration.ofSeconds(30), job.duration());
        assertEquals(List.of(JobStatus.SUCCEEDED, JobStatus.SUCCEEDED, JobStatus.SUCCEEDED), statuses(job));
        JobStep second = job.step("Create replication relationship");
        assertEquals(Optional.of(start.plusSeconds(10)), second.startTime());
        assertEquals(Optional.of(start.plusSeconds(20)), second.endTime());
        clock.advance(Duration.ofHours(1));
        assertEquals(Duration.ofSeconds(30), job.duration(), "a finished job's duration stays fixed");
    }

    @Test
    void aFailedStepFailsTheJob() {
        Job job = vault.startJob(JobType.TEST_FAILOVER, "sql01");
        job.startStep("Prerequisites check");
        job.completeStep("Prerequisites check");
        job.startStep("Create test virtual machine");
        job.failStep("Create test virtual machine", "No recovery point is available");
        assertEquals(JobStatus.FAILED, job.status());
        assertEquals(Optional.of("No recovery point is available"), job.errorMessage());
        assertEquals(List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.NOT_STARTED), statuses(job));
    }

    @Test
    void failingOrCancellingAJobEndsItsRunningStep() {
        Job failed = vault.startJob(JobType.RESYNCHRONIZE, "sql01");
        failed.startStep("Prerequisites check");
        failed.fail("The host is unreachable");
        assertEquals(List.of(JobStatus.FAILED, JobStatus.NOT_STARTED, JobStatus.NOT_STARTED), statuses(failed));

        Job cancelled = vault.startJob(JobType.PLANNED_FAILOVER, "sql01");
        cancelled.startStep("Prerequisites check");
        cancelled.cancel();
        assertEquals(JobStatus.CANCELLED, cancelled.status());
        assertEquals(JobStatus.CANCELLED, cancelled.step("Prerequisites check").status());
    }

    @Test
    void illegalTransitionsAreRejected() {
        Job job = vault.startJob(JobType.ENABLE_PROTECTION, "sql01");
        assertThrows(IllegalStateException.class, () -> job.startStep("Create replication relationship"),
                "skipping a step");
        assertThrows(IllegalStateException.class, () -> job.completeStep("Prerequisites check"), "not started");
        assertThrows(IllegalStateException.class, job::complete, "steps not done");
        job.startStep("Prerequisites check");
        assertThrows(IllegalStateException.class, () -> job.startStep("Prerequisites check"), "started twice");
        assertThrows(IllegalStateException.class, () -> job.startStep("Create replication relationship"),
                "two steps at once");
        assertThrows(IllegalArgumentException.class, () -> job.startStep("Make coffee"));
        job.completeStep("Prerequisites check");
        assertThrows(IllegalStateException.class, () -> job.completeStep("Prerequisites check"), "completed twice");
        job.cancel();
        IllegalStateException e = assertThrows(IllegalStateException.class, job::complete);
        assertTrue(e.getMessage().contains("Cancelled"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> job.fail("late"));
        assertThrows(IllegalStateException.class, job::cancel);
        assertThrows(IllegalStateException.class, () -> job.startStep("Create replication relationship"));
    }

    @Test
    void theJobsTabListsNewestFirstWithRunningDurations() {
        Job enable = vault.startJob(JobType.ENABLE_PROTECTION, "sql01");
        clock.advance(Duration.ofMinutes(1));
        Job other = vault.startJob(JobType.ENABLE_PROTECTION, "web01");
        Job sameInstant = vault.startJob(JobType.DISABLE_REPLICATION, "old01");
        clock.advance(Duration.ofMinutes(2));
        enable.cancel();
        clock.advance(Duration.ofMinutes(3));

        List<JobSummary> rows = vault.jobs();
        assertEquals(List.of(sameInstant.id(), other.id(), enable.id()), rows.stream().map(JobSummary::id).toList());
        assertEquals(new JobSummary(enable.id(), "Enable protection", "sql01", JobStatus.CANCELLED,
                Instant.parse("2026-01-05T07:00:00Z"), Duration.ofMinutes(3)), rows.get(2));
        assertEquals(Duration.ofMinutes(5), rows.get(1).duration());
        assertEquals("Disable replication", rows.get(0).name());
        assertEquals(Optional.of(other), vault.job(other.id()));
    }

    @Test
    void jobIdsAreTheSameInEqualRunsAndDistinctWithinOne() {
        Job a = vault.startJob(JobType.COMMIT, "sql01");
        Job b = vault.startJob(JobType.COMMIT, "sql01");
        assertNotEquals(a.id(), b.id());
        RecoveryServicesVault twin = new RecoveryServicesVault("contoso-vault", ManualClock.at("2030-01-01T00:00:00Z"));
        assertEquals(a.id(), twin.startJob(JobType.REPROTECT, "x").id());
    }
}
