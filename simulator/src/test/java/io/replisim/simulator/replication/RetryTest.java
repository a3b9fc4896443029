package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/domain.md, Error table and Retry ladder, through the real kernel and stack. */
class RetryTest {

    /** A long outage with a churn low enough that the logs stay under the 50% resync threshold. */
    private static RunFixture longOutage() throws Exception {
        return RunFixture.run(RunFixture.small("4h", """
                faults:
                  - { at: 30m, kind: network-outage, for: 100m }
                """).replace("256KiB/min", "32KiB/min"));
    }

    @Test
    void aRecoverableErrorIsRetriedOneTwoFourEightTenThenEveryThirtyMinutes() throws Exception {
        RunFixture run = longOutage();
        List<JsonNode> retries = run.ofType("retry.scheduled");
        List<String> delays = retries.stream().map(r -> r.get("delay").asText()).toList();
        assertEquals(List.of("PT1M", "PT2M", "PT4M", "PT8M", "PT10M", "PT30M", "PT30M", "PT30M"), delays);
        for (int i = 0; i < retries.size(); i++) {
            assertEquals(i + 1, retries.get(i).get("attempt").asInt());
        }
        // first failure at the first cycle after 30m (8:31:06.7); each attempt fails exactly `delay` after the previous failure, while the link is down
        List<JsonNode> errors = run.ofType("error");
        assertEquals(retries.size(), errors.size());
        for (int i = 1; i < errors.size(); i++) {
            Duration gap = run.at(errors.get(i)).minus(run.at(errors.get(i - 1)));
            assertEquals(Duration.parse(delays.get(i - 1)), gap, "gap before attempt " + i);
            assertEquals("NetworkError", errors.get(i).get("code").asText());
            assertTrue(errors.get(i).get("recoverable").asBoolean());
        }
        // the retry after the outage (130m) succeeds, and nothing is lost
        JsonNode last = errors.get(errors.size() - 1);
        Duration recovered = run.at(last).plus(Duration.parse(delays.get(delays.size() - 1)));
        assertTrue(recovered.compareTo(Duration.ofMinutes(130)) > 0);
        assertTrue(run.ofType("transfer.started").stream().anyMatch(e -> run.at(e).equals(recovered)), "the retry at " + recovered + " sends");
        assertTrue(run.ofType("error").stream().noneMatch(e -> run.at(e).compareTo(recovered) >= 0), "and succeeds");
        assertTrue(run.ofType("log.applied").stream().anyMatch(e -> run.at(e).compareTo(recovered) > 0
                && run.at(e).compareTo(recovered.plusMinutes(5)) < 0), "the backlog is applied within minutes");
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
        assertEquals(8, run.record.vms().get(0).retries());
        assertEquals(errors.size(), run.record.vms().get(0).errors(), "the summary counts the errors the trace shows");
        assertTrue(run.ofType("resync.required").isEmpty());
    }

    @Test
    void healthIsWarningOnTheLadderCriticalOnceTheErrorPersistsAndNormalAfterRecovery() throws Exception {
        RunFixture run = longOutage();
        List<JsonNode> changes = run.ofType("vm.health");
        List<String> health = changes.stream().map(h -> h.get("to").asText()).toList();
        // IR: Warning then Normal; outage: Warning, then Critical at the 30-minute retries; once it
        // sends again, Warning while the last hour still shows more than 20% of cycles missed; Normal
        assertEquals(List.of("Warning", "Normal", "Warning", "Critical", "Warning", "Normal"), health);
        JsonNode firstPersistent = run.ofType("retry.scheduled").stream()
                .filter(r -> r.get("delay").asText().equals("PT30M")).findFirst().orElseThrow();
        assertEquals(6, firstPersistent.get("attempt").asInt());
        assertEquals(firstPersistent.get("t"), changes.get(3).get("t"), "Critical from the first 30-minute retry, not before");
        Duration recovered = run.at(changes.get(4));
        JsonNode lastError = run.ofType("error").get(run.ofType("error").size() - 1);
        JsonNode firstApplied = run.ofType("log.applied").stream().filter(l -> run.at(l).compareTo(run.at(lastError)) > 0)
                .findFirst().orElseThrow();
        assertEquals(run.at(firstApplied), recovered, "Critical ends as the retry's logs are applied, not at the next workload step");
        Duration normal = run.at(changes.get(5));
        assertTrue(normal.minus(recovered).compareTo(Duration.ofMinutes(40)) > 0
                && normal.minus(recovered).compareTo(Duration.ofMinutes(61)) < 0, "Normal again " + normal.minus(recovered) + " later");
    }

