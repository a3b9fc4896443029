package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A policy's scheduled initial replication start is honoured. */
class ScheduledStartTest {
    @Test
    void initialReplicationWaitsForTheScheduledTimeOfDay() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("16h", "").replace("policy: { copyFrequency: 5m,",
                "policy: { initialReplicationStart: \"22:00\", copyFrequency: 5m,"));
        assertEquals(Duration.ofHours(14), run.at(run.ofType("checkpoint.created").get(0)), "22:00, the start being 08:00");
        assertEquals(Duration.ofHours(14), run.at(run.ofType("ir.started").get(0)));
        assertEquals("Ready for replication", run.ofType("vm.state").get(0).get("to").asText());
        assertEquals(Duration.ofSeconds(40), run.at(run.ofType("vm.state").get(0)));
        assertEquals("Waiting to complete initial replication", run.ofType("vm.state").get(1).get("to").asText(), "the checkpoint taken");
        assertEquals(Duration.ofHours(14), run.at(run.ofType("vm.state").get(1)));
        assertEquals("Enable protection", run.ofType("job.finished").get(0).get("name").asText());
        assertEquals(Duration.ofMinutes(1), run.at(run.ofType("job.finished").get(0)), "the job only scheduled the start");
        assertEquals(true, run.record.vms().get(0).disks().get(0).matches());
    }

    @Test
    void aStartInThePastMeansNow() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("1h", "").replace("policy: { copyFrequency: 5m,",
                "policy: { initialReplicationStart: 2026-01-01T00:00:00+01:00, copyFrequency: 5m,"));
        assertEquals(Duration.ofMinutes(1), run.at(run.ofType("ir.started").get(0)));
    }

    @Test
    void disablingReplicationBeforeTheScheduledStartCallsItOff() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("16h", """
                actions:
                  - { at: 2h, do: disable-replication, vm: vm1 }
                """).replace("policy: { copyFrequency: 5m,", "policy: { initialReplicationStart: \"22:00\", copyFrequency: 5m,"));
        assertEquals(List.of(), run.ofType("ir.started"));
        assertEquals(List.of(), run.ofType("checkpoint.created"));
        assertEquals("Not enabled", run.record.vms().get(0).finalState());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"immediately", "\"08:01\""})
    void aStartBeforeTheEnableJobEndsIsTakenByItsStartReplicationStep(String start) throws Exception {
        // the job's three steps take a minute: a start by then is the job's, not scheduled after it
        RunFixture run = RunFixture.run(RunFixture.small("1h", "").replace("policy: { copyFrequency: 5m,",
                "policy: { initialReplicationStart: " + start + ", copyFrequency: 5m,"));
        List<String> enabling = run.events.stream().filter(e -> e.get("type").asText().equals("checkpoint.created")
                        || e.get("type").asText().equals("job.finished") || e.get("type").asText().equals("vm.state"))
                .limit(4).map(e -> run.at(e) + " " + e.get("type").asText() + " " + (e.has("to") ? e.get("to").asText() : "")).toList();
        assertEquals(List.of("PT40S vm.state Ready for replication", "PT1M checkpoint.created ",
                "PT1M vm.state Waiting to complete initial replication", "PT1M job.finished "), enabling);
    }

    @Test
    void everyStartButATimeToComeIsTheMomentProtectionIsEnabled() {
        var enabled = java.time.ZonedDateTime.parse("2026-01-05T08:00:00+01:00");
        assertEquals(enabled, ReplicationConfig.StartAt.parse("immediately").after(enabled));
        assertEquals(enabled, ReplicationConfig.StartAt.parse("replicated").after(enabled));
        assertEquals(enabled, ReplicationConfig.StartAt.parse("2026-01-01T00:00:00+01:00").after(enabled));
        assertEquals(enabled.plusHours(14), ReplicationConfig.StartAt.parse("22:00").after(enabled));
    }

    @Test
    void aReplicatedStartOfADiskOfPartChunksCopiesItWhole() throws Exception {
        // 10 MiB: the initial copy's chunks do not divide it, the last one is short
        RunFixture run = RunFixture.run(RunFixture.small("30m", "").replace("size: 16MiB", "size: 10MiB")
                .replace("policy: { copyFrequency: 5m,", "policy: { initialReplicationStart: replicated, copyFrequency: 5m,"));
        assertEquals(Duration.ZERO, run.at(run.ofType("recovery-point.created").get(0)));
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"bytes", "model", "flow"})
    void aReplicatedStartBeginsInStepWithNoInitialCopy(String fidelity) throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("1h", "").replace("policy: { copyFrequency: 5m,",
                "fidelity: " + fidelity + "\npolicy: { initialReplicationStart: replicated, copyFrequency: 5m,"));
        assertEquals(List.of(), run.ofType("ir.started"));
        assertEquals(List.of(), run.ofType("job.started").stream().filter(j -> j.get("name").asText().equals("Enable protection")).toList());
        assertEquals(Duration.ZERO, run.at(run.ofType("recovery-point.created").get(0)), "a first point at once");
        assertEquals(List.of(Duration.ZERO), run.ofType("checkpoint.created").stream().map(run::at).toList());
        assertEquals(List.of(Duration.ZERO), run.ofType("checkpoint.merged").stream().map(run::at).toList());
        assertEquals(Duration.ZERO, run.record.vms().get(0).timeToReplicating());
        assertEquals(0, run.record.vms().get(0).initialReplicationBytes());
        assertTrue(run.ofType("transfer.started").stream().allMatch(t -> t.get("kind").asText().equals("log")));
        assertEquals(true, run.record.vms().get(0).disks().get(0).matches(), "the replica was in step, and stayed");
    }
}
