package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Once replication stops for good in one direction (an unplanned failover, disabling), nothing
 * of that direction comes back: no resynchronization, no commit of a disabled item; and a
 * manual resync is an administrator's act that ends the wait for one.
 */
class StoppedReplicationTest {

    @Test
    void aResyncTriggerDuringAnUnplannedFailoverDoesNotInterruptIt() throws Exception {
        // the revert strikes while the Unplanned failover job creates the Azure VM
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 3610s, kind: vm-reverted, vm: vm1 }
                actions:
                  - { at: 1h, do: unplanned-failover, vm: vm1 }
                """));
        assertEquals(List.of(), run.ofType("resync.required"));
        JsonNode job = run.ofType("job.finished").stream().filter(j -> j.get("name").asText().equals("Unplanned failover"))
                .findFirst().orElseThrow();
        assertEquals("Succeeded", job.get("status").asText());
        assertEquals("Failover complete", run.record.vms().get(0).finalState());
    }

    @Test
    void disablingReplicationDeletesTheReplicasTheRecoveryPointsAndTheProtectedItem() throws Exception {
        // read when the Disable replication job finishes, the fakes as the stack left them
        List<String> replicaBlobs = new java.util.ArrayList<>();
        List<String> items = new java.util.ArrayList<>();
        List<Boolean> beforeDisable = new java.util.ArrayList<>();
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 1h, do: disable-replication, vm: vm1 }
                """), fakes -> r -> {
                    if (r.event() instanceof io.replisim.simulator.trace.TraceEvent.JobStarted j && j.name().equals("Disable replication")) {
                        beforeDisable.add(!fakes.storage().listBlobs(ProtectedVm.REPLICA_CONTAINER, "").isEmpty()
                                && !fakes.vault().protectedItems().isEmpty());
                    }
                    if (r.event() instanceof io.replisim.simulator.trace.TraceEvent.JobFinished j && j.name().equals("Disable replication")) {
                        fakes.storage().listBlobs(ProtectedVm.REPLICA_CONTAINER, "").forEach(b -> replicaBlobs.add(b.toString()));
                        fakes.vault().protectedItems().forEach(i -> items.add(i.vmName()));
                    }
                });
        assertEquals(List.of(true), beforeDisable, "the replica and the item were there");
        assertEquals(List.of(), replicaBlobs, "the replica disks and their snapshots are deleted");
        assertEquals(List.of(), items, "the vault no longer protects the VM");
        // every recovery point still kept is pruned by the job
        java.util.Set<String> kept = new java.util.TreeSet<>();
        run.ofType("recovery-point.created").forEach(p -> kept.add(p.get("recoveryPoint").asText()));
        run.ofType("recovery-point.pruned").stream().filter(p -> run.at(p).compareTo(Duration.ofHours(1)) < 0)
                .forEach(p -> kept.remove(p.get("recoveryPoint").asText()));
        assertTrue(kept.size() > 1, kept.toString());
        assertEquals(kept, run.ofType("recovery-point.pruned").stream().filter(p -> run.at(p).compareTo(Duration.ofHours(1)) >= 0)
                .map(p -> p.get("recoveryPoint").asText()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        assertEquals("Not enabled", run.record.vms().get(0).finalState());
    }

    @Test
    void aDisabledVmCannotBeCommittedFailedBackOrReprotected() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 40m, do: planned-failover, vm: vm1 }
                  - { at: 50m, do: disable-replication, vm: vm1 }
                  - { at: 60m, do: commit, vm: vm1 }
                  - { at: 61m, do: failback, vm: vm1 }
                  - { at: 62m, do: reprotect, vm: vm1 }
                """));
        List<JsonNode> refused = run.ofType("action.refused");
        assertEquals(List.of("commit", "failback", "reprotect"), refused.stream().map(r -> r.get("action").asText()).toList());
        assertTrue(refused.stream().allMatch(r -> r.get("reason").asText().equals("replication is disabled")));
        assertFalse(run.ofType("job.started").stream().anyMatch(j -> j.get("name").asText().equals("Commit")));
    }

    @Test
    void aFailbackInterruptedByDisablingReplicationLeavesNothingToWaitFor() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h30s", """
                actions:
                  - { at: 30m, do: unplanned-failover, vm: vm1 }
                  - { at: 1h, do: failback, vm: vm1, sync: full }
                  - { at: 3690s, do: disable-replication, vm: vm1 }
                """).replace("size: 16MiB", "size: 256MiB"));
        // the failback's download (256 MiB at 20 Mbps, under two minutes) is still going when replication is disabled
        JsonNode failback = run.ofType("job.finished").stream().filter(j -> j.get("name").asText().equals("Planned failover"))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals("Failed", failback.get("status").asText());
        assertEquals(Duration.ofHours(2).plusSeconds(30), run.record.simulated(), "a disabled VM has nothing left to drain");
    }

    @Test
    void aManualResyncEndsTheWaitForAnAdministrator() throws Exception {
        // the scheduled resync's start fails for good (the VM is gone for a while): the VM waits for an
        // administrator; once the VM is back, the administrator's resync is that act
        RunFixture run = RunFixture.run(RunFixture.small("6h", """
                resync: { officeHours: "Mon-Fri 08:00-10:00" }
                faults:
                  - { at: 30m, kind: vhd-changed-offline, vm: vm1 }
                  - { at: 1h30m, kind: vm-not-found, vm: vm1, for: 1h }
                actions:
                  - { at: 3h, do: resync, vm: vm1 }
                """));
        JsonNode waits = run.ofType("error").stream().filter(e -> e.get("code").asText().equals("VmNotFound")).findFirst().orElseThrow();
        assertTrue(run.at(waits).compareTo(Duration.ofHours(2)) <= 0, "the scheduled start failed at " + run.at(waits));
        assertEquals(1, run.ofType("resync.finished").size());
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        List<JsonNode> health = run.ofType("vm.health");
        assertEquals("Normal", health.get(health.size() - 1).get("to").asText(), "nothing waits for an administrator any more");
    }

    private static List<JsonNode> after(RunFixture run, String type, Duration t) {
        return run.ofType(type).stream().filter(e -> run.at(e).compareTo(t) >= 0).toList();
    }

    @Test
    void anUnplannedFailoverDuringAResyncFailsItsResynchronizeJobThen() throws Exception {
        // the resync started at 40m sends 8.5 MiB over 2 Mbps: it still runs at 2430 s
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                resync: { automatic: false, blockSize: 256KiB }
                faults:
                  - { at: 30m, kind: vm-reverted, vm: vm1 }
                actions:
                  - { at: 40m, do: resync, vm: vm1 }
                  - { at: 2430s, do: unplanned-failover, vm: vm1 }
                """).replace("bandwidth: 20Mbps", "bandwidth: 2Mbps"));
        JsonNode resync = run.ofType("job.finished").stream().filter(j -> j.get("name").asText().equals("Resynchronize"))
                .findFirst().orElseThrow();
        assertEquals("Failed", resync.get("status").asText());
        assertEquals(Duration.ofSeconds(2430), run.at(resync));
        assertEquals(List.of(), run.ofType("resync.finished"));
    }

    @Test
    void anUnplannedFailoverCancelsAResyncWaitingForTheEndOfOfficeHours() throws Exception {
        // the outage fills the logs past half the disk during office hours: the resync waits for 18:00 (10h)
        RunFixture run = RunFixture.run(RunFixture.small("12h", """
                faults:
                  - { at: 90m, kind: network-outage, for: 2h }
                actions:
                  - { at: 5h, do: unplanned-failover, vm: vm1 }
                """));
        assertEquals(1, run.ofType("resync.required").size());
        assertEquals(List.of(), run.ofType("resync.started"));
        assertEquals("Failover complete", run.record.vms().get(0).finalState());
    }

    @Test
    void anUnplannedFailoverEndsTheRetryLaddersCriticalAtOnce() throws Exception {
        // the outage from 30m puts the ladder at its 30-minute retries (Critical) by 56m
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 30m, kind: network-outage, for: 50m }
                actions:
                  - { at: 70m, do: unplanned-failover, vm: vm1 }
                """).replace("rate: 256KiB/min", "rate: 64KiB/min"));
        List<String> health = after(run, "vm.health", Duration.ofMinutes(30)).stream()
                .map(h -> run.at(h).toSeconds() + "s " + h.get("to").asText()).toList();
        // at the action only the time rules are left (the newest point is from before the outage)
        assertEquals("4200s Warning", health.get(health.size() - 2), health.toString());
        assertTrue(health.get(health.size() - 3).endsWith("Critical"), health.toString());
    }

    @Test
    void aResumeAfterAFailoverHasNothingLeftToRun() throws Exception {
        // the storage refuses the log of 08:31: the VM waits for an administrator, then fails over
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 30m, kind: authentication-failure, for: 10m }
                actions:
                  - { at: 50m, do: unplanned-failover, vm: vm1 }
                  - { at: 60m, do: resume, vm: vm1 }
                """));
        assertEquals("Error", run.ofType("vm.state").stream().filter(s -> run.at(s).compareTo(Duration.ofMinutes(50)) < 0)
                .reduce((a, b) -> b).orElseThrow().get("to").asText());
        for (String type : List.of("transfer.started", "log.switched", "error", "retry.scheduled", "job.started")) {
            assertEquals(List.of(), after(run, type, Duration.ofMinutes(60)), "nothing is sent or retried once replication stopped: " + type);
        }
    }

    @Test
    void theRunWaitsForAFailbackStillRunningWhenTheWorkloadStops() throws Exception {
        // the failback from 119m sends 8 MiB back over 1 Mbps: it ends after the workload stopped at 2h
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 1h, do: unplanned-failover, vm: vm1 }
                  - { at: 119m, do: failback, vm: vm1 }
                """).replace("bandwidth: 20Mbps", "bandwidth: 1Mbps"));
        JsonNode failedBack = run.ofType("failback.finished").get(0);
        assertTrue(run.at(failedBack).compareTo(Duration.ofHours(2)) > 0, "after the stop: " + run.at(failedBack));
        JsonNode job = run.ofType("job.finished").get(run.ofType("job.finished").size() - 1);
        assertEquals("Succeeded", job.get("status").asText(), "the failback's job ended in the drain: " + job);
        assertEquals(run.at(failedBack), run.at(job));
    }

    @Test
    void theRunDoesNotWaitForAResyncOnlyAnAdministratorCanStart() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                resync: { automatic: false }
                faults:
                  - { at: 110m, kind: vm-reverted, vm: vm1 }
                """));
        assertEquals("Resynchronization required", run.record.vms().get(0).finalState());
        JsonNode last = run.events.stream().filter(e -> e.has("t")).reduce((a, b) -> b).orElseThrow();
        assertTrue(run.at(last).compareTo(Duration.ofHours(2).plusMinutes(1)) < 0, "the run ended at " + run.at(last));
    }

    @Test
    void aVmNotFoundOnItsHostWritesNothingMeanwhileAndIsInStepInTheEnd() throws Exception {
        // the workload's writes while the VM is gone are not made; an administrator resumes the VM
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 30m, kind: vm-not-found, vm: vm1, for: 10m }
                actions:
                  - { at: 45m, do: resume, vm: vm1 }
                """));
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
        JsonNode created = run.ofType("checkpoint.created").get(0);
        assertTrue(created.get("checkpoint").asText().matches("[0-9a-f-]{36}"), created.toString());
        assertEquals(created.get("checkpoint"), run.ofType("checkpoint.merged").get(0).get("checkpoint"));
    }
}
