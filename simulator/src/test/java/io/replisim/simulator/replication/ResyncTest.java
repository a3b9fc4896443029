package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resynchronization, through the real kernel and stack. */
class ResyncTest {
    /**
     * 256 KiB/min on a 16 MiB disk, all of it into the first 10% of the disk: an outage from
     * 09:30 fills the logs to 8 MiB, 50%, about half an hour later, within office hours.
     */
    private static final String OUTAGE_IN_OFFICE_HOURS = RunFixture.small("12h", """
            resync: { blockSize: 256KiB }
            faults:
              - { at: 90m, kind: network-outage, for: 2h }
            """).replace("churn: { rate: 256KiB/min }", "churn: { rate: 256KiB/min, hotspot: 0.1, hotShare: 1.0 }");

    @Test
    void theLogThresholdFiresWhenPendingLogsReachHalfTheDiskSize() throws Exception {
        RunFixture run = RunFixture.run(OUTAGE_IN_OFFICE_HOURS);
        JsonNode required = run.ofType("resync.required").get(0);
        long logBytes = required.get("logBytes").asLong();
        long diskBytes = required.get("diskBytes").asLong();
        assertEquals(16L << 20, diskBytes);
        assertEquals("log-threshold", required.get("reason").asText());
        // checked after every 10-second workload batch: at most one batch (~43 KiB of writes, plus record headers) over
        assertTrue(logBytes >= diskBytes / 2, "fired at " + logBytes);
        assertTrue(logBytes < diskBytes / 2 + 64 * 1024, "fired late, at " + logBytes);
        JsonNode state = run.ofType("vm.state").stream().filter(s -> s.get("to").asText().equals("Resynchronization required"))
                .findFirst().orElseThrow();
        assertEquals(run.at(required), run.at(state));
        JsonNode health = run.ofType("vm.health").stream().filter(h -> run.at(h).compareTo(run.at(required)) <= 0)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals("Critical", health.get("to").asText());
    }

    @Test
    void anAutomaticResyncStartsInTheNextOffHoursWindow() throws Exception {
        RunFixture run = RunFixture.run(OUTAGE_IN_OFFICE_HOURS);
        Duration required = run.at(run.ofType("resync.required").get(0));
        assertTrue(required.compareTo(Duration.ofHours(1)) > 0 && required.compareTo(Duration.ofHours(10)) < 0,
                "required during office hours, at " + required);
        JsonNode started = run.ofType("resync.started").get(0);
        assertEquals("scheduled", started.get("trigger").asText());
        assertEquals(Duration.ofHours(10), run.at(started), "Monday 18:00, the end of office hours");
    }

