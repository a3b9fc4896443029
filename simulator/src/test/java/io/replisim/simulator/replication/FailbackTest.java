package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Failback from Azure to Hyper-V and reverse replication, through the real kernel and stack. */
class FailbackTest {
    /** The small VM's 16 MiB disk in the default 2 MiB resync blocks. */
    private static final long BLOCKS = 8;

    private static final String UNPLANNED_THEN_FAILBACK = """
            actions:
              - { at: 63m, do: unplanned-failover, vm: vm1 }
              - { at: 80m, do: failback, vm: vm1 }
            """;

    private static JsonNode failback(RunFixture run) {
        List<JsonNode> finished = run.ofType("failback.finished");
        assertEquals(1, finished.size(), "one failback");
        return finished.get(0);
    }

    @Test
    void afterAnUnplannedFailoverAFailbackBringsTheOnPremisesDisksToTheAzureVmsContentSendingOnlyTheDifferingBlocks()
            throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", UNPLANNED_THEN_FAILBACK));
        assertTrue(run.ofType("failover.finished").get(0).get("blocksLost").asLong() > 0, "the source wrote after the point");
        JsonNode f = failback(run);
        assertEquals("checksum", f.get("sync").asText());
        assertTrue(f.get("verified").asBoolean(), "the on-premises disks equal the Azure VM's");
        assertEquals(BLOCKS, f.get("blocksCompared").asLong());
        long sent = f.get("blocksSent").asLong();
        assertTrue(sent > 0 && sent < BLOCKS, "only the differing blocks: " + sent);
        assertEquals(sent * 2 * 1024 * 1024, f.get("bytesSent").asLong());
        assertEquals(run.at(f).minus(Duration.ofMinutes(80)), Duration.parse(f.get("duration").asText()), "from the action");
        JsonNode started = failbackTransfer(run, "transfer.started");
        JsonNode finished = failbackTransfer(run, "transfer.finished");
        assertEquals(f.get("bytesSent").asLong(), started.get("bytes").asLong());
        assertEquals(f.get("bytesSent").asLong(), finished.get("bytes").asLong());
        assertEquals(run.at(finished).minus(run.at(started)), Duration.parse(finished.get("duration").asText()));
        assertTrue(run.ofType("job.started").stream().anyMatch(j -> j.get("name").asText().equals("Planned failover")));
        // the on-premises VM runs again, but nothing is replicated until a reprotect
        assertEquals("Failover complete", run.record.vms().get(0).finalState());
        assertTrue(run.ofType("log.switched").stream().noneMatch(l -> run.at(l).compareTo(Duration.ofMinutes(63)) > 0));
    }

    /** The one failback transfer's event of {@code type}. */
    private static JsonNode failbackTransfer(RunFixture run, String type) {
        List<JsonNode> events = run.ofType(type).stream().filter(t -> t.get("kind").asText().equals("failback")).toList();
        assertEquals(1, events.size(), type + " " + events);
        return events.get(0);
    }

    @Test
    void aFullFailbackSendsEveryBlock() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", UNPLANNED_THEN_FAILBACK.replace("do: failback, vm: vm1",
                "do: failback, vm: vm1, sync: full")));
        JsonNode f = failback(run);
        assertEquals("full", f.get("sync").asText());
        assertEquals(BLOCKS, f.get("blocksSent").asLong());
        assertTrue(f.get("verified").asBoolean());
        // eight blocks, one transfer: finished once, when the last block is in; its progress told meanwhile (blocks
        // in flight together arrive together: here half of it at once)
        assertEquals(16L << 20, failbackTransfer(run, "transfer.finished").get("bytes").asLong());
        assertEquals(List.of(8L << 20), run.ofType("transfer.progress").stream().filter(t -> t.get("kind").asText().equals("failback"))
                .map(t -> t.get("bytesDone").asLong()).toList());
    }

    @Test
    void aFailbackAndAReprotectThatMeetFailuresAreRetriedAndFinish() throws Exception {
        // the link is down as the full failback sends its blocks; the storage refuses as the reprotect, its job's
        // steps done at 91m, compares the blocks
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                faults:
                  - { at: 80m42s, kind: network-outage, for: 3m }
                  - { at: 90m50s, kind: storage-unavailable, for: 2m }
                actions:
                  - { at: 63m, do: unplanned-failover, vm: vm1 }
                  - { at: 80m, do: failback, vm: vm1, sync: full }
                  - { at: 90m, do: reprotect, vm: vm1 }
                """));
        List<JsonNode> errors = run.ofType("error");
        assertEquals(List.of("NetworkError", "ServerBusy"), errors.stream().map(e -> e.get("code").asText()).distinct().toList(),
                errors.toString());
        assertTrue(run.ofType("transfer.failed").stream().anyMatch(t -> t.get("kind").asText().equals("failback")
                && t.get("reason").asText().equals("NetworkError")), "the failback's blocks in flight failed");
        assertTrue(run.ofType("error").stream().anyMatch(e -> e.get("code").asText().equals("ServerBusy")
                && run.at(e).equals(Duration.ofMinutes(91))), "the reprotect's comparison failed as it began");
        assertTrue(failback(run).get("verified").asBoolean());
        assertEquals(BLOCKS, failback(run).get("blocksSent").asLong());
        assertEquals(1, run.ofType("reprotect.finished").size());
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void afterAPlannedFailoverNothingDiffers() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                actions:
                  - { at: 1h, do: planned-failover, vm: vm1 }
                  - { at: 80m, do: failback, vm: vm1 }
                """));
        JsonNode f = failback(run);
        assertEquals(0, f.get("blocksSent").asLong());
        assertEquals(0, f.get("bytesSent").asLong());
        assertTrue(f.get("verified").asBoolean());
        assertTrue(run.ofType("transfer.started").stream().noneMatch(t -> t.get("kind").asText().equals("failback")));
    }

    @Test
    void reprotectResumesReplicationAndTheFinalReplicaCheckMatches() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("3h", UNPLANNED_THEN_FAILBACK + """
                  - { at: 82m, do: reprotect, vm: vm1 }
                """));
        assertTrue(failback(run).get("verified").asBoolean());
        JsonNode r = run.ofType("reprotect.finished").get(0);
        long sent = r.get("blocksSent").asLong();
        assertEquals(BLOCKS, r.get("blocksCompared").asLong());
        assertTrue(sent > 0 && sent < BLOCKS, "a block comparison, not a full copy: " + sent);
        assertEquals(List.of("Enable protection", "Finalize protection", "Unplanned failover", "Planned failover", "Reprotect"),
                run.ofType("job.started").stream().map(j -> j.get("name").asText()).toList());
        List<String> states = run.ofType("vm.state").stream().map(s -> s.get("to").asText()).toList();
        assertEquals(List.of("Ready for replication", "Waiting to complete initial replication", "Replicating", "Failover complete",
                "Not enabled", "Ready for replication", "Waiting to complete initial replication", "Replicating"), states);
        assertEquals(sent * 2 * 1024 * 1024, r.get("bytesSent").asLong());
        assertEquals(run.at(r).minus(Duration.ofMinutes(82)), Duration.parse(r.get("duration").asText()), "from the action");
        assertEquals((16L << 20) + r.get("bytesSent").asLong(), run.record.vms().get(0).initialReplicationBytes(),
                "the reprotect's blocks count as initial replication");
        // a new checkpoint at the Start replication step, merged as the reprotect finishes
        JsonNode step = run.ofType("job.step").stream().filter(s -> s.get("step").asText().equals("Start replication")
                && s.get("status").asText().equals("Succeeded") && run.at(s).compareTo(Duration.ofMinutes(82)) > 0).findFirst().orElseThrow();
        JsonNode checkpoint = run.ofType("checkpoint.created").get(1);
        assertEquals(run.at(step), run.at(checkpoint));
        JsonNode merged = run.ofType("checkpoint.merged").get(1);
        assertEquals(checkpoint.get("checkpoint"), merged.get("checkpoint"));
        assertEquals(run.at(r), run.at(merged));
        // the old direction's points go at the Reverse replication direction step, every one
        List<JsonNode> before = run.ofType("recovery-point.created").stream().filter(p -> run.at(p).compareTo(Duration.ofMinutes(63)) < 0).toList();
        Duration reversed = run.at(run.ofType("job.step").stream().filter(s -> s.get("step").asText().equals("Reverse replication direction")
                && s.get("status").asText().equals("Succeeded")).findFirst().orElseThrow());
        List<String> prunedThen = run.ofType("recovery-point.pruned").stream().filter(p -> run.at(p).equals(reversed))
                .map(p -> p.get("recoveryPoint").asText()).toList();
        List<String> pruned = run.ofType("recovery-point.pruned").stream().map(p -> p.get("recoveryPoint").asText()).toList();
        assertEquals(before.stream().map(p -> p.get("recoveryPoint").asText()).filter(id -> !pruned.subList(0, pruned.size() - prunedThen.size())
                .contains(id)).toList(), prunedThen);
        // a new series: the first point, made as the reprotect finishes, has no RPO before it; the cycles follow on
        // the grid of the reprotect's last log switch
        List<JsonNode> after = run.ofType("recovery-point.created").stream().filter(p -> run.at(p).compareTo(Duration.ofMinutes(82)) > 0).toList();
        assertTrue(after.size() > 5);
        assertEquals(run.at(r), run.at(after.get(0)));
        assertTrue(!after.get(0).has("rpo") && after.get(1).has("rpo"), after.subList(0, 2).toString());
        List<Duration> switches = run.ofType("log.switched").stream().map(run::at).filter(t -> t.compareTo(Duration.ofMinutes(82)) > 0).toList();
        assertEquals(switches.get(0).plusMinutes(5), switches.get(1));
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertEquals("Normal", run.record.vms().get(0).finalHealth());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void failbackIsRefusedBeforeAFailoverAndReprotectBeforeAFailback() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                actions:
                  - { at: 30m, do: failback, vm: vm1 }
                  - { at: 31m, do: reprotect, vm: vm1 }
                """));
        List<String> refused = run.ofType("action.refused").stream().map(r -> r.get("action").asText() + ": " + r.get("reason").asText()).toList();
        assertEquals(List.of("failback: there is no failover to fail back from",
                "reprotect: there is no failback to reverse: fail back first"), refused);
        assertEquals("Replicating", run.record.vms().get(0).finalState());
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @ParameterizedTest(name = "failed over at {0} to {1}")
    @CsvSource({"63m, latest", "75m, latest-app"})
    void bytesAndModelFidelityGiveTheSameTraceButForDigests(String at, String point) throws Exception {
        // the newest point, or at 75m the app-consistent one of 9:01 while the replica holds ten minutes more: the
        // failback brings the on-premises disk back to the point, the reprotect compares the replica with it
        String scenario = RunFixture.small("3h", UNPLANNED_THEN_FAILBACK.replace("at: 63m, do: unplanned-failover, vm: vm1",
                "at: " + at + ", do: unplanned-failover, vm: vm1, recoveryPoint: " + point) + """
                  - { at: 82m, do: reprotect, vm: vm1 }
                """);
        RunFixture bytes = RunFixture.run(scenario);
        RunFixture model = RunFixture.run(scenario.replace("duration:", "fidelity: model\nduration:"));
        assertEquals(bytes.withoutFidelity(), model.withoutFidelity());
        assertTrue(model.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void failoversAfterAFailbackAndReprotectVerifyInBothFidelities() throws Exception {
        // the failback restores blocks with the Azure copy's content versions, so the source's
        // versions still say what it holds when later failovers are verified against it
        String scenario = RunFixture.small("4h", UNPLANNED_THEN_FAILBACK + """
                  - { at: 82m, do: reprotect, vm: vm1 }
                  - { at: 3h, do: test-failover, vm: vm1 }
                  - { at: 210m, do: unplanned-failover, vm: vm1 }
                """);
        RunFixture bytes = RunFixture.run(scenario);
        RunFixture model = RunFixture.run(scenario.replace("duration:", "fidelity: model\nduration:"));
        for (RunFixture run : List.of(bytes, model)) {
            List<JsonNode> failovers = run.ofType("failover.finished");
            assertEquals(List.of("unplanned", "test", "unplanned"), failovers.stream().map(f -> f.get("kind").asText()).toList());
            for (JsonNode f : failovers) {
                assertTrue(f.get("verified").asBoolean(), f.toString());
            }
            assertTrue(failback(run).get("verified").asBoolean());
        }
        assertEquals(bytes.withoutFidelity(), model.withoutFidelity());
    }


    @Test
    void inFlowFidelityAReprotectDoesNotCountTheWritesTheFailoverLost() throws Exception {
        // an outage holds 28 minutes of writes on-premises when the VM fails over: they are lost
        // (the failover VM starts from the last point) and the failback undoes them, so reprotect
        // sends what was written since the failback, as model fidelity's placed writes show. Flow
        // counted writes by the versions' distance and sent twice as many blocks (79 against 36).
        String yaml = """
                name: lost-writes
                seed: 22
                start: 2026-01-05T08:00:00+01:00
                duration: 4h
                fidelity: FIDELITY
                policy: { copyFrequency: 5m }
                site:
                  uplink: { bandwidth: 20Mbps }
                  hosts:
                    - name: hv01
                      volume: 2GiB
                      vms:
                        - name: app01
                          disks: [ { name: os, size: 256MiB, churn: { rate: 512KiB/min } } ]
                faults:
                  - { at: 35m, kind: network-outage, for: 40m }
                actions:
                  - { at: 63m, do: unplanned-failover, vm: app01 }
                  - { at: 2h1m10s, do: failback, vm: app01 }
                  - { at: 131m20s, do: reprotect, vm: app01 }
                """;
        long[] sent = new long[2];
        for (int i = 0; i < 2; i++) {
            RunFixture run = RunFixture.run(yaml.replace("FIDELITY", i == 0 ? "model" : "flow"));
            List<JsonNode> reprotect = run.ofType("reprotect.finished");
            assertEquals(1, reprotect.size());
            sent[i] = reprotect.get(0).get("blocksSent").asLong();
        }
        assertTrue(sent[0] > 20, "model: the writes since the failback touched " + sent[0] + " of 128 blocks");
        // flow estimates the distinct blocks from the locality model: near model's, not double
        assertTrue(sent[1] <= sent[0] * 5 / 4 && sent[1] >= sent[0] * 3 / 4, "flow " + sent[1] + ", model " + sent[0]);
    }
}