    @Test
    void aNonRecoverableErrorStopsReplicationUntilTheAdministratorResumesIt() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("4h", """
                faults:
                  - { at: 30m, kind: authentication-failure, for: 1h }
                actions:
                  - { at: 2h, do: resume, vm: vm1 }
                """));
        assertTrue(run.ofType("retry.scheduled").isEmpty(), "no retry after an authentication error");
        List<JsonNode> errors = run.ofType("error");
        assertEquals(1, errors.size());
        assertEquals("AuthenticationFailed", errors.get(0).get("code").asText());
        assertFalse(errors.get(0).get("recoverable").asBoolean());
        Duration failedAt = run.at(errors.get(0));
        // Error and Critical from the failure until the action, and no transfer in between
        JsonNode toError = run.ofType("vm.state").stream().filter(s -> s.get("to").asText().equals("Error")).findFirst().orElseThrow();
        assertEquals(failedAt, run.at(toError));
        assertTrue(run.ofType("transfer.started").stream().noneMatch(t -> run.at(t).compareTo(failedAt) > 0
                && run.at(t).compareTo(Duration.ofHours(2)) < 0), "nothing is sent while the VM waits for the administrator");
        JsonNode back = run.ofType("vm.state").stream().filter(s -> s.get("from").asText().equals("Error")).findFirst().orElseThrow();
        assertEquals(Duration.ofHours(2), run.at(back));
        assertEquals("Replicating", back.get("to").asText());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void storageBusyIsRecoverable() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 30m, kind: storage-unavailable, for: 5m }
                """));
        JsonNode error = run.ofType("error").get(0);
        assertEquals("ServerBusy", error.get("code").asText());
        assertTrue(error.get("recoverable").asBoolean());
        assertTrue(run.record.passed() && run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aBurstOfRequestsFailsThatManyCallsOnTheMemoryBackend() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 30m, kind: storage-internal-error, requests: 2 }
                """));
        JsonNode injected = run.ofType("fault.injected").get(0);
        assertEquals(2, injected.get("requests").asInt());
        assertFalse(injected.has("duration"), "it lasts to the end; its requests are spent long before");
        List<JsonNode> errors = run.ofType("error");
        assertEquals(List.of("InternalError", "InternalError"), errors.stream().map(e -> e.get("code").asText()).toList());
        assertTrue(errors.stream().noneMatch(e -> e.has("sdkRetries")), "no SDK in front of the memory backend");
        assertEquals(List.of("PT1M", "PT2M"), run.ofType("retry.scheduled").stream().map(r -> r.get("delay").asText()).toList());
        assertTrue(run.ofType("storage.retried").isEmpty());
        assertTrue(run.record.passed() && run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void theLadderStartsOverOnceATransferGetsThrough() throws Exception {
        // two outages of 6 minutes an hour apart: each is retried from the first rung (1, 2, 4 minutes or
        // less, as the outage meets the cycles)
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                faults:
                  - { at: 30m, kind: network-outage, for: 6m }
                  - { at: 90m, kind: network-outage, for: 6m }
                """));
        List<JsonNode> retries = run.ofType("retry.scheduled");
        List<JsonNode> first = retries.stream().filter(r -> run.at(r).compareTo(Duration.ofMinutes(60)) < 0).toList();
        List<JsonNode> second = retries.stream().filter(r -> run.at(r).compareTo(Duration.ofMinutes(60)) > 0).toList();
        assertFalse(first.isEmpty() || second.isEmpty(), retries.toString());
        // the second outage starts again at attempt 1, a minute, not where the first outage's left off
        for (List<JsonNode> outage : List.of(first, second)) {
            for (int i = 0; i < outage.size(); i++) {
                assertEquals(i + 1, outage.get(i).get("attempt").asInt(), retries.toString());
                assertEquals(Duration.ofNanos(RetryLadder.delay(i + 1)), Duration.parse(outage.get(i).get("delay").asText()));
            }
        }
        assertEquals(first.size() + second.size(), run.record.vms().get(0).retries());
    }

    @Test
    void aFailedJobStepIsTriedAgainOnTheLadderAsANewJobThatBeginsAtThatStep() throws Exception {
        // the host is short of memory while Enable protection runs its steps (20 seconds each)
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                faults:
                  - { at: 30s, kind: low-memory, host: hv01, for: 3m }
                """));
        List<JsonNode> errors = run.ofType("error");
        assertFalse(errors.isEmpty());
        List<JsonNode> jobs = run.ofType("job.started").stream()
                .filter(j -> j.get("name").asText().equals("Enable protection")).toList();
        assertEquals(errors.size() + 1, jobs.size(), "a new job for every failure");
        for (int i = 0; i < errors.size(); i++) {
            JsonNode error = errors.get(i);
            assertEquals("LowMemory", error.get("code").asText());
            assertEquals(jobs.get(i).get("job").asText(), error.get("job").asText(), "the error names the job whose step failed");
            String failed = steps(run, jobs.get(i)).get(steps(run, jobs.get(i)).size() - 1).get("step").asText();
            JsonNode retry = run.ofType("retry.scheduled").get(i);
            JsonNode next = jobs.get(i + 1);
            assertEquals(run.at(error).plus(Duration.parse(retry.get("delay").asText())), run.at(next));
            // the steps done are not run again: the new job begins with the failed step, at once
            JsonNode first = steps(run, next).get(0);
            assertEquals(failed, first.get("step").asText());
            assertEquals(run.at(next), run.at(first));
        }
        JsonNode last = run.ofType("job.finished").stream()
                .filter(j -> j.get("job").asText().equals(jobs.get(jobs.size() - 1).get("job").asText())).findFirst().orElseThrow();
        assertEquals("Succeeded", last.get("status").asText());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    private static List<JsonNode> steps(RunFixture run, JsonNode job) {
        return run.ofType("job.step").stream().filter(s -> s.get("job").asText().equals(job.get("job").asText())).toList();
    }

    @Test
    void aResumeHyperVCannotCarryOutIsRefusedAndTheVmWaitsForTheNext() throws Exception {
        // the authentication error puts the VM in Error; at the first resume the VM is not found on its host
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                faults:
                  - { at: 30m, kind: authentication-failure, for: 10m }
                  - { at: 50m, kind: vm-not-found, vm: vm1, for: 20m }
                actions:
                  - { at: 1h, do: resume, vm: vm1 }
                  - { at: 80m, do: resume, vm: vm1 }
                """));
        List<JsonNode> refused = run.ofType("action.refused");
        assertEquals(List.of("resume"), refused.stream().map(r -> r.get("action").asText()).toList(), refused.toString());
        assertEquals(Duration.ofHours(1), run.at(refused.get(0)));
        Duration error = run.at(run.ofType("error").get(0));
        assertTrue(run.ofType("transfer.started").stream().noneMatch(t -> run.at(t).compareTo(error) > 0
                && run.at(t).compareTo(Duration.ofMinutes(80)) < 0), "nothing is sent from the error until the resume that works");
        assertTrue(run.ofType("transfer.started").stream().anyMatch(t -> run.at(t).equals(Duration.ofMinutes(80))));
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aResumeWithNothingWaitingDoesNothing() throws Exception {
        // the first resume runs again what waited; the second finds nothing waiting
        RunFixture run = RunFixture.run(RunFixture.small("4h", """
                faults:
                  - { at: 30m, kind: authentication-failure, for: 1h }
                actions:
                  - { at: 2h, do: resume, vm: vm1 }
                  - { at: 3h, do: resume, vm: vm1 }
                """));
        assertTrue(run.ofType("transfer.started").stream().anyMatch(t -> run.at(t).equals(Duration.ofHours(2))));
        List<JsonNode> atSecond = run.events.stream().filter(e -> e.has("t") && run.at(e).equals(Duration.ofHours(3))
                && !e.get("type").asText().equals("action")).toList();
        assertEquals(List.of(), atSecond, "nothing follows the second resume");
        assertEquals("Replicating", run.record.vms().get(0).finalState());
    }

    @Test
    void aRetryThatGetsTheInitialCopyThroughEndsCriticalAtOnce() throws Exception {
        // the link goes down 2 minutes into the initial copy of a 256 MiB disk and stays down for an hour: the
        // copy is retried up to the 30-minute rungs (Critical), and the retry after the outage sends the rest
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                faults:
                  - { at: 2m, kind: network-outage, for: 1h }
                """).replace("size: 16MiB", "size: 256MiB"));
        JsonNode copied = run.ofType("transfer.finished").stream().filter(t -> t.get("kind").asText().equals("initial"))
                .findFirst().orElseThrow();
        JsonNode leaves = run.ofType("vm.health").stream().filter(h -> h.get("from").asText().equals("Critical"))
                .findFirst().orElseThrow();
        assertEquals("Warning", leaves.get("to").asText(), "initial replication still runs");
        assertTrue(run.ofType("transfer.failed").stream().anyMatch(t -> t.get("kind").asText().equals("initial")
                && run.at(t).equals(Duration.ofMinutes(2))), "the copy's pieces in flight failed with the link");
        assertEquals(run.at(copied), run.at(leaves), "the transfer that got through ends the persistent error");
        assertTrue(run.at(copied).compareTo(Duration.ofMinutes(62)) > 0);
    }

    @Test
    void aRetryDueWhenAResyncIsRequiredIsDropped() throws Exception {
        // a storage error fails a cycle (retry due a minute later); before it is due the VM is reverted: the
        // resync, outside office hours, starts and ends at once; the retry must not run a cycle of its own
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 30m, kind: storage-internal-error, requests: 1 }
                  - { at: 31m20s, kind: vm-reverted, vm: vm1 }
                """));
        JsonNode error = run.ofType("error").get(0);
        Duration due = run.at(error).plus(Duration.parse(run.ofType("retry.scheduled").get(0).get("delay").asText()));
        JsonNode finished = run.ofType("resync.finished").get(0);
        assertTrue(run.at(finished).compareTo(due) < 0, "the resync is over before the retry was due");
        assertEquals(List.of(), run.events.stream().filter(e -> e.has("t") && run.at(e).equals(due)).toList(),
                "nothing runs when the dropped retry was due");
        // the cycles start again on the grid of the resync's end
        Duration next = run.at(run.ofType("log.switched").stream().filter(l -> run.at(l).compareTo(run.at(finished)) > 0)
                .findFirst().orElseThrow());
        assertEquals(run.at(finished).plusMinutes(5), next);
    }

    @Test
    void aNonRecoverableErrorFailsTheRunningResynchronizeJobAndTheResumeStartsANewOne() throws Exception {
        // the administrator's resync meets an authentication error as it reads the replica's blocks
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                resync: { automatic: false }
                faults:
                  - { at: 30m, kind: vm-reverted, vm: vm1 }
                  - { at: 40m, kind: authentication-failure, for: 10m }
                actions:
                  - { at: 40m, do: resync, vm: vm1 }
                  - { at: 1h, do: resume, vm: vm1 }
                """));
        JsonNode error = run.ofType("error").get(0);
        assertEquals("AuthenticationFailed", error.get("code").asText());
        List<JsonNode> jobs = run.ofType("job.finished").stream().filter(j -> j.get("name").asText().equals("Resynchronize")).toList();
        assertEquals(List.of("Failed", "Succeeded"), jobs.stream().map(j -> j.get("status").asText()).toList());
        assertEquals(run.at(error), run.at(jobs.get(0)), "the error ends the job at once");
        JsonNode second = run.ofType("job.started").stream().filter(j -> j.get("job").asText().equals(jobs.get(1).get("job").asText()))
                .findFirst().orElseThrow();
        assertTrue(run.at(second).compareTo(Duration.ofHours(1)) >= 0, "a new job after the resume");
        // the resumed resync is proven once its blocks are in Azure: Critical ends then
        JsonNode blocks = run.ofType("transfer.finished").stream().filter(t -> run.at(t).compareTo(Duration.ofHours(1)) >= 0)
                .findFirst().orElseThrow();
        JsonNode proven = run.ofType("vm.health").stream().filter(h -> run.at(h).compareTo(Duration.ofHours(1)) >= 0)
                .findFirst().orElseThrow();
        assertEquals("Critical", proven.get("from").asText());
        assertEquals(run.at(blocks), run.at(proven));
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aResumedJobStepThatSucceedsProvesTheResume() throws Exception {
        // the VM is not found while Enable protection creates the replication relationship: the job fails and the
        // VM waits; the resume runs the step again at once, and its success ends Critical then, before anything is sent
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                faults:
                  - { at: 30s, kind: vm-not-found, vm: vm1, for: 2m }
                actions:
                  - { at: 5m, do: resume, vm: vm1 }
                """));
        assertEquals("VmNotFound", run.ofType("error").get(0).get("code").asText());
        JsonNode step = run.ofType("job.step").stream().filter(s -> run.at(s).compareTo(Duration.ofMinutes(5)) >= 0
                && s.get("status").asText().equals("Succeeded")).findFirst().orElseThrow();
        assertEquals("Create replication relationship", step.get("step").asText());
        assertEquals(Duration.ofMinutes(5), run.at(step));
        JsonNode proven = run.ofType("vm.health").stream().filter(h -> h.get("from").asText().equals("Critical"))
                .findFirst().orElseThrow();
        assertEquals(Duration.ofMinutes(5), run.at(proven));
        assertEquals("Normal", proven.get("to").asText());
    }

    @Test
    void whenTheWorkloadStopsTheLastLogIsShippedAtOnceAndTheRunEndsWhenItIsApplied() throws Exception {
        // no retry is due at the end: the last cycle does not wait for the copy-frequency grid
        RunFixture run = RunFixture.run(RunFixture.small("1h", ""));
        JsonNode stopped = run.ofType("workload.stopped").get(0);
        JsonNode last = run.ofType("log.switched").get(run.ofType("log.switched").size() - 1);
        assertEquals(run.at(stopped), run.at(last));
        JsonNode applied = run.ofType("log.applied").get(run.ofType("log.applied").size() - 1);
        assertEquals(last.get("sequence"), applied.get("sequence"));
        assertEquals(run.at(applied), run.record.simulated());
    }

    /**
     * A cycle is on the retry ladder (the host short of memory) when a planned failover starts; the VM is not found
     * as the job shuts it down and as the cycle's retry runs: both wait, in either order, and the resume runs them
     * again, the job from its failed step.
     */
    @ParameterizedTest(name = "job first: {3}")
    @CsvSource({
        "2h5m43s, 2h28m15s, 3m39s, true", // the job's step fails, then the retry due at 2h31m13.4s
        "2h20m, 2h28m, 5m, false"})         // the retry due at 2h28m13.4s fails, then the job's step
    void operationsThatFailForGoodWhileTheVmWaitsAllRunAgainOnResume(String lowMemoryAt, String notFoundAt, String notFoundFor,
            boolean jobFirst) throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("4h", """
                faults:
                  - { at: %s, kind: low-memory, host: hv01, for: 30m }
                  - { at: %s, kind: vm-not-found, vm: vm1, for: %s }
                actions:
                  - { at: 2h27m53s, do: planned-failover, vm: vm1 }
                  - { at: 3h, do: resume, vm: vm1 }
                """.formatted(lowMemoryAt, notFoundAt, notFoundFor)).replace("size: 16MiB", "size: 32MiB"));
        List<JsonNode> notFound = run.ofType("error").stream().filter(e -> e.get("code").asText().equals("VmNotFound")).toList();
        assertEquals(List.of(jobFirst, !jobFirst), notFound.stream().map(e -> e.has("job")).toList(), notFound.toString());
        List<JsonNode> failovers = run.ofType("job.started").stream().filter(j -> j.get("name").asText().equals("Planned failover")).toList();
        assertEquals(2, failovers.size());
        assertEquals(Duration.ofHours(3), run.at(failovers.get(1)), "the job again at the resume");
        assertEquals("Shut down the virtual machine", steps(run, failovers.get(1)).get(0).get("step").asText());
        assertEquals("Failover complete", run.record.vms().get(0).finalState());
    }

    @Test
    void theLadderItself() {
        long[] expected = {1, 2, 4, 8, 10, 30, 30, 30};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            assertEquals(Duration.ofMinutes(expected[attempt - 1]), Duration.ofNanos(RetryLadder.delay(attempt)));
        }
    }

    @Test
    void aJobStepThatFailsFailsItsJobThereAndTheRetryIsANewJobFromThatStep() throws Exception {
        // the host is short of memory for the first two minutes: the relationship cannot be made at 40 s nor at 100 s
        RunFixture run = RunFixture.run(RunFixture.small("10m", """
                faults:
                  - { at: 0s, kind: low-memory, host: hv01, for: 2m }
                """));
        List<String> lines = run.events.stream().filter(e -> e.get("type").asText().startsWith("job."))
                .map(e -> run.at(e).toSeconds() + "s " + e.get("type").asText() + " " + (e.has("step") ? e.get("step").asText() + ": " : "")
                        + (e.has("status") ? e.get("status").asText() : e.get("name").asText()))
                .limit(16).toList();
        assertEquals(List.of(
                "0s job.started Enable protection",
                "0s job.step Prerequisites check: In progress",
                "20s job.step Prerequisites check: Succeeded",
                "20s job.step Create replication relationship: In progress",
                "40s job.step Create replication relationship: Failed",
                "40s job.finished Failed",
                // the ladder's first retry: the steps done are not run again, the failed one is tried at once
                "100s job.started Enable protection",
                "100s job.step Create replication relationship: In progress",
                "100s job.step Create replication relationship: Failed",
                "100s job.finished Failed",
                "220s job.started Enable protection",
                "220s job.step Create replication relationship: In progress",
                "220s job.step Create replication relationship: Succeeded",
                "220s job.step Start replication: In progress",
                "240s job.step Start replication: Succeeded",
                "240s job.finished Succeeded"), lines);
        assertEquals(List.of("LowMemory", "LowMemory"), run.ofType("error").stream().map(e -> e.get("code").asText()).toList());
    }
}
