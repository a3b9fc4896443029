package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failover family, through the real kernel and stack; every failover is verified block by block. */
class FailoverTest {

    private static JsonNode failover(RunFixture run) {
        return run.ofType("failover.finished").get(0);
    }

    @Test
    void aTestFailoverIsVerifiedAndLeavesReplicationRunning() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 1h, do: test-failover, vm: vm1 }
                  - { at: 90m, do: test-failover-cleanup, vm: vm1 }
                """));
        JsonNode f = failover(run);
        assertEquals("test", f.get("kind").asText());
        assertEquals("vm1-test", f.get("azureVm").asText());
        assertEquals("site1-vnet", f.get("virtualNetwork").asText());
        assertTrue(f.get("verified").asBoolean());
        // cycles went on during and after the test, and the run ends with the replica in step
        assertTrue(run.ofType("recovery-point.created").stream().anyMatch(rp -> run.at(rp).compareTo(Duration.ofMinutes(61)) > 0
                && run.at(rp).compareTo(Duration.ofMinutes(89)) < 0));
        assertEquals(List.of("Enable protection", "Finalize protection", "Test failover", "Test failover cleanup"),
                run.ofType("job.started").stream().map(j -> j.get("name").asText()).toList());
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aCleanupDeletesTheTestVmSoTheNextTestFailoverCanMakeItAgain() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 1h, do: test-failover, vm: vm1 }
                  - { at: 70m, do: test-failover-cleanup, vm: vm1 }
                  - { at: 80m, do: test-failover, vm: vm1 }
                """));
        List<JsonNode> tests = run.ofType("failover.finished");
        assertEquals(2, tests.size(), run.ofType("error").toString());
        assertTrue(tests.stream().allMatch(f -> f.get("azureVm").asText().equals("vm1-test") && f.get("verified").asBoolean()));
        assertTrue(run.ofType("job.finished").stream().allMatch(j -> j.get("status").asText().equals("Succeeded")));
    }

    @Test
    void aPlannedFailoverLosesNothing() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 1h, do: planned-failover, vm: vm1 }
                """));
        JsonNode f = failover(run);
        assertEquals("planned", f.get("kind").asText());
        assertEquals("PT0S", f.get("dataLoss").asText());
        assertEquals(0, f.get("blocksLost").asLong());
        assertTrue(f.get("verified").asBoolean());
        // the point it used was cut after the source shut down
        Duration cut = Duration.between(OffsetDateTime.parse("2026-01-05T08:00:00+01:00"), OffsetDateTime.parse(f.get("pointInTime").asText()));
        assertTrue(cut.compareTo(Duration.ofHours(1)) > 0, "cut at " + cut);
        List<String> states = run.ofType("vm.state").stream().map(s -> s.get("to").asText()).toList();
        assertEquals(List.of("Ready for replication", "Waiting to complete initial replication", "Replicating",
                "Prepared for planned failover", "Failover complete"), states);
        assertEquals("Failover complete", run.record.vms().get(0).finalState());
    }

    @Test
    void anUnplannedFailoverLosesExactlyTheRpoOfThatMoment() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 63m, do: unplanned-failover, vm: vm1 }
                """));
        JsonNode f = failover(run);
        assertEquals("unplanned", f.get("kind").asText());
        assertTrue(f.get("verified").asBoolean(), "the point's content is intact");
        assertTrue(f.get("blocksLost").asLong() > 0, "the source wrote after the point");
        // the RPO at that moment: from the newest point's cut to the failover's moment
        JsonNode newest = run.ofType("recovery-point.created").stream().filter(rp -> run.at(rp).compareTo(Duration.ofMinutes(63)) <= 0)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(newest.get("recoveryPoint").asText(), f.get("recoveryPoint").asText());
        Duration cut = Duration.between(OffsetDateTime.parse("2026-01-05T08:00:00+01:00"), OffsetDateTime.parse(newest.get("pointInTime").asText()));
        // the source stopped at the action; the Azure VM is made 40 s later, which loses nothing more
        assertEquals(Duration.ofMinutes(63).minus(cut), Duration.parse(f.get("dataLoss").asText()));
        assertEquals(Duration.ofMinutes(63).plusSeconds(40), run.at(f));
        assertTrue(Duration.parse(f.get("dataLoss").asText()).compareTo(Duration.ofMinutes(6)) < 0);
    }

    @Test
    void anUnplannedFailoverStopsReplicationAtTheActionNotWhenItsJobEnds() throws Exception {
        // the action comes 6.7 s before a cycle is due; the job takes 40 s: no cycle runs meanwhile
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 66m, do: unplanned-failover, vm: vm1 }
                """));
        assertTrue(run.ofType("log.switched").stream().anyMatch(l -> run.at(l).equals(Duration.ofMinutes(61).plusNanos(6_710_886_400L))),
                "cycles at 1m06.7s past each 5 minutes");
        assertEquals(List.of(), run.events.stream().filter(e -> e.has("t") && run.at(e).compareTo(Duration.ofMinutes(66)) >= 0
                && e.get("type").asText().matches("log\\..*|transfer\\..*|recovery-point\\..*")).toList());
        assertEquals(Duration.ofMinutes(66).plusSeconds(40), run.at(failover(run)));
    }

    @Test
    void commitAndDisableReplicationRunTheirJobs() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 1h, do: unplanned-failover, vm: vm1, recoveryPoint: latest-app }
                  - { at: 70m, do: commit, vm: vm1 }
                """));
        assertTrue(failover(run).get("verified").asBoolean());
        JsonNode commit = run.ofType("job.finished").stream().filter(j -> j.get("name").asText().equals("Commit"))
                .findFirst().orElseThrow();
        assertEquals("Succeeded", commit.get("status").asText());
        // the Azure VM is production now: every recovery point goes, in the commit's step
        List<String> created = run.ofType("recovery-point.created").stream().map(c -> c.get("recoveryPoint").asText()).toList();
        List<JsonNode> pruned = run.ofType("recovery-point.pruned").stream().filter(c -> run.at(c).equals(run.at(commit))).toList();
        assertEquals(created.stream().filter(id -> run.ofType("recovery-point.pruned").stream()
                .noneMatch(c -> c.get("recoveryPoint").asText().equals(id) && run.at(c).compareTo(run.at(commit)) < 0)).toList(),
                pruned.stream().map(c -> c.get("recoveryPoint").asText()).toList());
        assertTrue(pruned.size() > 1, pruned.toString());
        RunFixture disabled = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 1h, do: disable-replication, vm: vm1 }
                """));
        assertEquals("Not enabled", disabled.record.vms().get(0).finalState());
        assertTrue(disabled.ofType("transfer.started").stream().noneMatch(t -> disabled.at(t).compareTo(Duration.ofMinutes(61)) > 0));
    }

    @Test
    void aTestFailoverThatMeetsAResyncTakesAPointThatStillExistsAndNeverStopsReplication() throws Exception {
        // the resync starts at 18:00 and drops the old points while the test failover's job runs
        RunFixture run = RunFixture.run(RunFixture.small("12h", """
                resync: { blockSize: 256KiB }
                faults:
                  - { at: 90m, kind: network-outage, for: 3h }
                actions:
                  - { at: 10h, do: test-failover, vm: vm1 }
                """));
        assertTrue(run.ofType("resync.started").stream().anyMatch(r -> run.at(r).equals(Duration.ofHours(10))));
        assertTrue(run.ofType("error").stream().noneMatch(e -> run.at(e).compareTo(Duration.ofHours(10)) >= 0), "no error");
        assertTrue(failover(run).get("verified").asBoolean());
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void anImpossibleActionIsRefusedWithAReason() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                actions:
                  - { at: 10s, do: test-failover, vm: vm1 }
                  - { at: 30m, do: test-failover-cleanup, vm: vm1 }
                """));
        List<String> reasons = run.ofType("action.refused").stream().map(r -> r.get("reason").asText()).toList();
        assertEquals(List.of("no recovery point yet", "there is no test failover"), reasons);
    }

    @Test
    void anActionIsRefusedWhileAJobThatTakesTheVmOverRunsOrWhatItNeedsIsMissing() throws Exception {
        // job steps take 20 seconds: the test failover's job runs from 1h to 1h01m, the planned failover's from 2h
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                actions:
                  - { at: 5s, do: disable-replication, vm: vm1 }
                  - { at: 10s, do: commit, vm: vm1 }
                  - { at: 30m, do: resync, vm: vm1 }
                  - { at: 1h, do: test-failover, vm: vm1 }
                  - { at: 3610s, do: test-failover, vm: vm1 }
                  - { at: 3630s, do: test-failover-cleanup, vm: vm1 }
                  - { at: 65m, do: test-failover, vm: vm1 }
                  - { at: 70m, do: test-failover-cleanup, vm: vm1 }
                  - { at: 2h, do: planned-failover, vm: vm1 }
                  - { at: 7210s, do: unplanned-failover, vm: vm1 }
                  - { at: 7215s, do: test-failover, vm: vm1 }
                  - { at: 150m, do: unplanned-failover, vm: vm1 }
                  - { at: 151m, do: test-failover, vm: vm1 }
                """));
        List<String> refused = refusals(run);
        assertEquals(List.of(
                "5s disable-replication: replication is not enabled (yet): the job enabling it is still running",
                "10s commit: there is no failover to commit",
                "1800s resync: no resynchronization is required: the VM is Replicating",
                "3610s test-failover: a Test failover job is running",
                "3630s test-failover-cleanup: a Test failover job is running",
                "3900s test-failover: a test failover exists: clean it up first",
                "7210s unplanned-failover: a Planned failover job is running",
                "7215s test-failover: a Planned failover job is running",
                "9000s unplanned-failover: the VM has failed over already",
                "9060s test-failover: the VM has failed over"), refused);
        assertEquals(1, run.ofType("job.finished").stream().filter(j -> j.get("name").asText().equals("Test failover cleanup")
                && j.get("status").asText().equals("Succeeded")).count());
    }

    /** Each refusal as "seconds since the start, action: reason". */
    private static List<String> refusals(RunFixture run) {
        return run.ofType("action.refused").stream()
                .map(r -> run.at(r).toSeconds() + "s " + r.get("action").asText() + ": " + r.get("reason").asText()).toList();
    }

    @Test
    void aFailoverIsRefusedWhileTheLastFailoversAzureVmStillExists() throws Exception {
        // failed back, the reprotect's first step cannot delete the Azure VM (the storage busy): it waits on the
        // retry ladder, no job running, the VM neither failed over nor replicating; a failover would collide with that VM
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 50m, kind: storage-unavailable, for: 15m }
                actions:
                  - { at: 30m, do: unplanned-failover, vm: vm1 }
                  - { at: 35m, do: failback, vm: vm1, sync: checksum }
                  - { at: 52m, do: reprotect, vm: vm1 }
                  - { at: 59m, do: unplanned-failover, vm: vm1 }
                  - { at: 3560s, do: planned-failover, vm: vm1 }
                """));
        assertTrue(run.ofType("retry.scheduled").stream().anyMatch(r -> run.at(r).compareTo(Duration.ofMinutes(52)) > 0
                && run.at(r).compareTo(Duration.ofMinutes(59)) < 0), "the reprotect waits on the ladder");
        assertEquals(List.of("3540s unplanned-failover: the last failover's Azure VM still exists: reprotect the VM first",
                "3560s planned-failover: the last failover's Azure VM still exists: reprotect the VM first"), refusals(run));
        assertEquals(1, run.ofType("failover.finished").size());
        assertEquals("Replicating", run.record.vms().get(0).finalState(), "the reprotect went through once the storage was back");
    }

    @Test
    void withoutAnAppConsistentPointBeforeReplicatingOrOnceDisabledAFailoverIsRefused() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 30s, do: planned-failover, vm: vm1 }
                  - { at: 30m, do: test-failover, vm: vm1, recoveryPoint: latest-app }
                  - { at: 40m, do: unplanned-failover, vm: vm1, recoveryPoint: latest-app }
                  - { at: 1h, do: disable-replication, vm: vm1 }
                  - { at: 3610s, do: disable-replication, vm: vm1 }
                  - { at: 3620s, do: test-failover, vm: vm1 }
                  - { at: 80m, do: test-failover, vm: vm1 }
                """).replace("appConsistentEvery: 1h", "appConsistentEvery: 0h"));
        List<String> refused = refusals(run);
        assertEquals(6, refused.size(), "every action but the first disabling: " + refused);
        // what Hyper-V says while it does not replicate (the relationship is made at 40s), not the stack's own state
        assertEquals("30s planned-failover: a planned failover needs a replicating VM, this one is Not enabled", refused.get(0));
        assertEquals(List.of(
                "1800s test-failover: no app-consistent recovery point yet",
                "2400s unplanned-failover: no app-consistent recovery point yet",
                "3610s disable-replication: replication is disabled already",
                "3620s test-failover: a Disable replication job is running",
                "4800s test-failover: replication is disabled"), refused.subList(1, refused.size()));
        assertTrue(run.ofType("recovery-point.created").stream().allMatch(c -> c.get("consistency").asText().equals("crash")));
    }

    /** The job lines of one job: "step status" for each job.step, then "finished status". */
    private static List<String> jobLines(RunFixture run, String job) {
        return run.events.stream().filter(e -> job.equals(e.path("job").asText()))
                .filter(e -> e.get("type").asText().equals("job.step") || e.get("type").asText().equals("job.finished"))
                .map(e -> run.at(e).toSeconds() + "s " + (e.has("step") ? e.get("step").asText() + ": " : "") + e.get("status").asText())
                .toList();
    }

    private static JsonNode job(RunFixture run, String name) {
        return run.ofType("job.started").stream().filter(j -> j.get("name").asText().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anUnplannedFailoverInterruptsATestFailoverJobStillRunning() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                actions:
                  - { at: 30m, do: test-failover, vm: vm1 }
                  - { at: 1830s, do: unplanned-failover, vm: vm1 }
                """));
        // replication stopped at 1830 s: the test failover's next step, due at 1840 s, does not run
        String test = job(run, "Test failover").get("job").asText();
        assertEquals(List.of("1800s Prerequisites check: In progress", "1820s Prerequisites check: Succeeded",
                "1820s Create test virtual machine: In progress", "1840s Failed"), jobLines(run, test));
        assertEquals(List.of("unplanned"), run.ofType("failover.finished").stream().map(f -> f.get("kind").asText()).toList());
    }

    @Test
    void aTestFailoverThatFailsFailsItsJobAloneAndCountsAsAnError() throws Exception {
        // the storage refuses every request from 1830 s to 1845 s: the test VM's creation at 1840 s
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                faults:
                  - { at: 1830s, kind: authentication-failure, for: 15s }
                actions:
                  - { at: 30m, do: test-failover, vm: vm1 }
                """));
        String test = job(run, "Test failover").get("job").asText();
        assertEquals(List.of("1800s Prerequisites check: In progress", "1820s Prerequisites check: Succeeded",
                "1820s Create test virtual machine: In progress", "1840s Create test virtual machine: Failed", "1840s Failed"),
                jobLines(run, test));
        List<JsonNode> errors = run.ofType("error");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(test, errors.get(0).get("job").asText());
        assertEquals("AuthenticationFailed", errors.get(0).get("code").asText());
        assertEquals(1, run.record.vms().get(0).errors());
        // replication went on as it was: no retry, no wait for an administrator
        assertEquals(List.of(), run.ofType("retry.scheduled"));
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertEquals("Normal", run.record.vms().get(0).finalHealth());
        assertEquals(List.of(), run.ofType("failover.finished"));
    }

    @Test
    void aFailoverWhoseLastChangeHyperVRefusedCompletesWhenTheAdministratorResumes() throws Exception {
        // the VM is not found on its host from 1880 s to 2000 s: the failover job ends at 1890 s, and
        // Hyper-V cannot record the VM as failed over then
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                faults:
                  - { at: 1880s, kind: vm-not-found, vm: vm1, for: 2m }
                actions:
                  - { at: 1830s, do: unplanned-failover, vm: vm1 }
                  - { at: 35m, do: resume, vm: vm1 }
                """));
        assertEquals("Succeeded", run.ofType("job.finished").stream()
                .filter(j -> j.get("name").asText().equals("Unplanned failover")).findFirst().orElseThrow().get("status").asText());
        JsonNode error = run.ofType("error").get(0);
        assertEquals("VmNotFound", error.get("code").asText());
        assertEquals(Duration.ofSeconds(1890), run.at(error));
        JsonNode failedOver = run.ofType("vm.state").stream().filter(s -> s.get("to").asText().equals("Failover complete"))
                .findFirst().orElseThrow();
        assertEquals(Duration.ofMinutes(35), run.at(failedOver), "the change is made again at the resume");
        assertEquals("Failover complete", run.record.vms().get(0).finalState());
        assertEquals("Normal", run.record.vms().get(0).finalHealth());
    }

    /** The small site over 256 kbps: a cycle's log of about 1 MiB takes about 40 seconds to ship, on a grid at 44.288 s past minutes 4 and 9. */
    private static RunFixture plannedOverASlowLink(String at) throws Exception {
        return RunFixture.run(RunFixture.small("2h", "actions:\n  - { at: " + at + ", do: planned-failover, vm: vm1 }\n")
                .replace("bandwidth: 20Mbps", "bandwidth: 256kbps"));
    }

    private static List<Duration> switchesAfter(RunFixture run, Duration t) {
        return run.ofType("log.switched").stream().map(run::at).filter(s -> s.compareTo(t) > 0).toList();
    }

    @Test
    void aPlannedFailoversFinalSyncIsOneCycleStartedAtItsStepWhateverTheGrid() throws Exception {
        // the job's steps take 20 s each: the source shuts down at 104m05s, the final sync starts at 104m25s
        Duration request = Duration.parse("PT103M25S");
        RunFixture run = plannedOverASlowLink("103m25s");
        Duration syncStart = request.plusSeconds(60);
        List<Duration> before = run.ofType("log.switched").stream().map(run::at).filter(s -> s.compareTo(request) < 0).toList();
        Duration gridCycle = before.get(before.size() - 1).plusMinutes(5);
        JsonNode f = failover(run);
        // the regular cycle would have come while the final sync shipped: it must not run
        assertTrue(gridCycle.compareTo(syncStart) > 0 && gridCycle.compareTo(run.at(f)) < 0,
                "the grid's cycle at " + gridCycle + " falls within the final sync (" + syncStart + " to " + run.at(f) + ")");
        assertEquals(List.of(syncStart), switchesAfter(run, request), "one cycle, at the final sync's step");
        assertEquals(syncStart, Duration.between(OffsetDateTime.parse("2026-01-05T08:00:00+01:00"),
                OffsetDateTime.parse(f.get("pointInTime").asText())));
        assertEquals("PT0S", f.get("dataLoss").asText());
    }

    @Test
    void aPlannedFailoverRequestedWhileACycleShipsWaitsForItThenRunsOneMore() throws Exception {
        // the final sync's step comes at 99m55s, while the cycle started at 99m44.288s ships
        Duration request = Duration.parse("PT98M55S");
        RunFixture run = plannedOverASlowLink("98m55s");
        List<Duration> switches = switchesAfter(run, request);
        assertEquals(2, switches.size(), switches.toString());
        assertTrue(switches.get(0).compareTo(request.plusSeconds(60)) < 0, "the cycle in flight began before the step: " + switches);
        Duration cycleEnd = run.at(run.ofType("recovery-point.created").stream().filter(rp -> run.at(rp).compareTo(switches.get(0)) > 0)
                .findFirst().orElseThrow());
        assertTrue(cycleEnd.compareTo(request.plusSeconds(60)) > 0, "the cycle in flight ended after the step: " + cycleEnd);
        assertEquals(cycleEnd, switches.get(1), "one more cycle starts as the one in flight ends");
        JsonNode f = failover(run);
        assertEquals(cycleEnd, Duration.between(OffsetDateTime.parse("2026-01-05T08:00:00+01:00"),
                OffsetDateTime.parse(f.get("pointInTime").asText())));
        assertEquals("PT0S", f.get("dataLoss").asText());
        assertTrue(f.get("verified").asBoolean());
    }

    @Test
    void aResyncRequiredDuringAPlannedFailoversFinalSyncCallsItOffAndTheVmRunsOn() throws Exception {
        // the VM is shut down for the planned failover at 30m40s and reverted a second later: the final sync's log
        // switch finds its tracking untrusted. The failover is called off: the VM is started again, resynchronized,
        // and replicates its new writes
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                resync: { officeHours: "Sat 00:00-01:00" }
                faults:
                  - { at: 30m41s, kind: vm-reverted, vm: vm1 }
                actions:
                  - { at: 30m, do: planned-failover, vm: vm1 }
                """));
        JsonNode required = run.ofType("resync.required").get(0);
        assertEquals("vm-reverted", required.get("reason").asText());
        assertEquals("Prepared for planned failover", run.ofType("vm.state").stream()
                .filter(s -> run.at(s).compareTo(run.at(required)) < 0).reduce((a, b) -> b).orElseThrow().get("to").asText());
        assertEquals(List.of("Failed"), run.ofType("job.finished").stream().filter(j -> j.get("name").asText().equals("Planned failover"))
                .map(j -> j.get("status").asText()).toList());
        assertEquals(List.of(), run.ofType("failover.finished"));
        JsonNode finished = run.ofType("resync.finished").get(0);
        List<JsonNode> after = run.ofType("log.switched").stream().filter(l -> run.at(l).compareTo(run.at(finished)) > 0).toList();
        assertTrue(!after.isEmpty(), "cycles after the resync");
        assertTrue(after.stream().allMatch(l -> l.get("records").asLong() > 0), "the VM writes again: " + after);
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }
}