    @Test
    void resyncSendsOnlyTheBlocksThatDifferAndReplicationResumes() throws Exception {
        RunFixture run = RunFixture.run(OUTAGE_IN_OFFICE_HOURS);
        JsonNode finished = run.ofType("resync.finished").get(0);
        assertEquals(64, finished.get("blocksCompared").asLong()); // 16 MiB / 256 KiB
        long sent = finished.get("bytesSent").asLong();
        assertEquals(finished.get("blocksSent").asLong() * 256 * 1024, sent);
        // only the written 1.6 MiB (7 blocks of 256 KiB) can differ: far below the disk size
        assertTrue(sent > 0 && sent <= 7 * 256 * 1024, "sent " + sent + " bytes");
        // the recovery points from before are gone, delta replication resumes, and nothing is lost
        assertTrue(run.ofType("recovery-point.pruned").stream().anyMatch(p -> run.at(p).equals(run.at(finished))));
        List<String> states = run.ofType("vm.state").stream().map(s -> s.get("to").asText()).toList();
        assertEquals(List.of("Ready for replication", "Waiting to complete initial replication", "Replicating",
                "Resynchronization required", "Resynchronizing", "Replicating"), states);
        assertTrue(run.ofType("log.applied").stream().anyMatch(l -> run.at(l).compareTo(run.at(finished)) > 0));
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void theBlockComparisonStepIsDoneWhenTheBlocksAreInAzureBeforeTheLogsWrittenMeanwhileShip() throws Exception {
        RunFixture run = RunFixture.run(OUTAGE_IN_OFFICE_HOURS);
        JsonNode finished = run.ofType("resync.finished").get(0);
        JsonNode compared = run.ofType("job.step").stream()
                .filter(s -> s.get("step").asText().equals("Compare and synchronize blocks") && s.get("status").asText().equals("Succeeded"))
                .findFirst().orElseThrow();
        JsonNode lastBlock = run.ofType("transfer.finished").stream()
                .filter(t -> run.at(t).compareTo(run.at(compared)) <= 0).reduce((a, b) -> b).orElseThrow();
        assertEquals(run.at(lastBlock), run.at(compared), "done with the last block");
        assertTrue(run.at(compared).compareTo(run.at(finished)) < 0, "before the logs written during the resync are shipped");
    }

    @Test
    void eachResyncReportsTheBytesItSentItself() throws Exception {
        // two reverts, each a resync: the second reports its own blocks' bytes, not the VM's total
        RunFixture run = RunFixture.run(RunFixture.small("4h", """
                resync: { blockSize: 256KiB }
                faults:
                  - { at: 30m, kind: vm-reverted, vm: vm1 }
                  - { at: 2h, kind: vm-reverted, vm: vm1 }
                """));
        List<JsonNode> finished = run.ofType("resync.finished");
        assertEquals(2, finished.size(), finished.toString());
        for (JsonNode f : finished) {
            assertTrue(f.get("blocksSent").asLong() > 0, f.toString());
            assertEquals(f.get("blocksSent").asLong() * 256 * 1024, f.get("bytesSent").asLong(), f.toString());
        }
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
        // the first resync drops the points from before the revert, though they are within the retention
        List<String> before = run.ofType("recovery-point.created").stream()
                .filter(c -> run.at(c).compareTo(run.at(run.ofType("resync.required").get(0))) < 0)
                .map(c -> c.get("recoveryPoint").asText()).toList();
        List<String> pruned = run.ofType("recovery-point.pruned").stream().filter(c -> run.at(c).compareTo(run.at(finished.get(0))) <= 0)
                .map(c -> c.get("recoveryPoint").asText()).toList();
        assertFalse(before.isEmpty());
        assertTrue(pruned.containsAll(before), "pruned " + pruned + " of " + before);
    }

    @Test
    void withoutAutomaticResyncTheAdministratorStartsIt() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("6h", """
                resync: { automatic: false, blockSize: 256KiB }
                faults:
                  - { at: 30m, kind: network-outage, for: 1h }
                actions:
                  - { at: 3h, do: resync, vm: vm1 }
                """));
        JsonNode started = run.ofType("resync.started").get(0);
        assertEquals("manual", started.get("trigger").asText());
        assertEquals(Duration.ofHours(3), run.at(started));
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aResyncThatHyperVCannotStartWaitsForTheAdministratorOnce() throws Exception {
        // the chain breaks during initial replication (the merge fails: Error), then the log writes fail: the
        // resync this requires cannot merge the checkpoint either; it waits for the administrator, once
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 30s, kind: broken-vhd-chain, vm: vm1, for: 1h }
                  - { at: 10m, kind: log-write-failure, vm: vm1, for: 20m }
                actions:
                  - { at: 80m, do: resume, vm: vm1 }
                """).replace("size: 16MiB", "size: 256MiB"));
        List<JsonNode> required = run.ofType("resync.required");
        assertEquals(1, required.stream().filter(r -> run.at(r).compareTo(Duration.ofMinutes(80)) < 0).count(),
                "one requirement before the resume, not one every workload step: " + required.size());
        long errors = run.ofType("error").stream().filter(e -> run.at(e).compareTo(Duration.ofMinutes(80)) < 0).count();
        assertTrue(errors <= 3, errors + " errors before the resume");
        // the administrator's resume plans the resync, which repairs the replica
        assertTrue(required.stream().anyMatch(r -> run.at(r).equals(Duration.ofMinutes(80))));
        assertEquals(1, run.ofType("resync.finished").size());
    }

    @Test
    void aManualResyncWhileAFailoverRunsIsRefused() throws Exception {
        // the VM waits in Resynchronization required (no automatic resync) when it is failed over;
        // an administrator's resync while the failover's job runs is refused, not a crash
        RunFixture run = RunFixture.run(RunFixture.small("4h", """
                resync: { automatic: false }
                faults:
                  - { at: 30m, kind: network-outage, for: 1h }
                actions:
                  - { at: 2h, do: unplanned-failover, vm: vm1 }
                  - { at: 2h0m5s, do: resync, vm: vm1 }
                """));
        assertEquals("Resynchronization required", run.ofType("vm.state").stream()
                .filter(st -> run.at(st).compareTo(Duration.ofHours(2)) < 0).reduce((a, b) -> b).orElseThrow().get("to").asText());
        List<JsonNode> refused = run.ofType("action.refused");
        assertEquals(1, refused.size(), refused.toString());
        assertEquals("resync", refused.get(0).get("action").asText());
        assertEquals(Duration.ofHours(2).plusSeconds(5), run.at(refused.get(0)));
        assertEquals(0, run.ofType("resync.started").size());
        assertEquals(1, run.ofType("failover.finished").size());
    }

    @Test
    void aResyncTransferIsToldFromItsStartThroughItsFailedPiecesToItsEndAndLeavesTheReplicaInStep() throws Exception {
        // the resync starts at 40 m over 2 Mbps; the link is down from 2410 s for 2 minutes
        for (String fidelity : List.of("flow", "model")) {
            RunFixture run = RunFixture.run(RunFixture.small("3h", """
                    resync: { automatic: false, blockSize: 256KiB }
                    faults:
                      - { at: 30m, kind: vm-reverted, vm: vm1 }
                      - { at: 2410s, kind: network-outage, for: 2m }
                    actions:
                      - { at: 40m, do: resync, vm: vm1 }
                    """).replace("bandwidth: 20Mbps", "bandwidth: 2Mbps").replace("duration:", "fidelity: " + fidelity + "\nduration:"));
            List<JsonNode> started = run.ofType("transfer.started").stream().filter(t -> t.get("kind").asText().equals("resync")).toList();
            assertEquals(1, started.size(), fidelity);
            assertEquals(Duration.ofMinutes(40), run.at(started.get(0)), fidelity);
            long bytes = started.get(0).get("bytes").asLong();
            JsonNode finished = run.ofType("transfer.finished").stream().filter(t -> t.get("kind").asText().equals("resync"))
                    .findFirst().orElseThrow();
            assertEquals(bytes, finished.get("bytes").asLong(), fidelity);
            assertEquals(bytes, run.ofType("resync.finished").get(0).get("bytesSent").asLong(), fidelity);
            assertEquals(run.at(finished).minusMinutes(40), Duration.parse(finished.get("duration").asText()), fidelity);
            // the outage cuts the 4 blocks in flight, and the first retry's 4 again
            List<JsonNode> failed = run.ofType("transfer.failed").stream().filter(t -> t.get("kind").asText().equals("resync")).toList();
            assertEquals(8, failed.size(), fidelity + ": " + failed);
            assertTrue(failed.stream().allMatch(f -> f.get("bytes").asLong() == 256 * 1024 && f.get("transfer").asText().equals("resync/vm1/os")
                    && f.get("reason").asText().equals("NetworkError")), failed.toString());
            assertTrue(run.record.vms().get(0).disks().get(0).matches(), fidelity + ": the blocks sent put the replica in step");
        }
    }

    @Test
    void theResynchronizeJobShowsEachStepAndTheSummaryCountsTheResync() throws Exception {
        RunFixture run = RunFixture.run(OUTAGE_IN_OFFICE_HOURS);
        String job = run.ofType("job.started").stream().filter(j -> j.get("name").asText().equals("Resynchronize"))
                .findFirst().orElseThrow().get("job").asText();
        List<String> steps = run.ofType("job.step").stream().filter(s -> s.get("job").asText().equals(job))
                .map(s -> s.get("step").asText() + ": " + s.get("status").asText()).toList();
        assertEquals(List.of("Prerequisites check: In progress", "Prerequisites check: Succeeded",
                "Compare and synchronize blocks: In progress", "Compare and synchronize blocks: Succeeded",
                "Resume replication: Succeeded"), steps);
        JsonNode started = run.ofType("resync.started").get(0);
        JsonNode finished = run.ofType("resync.finished").get(0);
        assertEquals(run.at(finished).minus(run.at(started)), Duration.parse(finished.get("duration").asText()));
        assertEquals(1, run.record.vms().get(0).resyncs());
    }

    @Test
    void aManualResyncSupersedesTheAutomaticStartThatWaitsForTheEndOfOfficeHours() throws Exception {
        // required at about 2h, due to start at 18:00; the administrator starts it at 3h. A revert at 9h
        // requires another, which starts at 18:00 once, as its own resync
        RunFixture run = manualResyncAt3hAndARevertAt("9h");
        List<JsonNode> started = run.ofType("resync.started");
        assertEquals(List.of("manual", "scheduled"), started.stream().map(s -> s.get("trigger").asText()).toList());
        assertEquals(List.of(Duration.ofHours(3), Duration.ofHours(10)), started.stream().map(run::at).toList());
        List<JsonNode> finished = run.ofType("resync.finished");
        assertEquals(2, finished.size(), finished.toString());
        for (JsonNode f : finished) {
            assertEquals(f.get("blocksSent").asLong() * 256 * 1024, f.get("bytesSent").asLong(), f.toString());
        }
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aStartTheAdministratorSupersededDoesNotKeepTheRunGoing() throws Exception {
        // the workload stops at 6h, before the 18:00 start the manual resync at 3h superseded: the drain ends at once
        RunFixture run = RunFixture.run(OUTAGE_IN_OFFICE_HOURS.replace("duration: 12h", "duration: 6h") + """
                actions:
                  - { at: 3h, do: resync, vm: vm1 }
                """);
        assertEquals(List.of("manual"), run.ofType("resync.started").stream().map(s -> s.get("trigger").asText()).toList());
        assertTrue(run.record.simulated().compareTo(Duration.ofHours(6).plusMinutes(1)) < 0, "ran " + run.record.simulated());
    }

    @Test
    void aRevertDuringAResyncRequiresAnotherThatStartsOverAndRepairsTheReplica() throws Exception {
        // the manual resync at 3h runs for most of an hour; a revert at 3h30m makes its comparison worthless
        RunFixture run = manualResyncAt3hAndARevertAt("3h30m");
        List<JsonNode> required = run.ofType("resync.required");
        assertEquals(2, required.size(), required.toString());
        assertEquals(Duration.ofMinutes(210), run.at(required.get(1)), required.toString());
        assertEquals(List.of("manual", "scheduled"), run.ofType("resync.started").stream().map(s -> s.get("trigger").asText()).toList());
        assertEquals(1, run.ofType("resync.finished").size());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    /** The outage's resync, required at about 2h and due at 18:00, started by hand at 3h; and a revert at {@code at}. */
    private static RunFixture manualResyncAt3hAndARevertAt(String at) throws Exception {
        return RunFixture.run(OUTAGE_IN_OFFICE_HOURS + "  - { at: " + at + ", kind: vm-reverted, vm: vm1 }\n"
                + "actions:\n  - { at: 3h, do: resync, vm: vm1 }\n");
    }

    @Test
    void aResumeTakesAgainAtOnceTheRequirementHyperVRefused() throws Exception {
        // as in aResyncThatHyperVCannotStartWaitsForTheAdministratorOnce, Hyper-V cannot take the requirement (the
        // chain is broken) and the VM waits; the administrator's resume comes between two workload steps: it takes
        // the requirement again itself, then and there (in flow fidelity nothing else looks at the VM for 40 minutes)
        for (String fidelity : List.of("bytes", "flow")) {
            RunFixture run = RunFixture.run(RunFixture.small("2h", """
                    resync: { automatic: false }
                    faults:
                      - { at: 30s, kind: broken-vhd-chain, vm: vm1, for: 1h }
                      - { at: 10m, kind: log-write-failure, vm: vm1, for: 20m }
                    actions:
                      - { at: 80m5s, do: resume, vm: vm1 }
                    """).replace("duration:", "fidelity: " + fidelity + "\nduration:"));
            List<Duration> required = run.ofType("resync.required").stream().map(run::at).toList();
            assertEquals(List.of(Duration.ofMinutes(10).plusSeconds(10), Duration.ofMinutes(80).plusSeconds(5)), required, fidelity);
            assertEquals("Resynchronization required", run.record.vms().get(0).finalState(), fidelity);
            List<Long> logBytes = run.ofType("resync.required").stream().map(e -> e.get("logBytes").asLong()).toList();
            // 70 minutes at 256 KiB/min between the two, less the writes of the log-write failure's span
            assertTrue(logBytes.get(1) - logBytes.get(0) >= 60 * 256 * 1024, fidelity + ": the second tells the logs pending at the"
                    + " resume: " + logBytes);
        }
    }

    @Test
    void aScheduledStartThatFailsIsRetriedOnlyOutsideOfficeHours() throws Exception {
        // the revert at 8:30 requires a resync, started at once (before 09:00) but the host is short of memory until
        // 09:00: the ladder's tries at 8:31, 8:33, 8:37, 8:45 and 8:55 fail; the next, at 9:25, falls in office hours
        // and waits for their end (18:00) instead of starting then
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                resync: { blockSize: 256KiB }
                faults:
                  - { at: 29m, kind: low-memory, host: hv01, for: 31m }
                  - { at: 30m, kind: vm-reverted, vm: vm1 }
                """));
        List<Duration> failed = run.ofType("error").stream().filter(e -> e.get("code").asText().equals("LowMemory")).map(run::at).toList();
        assertEquals(List.of(30, 31, 33, 37, 45, 55), failed.stream().map(d -> (int) d.toMinutes()).toList(), failed.toString());
        List<JsonNode> started = run.ofType("resync.started");
        assertEquals(1, started.size(), started.toString());
        assertEquals("scheduled", started.get(0).get("trigger").asText());
        assertEquals(Duration.ofHours(10), run.at(started.get(0)), "Monday 18:00, the end of office hours");
        assertEquals(1, run.ofType("resync.finished").size());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void anAdministratorsStartThatFailsIsRetriedOnTheLadderEvenInOfficeHours() throws Exception {
        // the administrator starts the resync at 10:00, the host short of memory from 9:50 to 10:10: the tries at
        // 10:00, 10:01, 10:03 and 10:07 fail, the one at 10:15 starts it, inside office hours as the administrator asked
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                resync: { automatic: false, blockSize: 256KiB }
                faults:
                  - { at: 30m, kind: vm-reverted, vm: vm1 }
                  - { at: 1h50m, kind: low-memory, host: hv01, for: 20m }
                actions:
                  - { at: 2h, do: resync, vm: vm1 }
                """));
        assertEquals(4, run.ofType("error").stream().filter(e -> e.get("code").asText().equals("LowMemory")).count());
        List<JsonNode> started = run.ofType("resync.started");
        assertEquals(1, started.size(), started.toString());
        assertEquals("manual", started.get(0).get("trigger").asText());
        assertEquals(Duration.ofHours(2).plusMinutes(15), run.at(started.get(0)));
        assertEquals(1, run.ofType("resync.finished").size());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aScheduledResyncUnderWayWhoseReadFailsGoesOnAtItsRetryInsideOfficeHours() throws Exception {
        // office hours from 8:31: the revert's resync starts at 8:30, and reading the replica's blocks fails (a storage
        // error); the retry at 8:31 falls in office hours, but the resync runs already: it goes on then, not at 12:00
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                resync: { blockSize: 256KiB, officeHours: "Mon 08:31-12:00" }
                faults:
                  - { at: 30m, kind: vm-reverted, vm: vm1 }
                  - { at: 30m, kind: storage-internal-error, requests: 1 }
                """));
        JsonNode error = run.ofType("error").get(0);
        assertEquals("InternalError", error.get("code").asText());
        assertEquals(Duration.ofMinutes(30), run.at(error));
        assertEquals(List.of(Duration.ofMinutes(30)), run.ofType("resync.started").stream().map(run::at).toList());
        JsonNode blocks = run.ofType("transfer.started").stream().filter(t -> t.get("kind").asText().equals("resync")).findFirst().orElseThrow();
        assertEquals(Duration.ofMinutes(31), run.at(blocks), "at the retry");
        JsonNode finished = run.ofType("resync.finished").get(0);
        assertTrue(run.at(finished).compareTo(Duration.ofMinutes(32)) < 0, "finished at " + run.at(finished));
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aManualResyncSupersedesTheScheduledStartWaitingOnTheRetryLadder() throws Exception {
        // the revert's resync cannot start for lack of memory from 8:30; the ladder's next try is due at 8:45. The
        // memory is back at 8:44:50 and the administrator starts the resync at 8:44:55: over 2 Mbps it still runs at
        // 8:45, when the superseded try must not compare and send the blocks a second time
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                resync: { blockSize: 256KiB }
                faults:
                  - { at: 29m, kind: low-memory, host: hv01, for: 15m50s }
                  - { at: 30m, kind: vm-reverted, vm: vm1 }
                actions:
                  - { at: 44m55s, do: resync, vm: vm1 }
                """).replace("bandwidth: 20Mbps", "bandwidth: 2Mbps"));
        List<JsonNode> started = run.ofType("resync.started");
        assertEquals(List.of("manual"), started.stream().map(s -> s.get("trigger").asText()).toList());
        assertEquals(Duration.ofMinutes(44).plusSeconds(55), run.at(started.get(0)));
        List<JsonNode> sends = run.ofType("transfer.started").stream().filter(t -> t.get("kind").asText().equals("resync")).toList();
        assertEquals(1, sends.size(), sends.toString());
        JsonNode finished = run.ofType("resync.finished").get(0);
        assertTrue(run.at(finished).compareTo(Duration.ofMinutes(45)) > 0, "still running when the try was due: " + run.at(finished));
        assertEquals(sends.get(0).get("bytes").asLong(), finished.get("bytesSent").asLong());
        assertEquals(1, run.ofType("job.started").stream().filter(j -> j.get("name").asText().equals("Resynchronize")).count());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aResyncWhoseLogSwitchFailsOnceItsBlocksAreSentFinishesOnTheRetry() throws Exception {
        // the blocks are in Azure at 40m35.65s; the host is short of memory from 40m10s to 45m10s, so the switch
        // that seals the logs written meanwhile fails, and is retried on the ladder until it passes (47m35.65s)
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                resync: { automatic: false, blockSize: 256KiB }
                faults:
                  - { at: 30m, kind: vm-reverted, vm: vm1 }
                  - { at: 40m10s, kind: low-memory, host: hv01, for: 5m }
                actions:
                  - { at: 40m, do: resync, vm: vm1 }
                """).replace("bandwidth: 20Mbps", "bandwidth: 2Mbps"));
        JsonNode blocks = run.ofType("transfer.finished").stream().filter(t -> t.get("kind").asText().equals("resync")).findFirst().orElseThrow();
        List<JsonNode> errors = run.ofType("error");
        assertEquals(3, errors.size(), errors.toString());
        assertEquals(run.at(blocks), run.at(errors.get(0)), "the switch after the blocks");
        assertTrue(errors.stream().allMatch(e -> e.get("code").asText().equals("LowMemory")));
        JsonNode finished = run.ofType("resync.finished").get(0);
        assertTrue(run.at(finished).compareTo(run.at(blocks).plusMinutes(7)) >= 0, "finished at " + run.at(finished) + ", after the retries");
        assertEquals(List.of("Succeeded"), run.ofType("job.finished").stream().filter(j -> j.get("name").asText().equals("Resynchronize"))
                .map(j -> j.get("status").asText()).toList());
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void trackingThatCannotBeTrustedDuringInitialReplicationRequiresTheResyncAtOnce() throws Exception {
        // the initial copy of 64 MiB over 2 Mbps runs from 1m to about 5m30s; a log write fails at 3m: the logs can
        // no longer bring the copy up to date, so the resync is required then, not once the copy is over
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                resync: { officeHours: "Sat 00:00-01:00" }
                faults:
                  - { at: 3m, kind: log-write-failure, vm: vm1, for: 1m }
                """).replace("size: 16MiB", "size: 64MiB").replace("bandwidth: 20Mbps", "bandwidth: 2Mbps"));
        JsonNode required = run.ofType("resync.required").get(0);
        assertEquals("log-write-failure", required.get("reason").asText());
        assertEquals(Duration.ofMinutes(3).plusSeconds(10), run.at(required));
        JsonNode left = run.ofType("vm.state").stream().filter(s -> s.get("to").asText().equals("Resynchronization required"))
                .findFirst().orElseThrow();
        assertEquals("Waiting to complete initial replication", left.get("from").asText());
        assertEquals(1, run.ofType("resync.finished").size());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }
}
