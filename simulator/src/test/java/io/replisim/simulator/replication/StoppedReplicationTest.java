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
}
