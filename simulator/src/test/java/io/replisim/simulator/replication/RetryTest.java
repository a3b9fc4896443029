package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    void theLadderItself() {
        long[] expected = {1, 2, 4, 8, 10, 30, 30, 30};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            assertEquals(Duration.ofMinutes(expected[attempt - 1]), Duration.ofNanos(RetryLadder.delay(attempt)));
        }
    }
}
