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

/** Every host fault kind, injected from a scenario, and how the stack answers it. */
class HostFaultTest {

    private static RunFixture run(String faults) throws Exception {
        return RunFixture.run(RunFixture.small("3h", faults));
    }

    private static List<String> codes(RunFixture run) {
        return run.ofType("error").stream().map(e -> e.get("code").asText()).distinct().toList();
    }

    @Test
    void aShortLowDiskSpaceIsRecoverableAndLosesNothingReplicated() throws Exception {
        RunFixture run = run("""
                faults:
                  - { at: 30m, kind: low-disk-space, host: hv01, for: 10m }
                """);
        assertEquals(List.of("LowDiskSpace"), codes(run));
        assertTrue(run.ofType("error").get(0).get("recoverable").asBoolean());
        assertTrue(run.ofType("resync.required").isEmpty());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aPersistentLackOfSpaceIsOneErrorThenRequiresAResync() throws Exception {
        RunFixture run = run("""
                faults:
                  - { at: 30m, kind: low-disk-space, host: hv01, for: 1h }
                """);
        JsonNode required = run.ofType("resync.required").get(0);
        assertEquals("low-disk-space", required.get("reason").asText());
        // one recoverable error for the episode, not one per failed guest write
        assertEquals(1, run.ofType("error").stream().filter(e -> run.at(e).compareTo(run.at(required)) < 0).count(),
                run.ofType("error").toString());
        // the first guest write fails at the workload step after the fault (30m10s); 30 minutes on, it is persistent
        assertEquals(java.time.Duration.ofMinutes(60).plusSeconds(10), run.at(required));
    }

    @Test
    void aLackOfSpaceAfterFiveMinutesWithoutAFailedWriteIsANewEpisode() throws Exception {
        // two short faults an hour apart: each one recoverable error; counted as one episode they would
        // add up to the 30 minutes that require a resync
        RunFixture run = run("""
                faults:
                  - { at: 30m, kind: low-disk-space, host: hv01, for: 10m }
                  - { at: 90m, kind: low-disk-space, host: hv01, for: 10m }
                """);
        List<JsonNode> errors = run.ofType("error");
        assertEquals(List.of("LowDiskSpace", "LowDiskSpace"), errors.stream().map(e -> e.get("code").asText()).toList(),
                errors.toString());
        assertTrue(run.at(errors.get(1)).compareTo(java.time.Duration.ofMinutes(90)) >= 0, errors.toString());
        assertEquals(2, run.record.vms().get(0).errors(), "the summary counts each episode's error");
        assertTrue(run.ofType("resync.required").isEmpty());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void lowMemoryIsRetriedUntilItPasses() throws Exception {
        RunFixture run = run("""
                faults:
                  - { at: 30m, kind: low-memory, host: hv01, for: 15m }
                """);
        assertEquals(List.of("LowMemory"), codes(run));
        assertFalse(run.ofType("retry.scheduled").isEmpty());
        assertTrue(run.ofType("resync.required").isEmpty());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aVmNotFoundWaitsForTheAdministrator() throws Exception {
        RunFixture run = run("""
                faults:
                  - { at: 30m, kind: vm-not-found, vm: vm1, for: 20m }
                actions:
                  - { at: 1h, do: resume, vm: vm1 }
                """);
        JsonNode error = run.ofType("error").get(0);
        assertEquals("VmNotFound", error.get("code").asText());
        assertFalse(error.get("recoverable").asBoolean());
        assertTrue(run.ofType("retry.scheduled").isEmpty());
        assertTrue(run.ofType("vm.health").stream().anyMatch(h -> h.get("to").asText().equals("Critical")));
        assertTrue(run.record.vms().get(0).disks().get(0).matches(), "resumed, it caught up");
    }

    @Test
    void aBrokenVhdChainStopsTheMergeUntilTheAdministratorActs() throws Exception {
        // the checkpoint is taken at 1m; the chain breaks before initial replication merges it
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                faults:
                  - { at: 61s, kind: broken-vhd-chain, vm: vm1, for: 10m }
                actions:
                  - { at: 30m, do: resume, vm: vm1 }
                """).replace("20Mbps", "2Mbps"));
        JsonNode error = run.ofType("error").get(0);
        assertEquals("BrokenVhdChain", error.get("code").asText());
        assertFalse(error.get("recoverable").asBoolean());
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aCycleThatFindsTrackingUntrustedRequiresTheResyncItself() throws Exception {
        // the revert comes 0.7 s before the cycle of 8:31:06.7, before the workload step that would notice it:
        // the cycle's log switch refuses to seal logs that do not stand for the source
        RunFixture run = run("""
                faults:
                  - { at: 31m6s, kind: vm-reverted, vm: vm1 }
                """);
        JsonNode error = run.ofType("error").get(0);
        assertEquals("ResynchronizationRequired", error.get("code").asText());
        assertFalse(error.get("recoverable").asBoolean());
        assertTrue(run.at(error).compareTo(java.time.Duration.ofMinutes(31).plusSeconds(6)) > 0
                && run.at(error).compareTo(java.time.Duration.ofMinutes(31).plusSeconds(10)) < 0, "found by the cycle, at " + run.at(error));
        JsonNode required = run.ofType("resync.required").get(0);
        assertEquals(run.at(error), run.at(required));
        assertEquals("vm-reverted", required.get("reason").asText());
        assertTrue(run.ofType("retry.scheduled").isEmpty(), "nothing to retry: only a resync repairs it");
        assertEquals(run.ofType("error").size(), run.record.vms().get(0).errors(), "the summary counts the errors the trace shows");
        assertEquals(1, run.ofType("resync.finished").size());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'{ at: 30m, kind: log-write-failure, vm: vm1, for: 5m }', log-write-failure",
        "'{ at: 30m, kind: log-not-closed-cleanly, vm: vm1 }', log-not-closed-cleanly",
        "'{ at: 30m, kind: vhd-changed-offline, vm: vm1, bytes: 2MiB }', vhd-changed-offline",
        "'{ at: 30m, kind: vm-reverted, vm: vm1 }', vm-reverted"})
    void trackingThatCannotBeTrustedRequiresAResyncThatRepairsTheReplica(String fault, String reason) throws Exception {
        RunFixture run = run("faults:\n  - " + fault + "\n");
        List<JsonNode> required = run.ofType("resync.required");
        assertFalse(required.isEmpty(), "a resync is required");
        assertTrue(required.get(0).get("reason").asText().equals(reason) || required.get(0).get("reason").asText().equals("log-corrupt"),
                required.get(0).toString());
        assertEquals(1, run.ofType("resync.finished").size());
        assertTrue(run.record.vms().get(0).disks().get(0).matches(), "after the resync the replica equals the source");
    }

    @Test
    void afterTheWorkloadStopsAVmShipsItsLastLogOnceWhileAnotherIsStillHeldByItsHost() throws Exception {
        // vm2's host is short of memory from 59m to 69m: the run goes on until its retry at 75m ships
        // vm2's last log; vm1 ships its own at the stop, and its cycles on the grid are over
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                faults:
                  - { at: 59m, kind: low-memory, host: hv02, for: 10m }
                """).replace("16MiB, churn: { rate: 256KiB/min } }\n", """
                16MiB, churn: { rate: 256KiB/min } }
                    - name: hv02
                      volume: 2GiB
                      vms:
                        - name: vm2
                          disks:
                            - { name: os, size: 16MiB, churn: { rate: 256KiB/min } }
                """));
        Duration stop = run.at(run.ofType("workload.stopped").get(0));
        assertEquals(Duration.ofHours(1), stop);
        java.util.function.Function<String, List<Duration>> switchesAfterStop = vm -> run.ofType("log.switched").stream()
                .filter(l -> l.get("vm").asText().equals(vm)).map(run::at).filter(t -> t.compareTo(stop) >= 0).toList();
        assertEquals(List.of(stop), switchesAfterStop.apply("vm1"));
        assertEquals(List.of(Duration.ofMinutes(75)), switchesAfterStop.apply("vm2"));
    }

    @Test
    void aFailedWriteFiveMinutesAfterTheLastStillBelongsToTheEpisode() throws Exception {
        // at 1 MiB/min every 10-second write fails while the volume is full: the last of the first fault at 31m, the
        // first of the second at 36m. An episode ends after more than 5 minutes without a failure: this is still one
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                faults:
                  - { at: 30m5s, kind: low-disk-space, host: hv01, for: 1m }
                  - { at: 35m55s, kind: low-disk-space, host: hv01, for: 1m }
                """).replace("256KiB/min", "1MiB/min"));
        List<JsonNode> errors = run.ofType("error");
        assertEquals(List.of(Duration.ofMinutes(30).plusSeconds(10)), errors.stream().map(run::at).toList(), errors.toString());
        assertEquals(1, run.record.vms().get(0).errors());
    }
}
