package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Minimal scenarios that `replisim hunt` shrank from failures it found; each must now hold every invariant. */
class HuntFindingsTest {

    /** The minimal scenarios in src/test/resources/hunt-findings, as hunt wrote them (each names its fix), at their own seed. */
    @org.junit.jupiter.api.TestFactory
    java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> everySavedFindingHoldsEveryInvariant() throws Exception {
        Path dir = Path.of(HuntFindingsTest.class.getResource("/hunt-findings").toURI());
        List<Path> files;
        try (var list = java.nio.file.Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 6, files.toString());
        return files.stream().map(f -> org.junit.jupiter.api.DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            var scenario = new ScenarioLoader().load(f);
            assertEquals(List.of(), CheckedRun.of(scenario, scenario.seed(), Invariants.all()).violations());
        }));
    }

    private static CheckedRun replay(String yaml, long seed) throws Exception {
        CheckedRun run = CheckedRun.of(new ScenarioLoader().parse(Path.of("minimal.yaml"), yaml), seed, Invariants.all());
        assertEquals(List.of(), run.violations());
        return run;
    }

    /** One Hyper-V host with app01 and one disk, 5-minute copies over 20 Mbps, from Monday 08:00. */
    private static String oneVm(String duration, String diskSize, String churn, String name) {
        return """
                name: %s
                start: 2026-01-05T08:00:00+01:00
                duration: %s
                policy: { copyFrequency: 5m }
                site:
                  uplink: { bandwidth: 20Mbps }
                  hosts:
                    - name: hv01
                      volume: 2GiB
                      vms:
                        - name: app01
                          disks: [ { name: os, size: %s, churn: { rate: %s } } ]
                """.formatted(name, duration, diskSize, churn);
    }

    @Test
    void anUnplannedFailoverDuringAResyncFailsOverAndEndsTheResync() throws Exception {
        // the outage overflows the logs before 09:00, so the resync starts off-hours and is still
        // running, the link down, when the VM is failed over: Hyper-V refused that state change
        CheckedRun run = replay(oneVm("3h", "32MiB", "1MiB/min", "unplanned-failover-minimal") + """
                faults:
                  - { at: 38m28s, kind: network-outage, for: 3h9m34s }
                actions:
                  - { at: 2h3m, do: unplanned-failover, vm: app01 }
                """, 1316278949L);
        List<String> types = run.trace().stream().map(TraceLine::type).toList();
        assertTrue(types.indexOf("resync.started") >= 0 && types.indexOf("resync.started") < types.indexOf("failover.finished"),
                "the failover comes while the resync runs");
        TraceLine failover = run.trace().stream().filter(l -> l.is("failover.finished")).findFirst().orElseThrow();
        assertTrue(failover.bool("verified"), failover.text());
        assertTrue(run.trace().stream().anyMatch(l -> l.is("job.finished") && "Resynchronize".equals(l.str("name"))
                && "Failed".equals(l.str("status"))), "the Resynchronize job ends with the replication");
    }

    @Test
    void aResumeWhoseResyncHadNothingLeftToSendEndsCriticalWithItsRecoveryPoint() throws Exception {
        // vm06's resync had shipped its last log when the VM went missing; resumed, the resync
        // finishes at once with a recovery point, which is the progress that ends "after a resume"
        Path file = Path.of(HuntFindingsTest.class.getResource("/hunt-findings/resume-with-nothing-left-to-send.yaml").toURI());
        var scenario = new ScenarioLoader().load(file);
        CheckedRun run = CheckedRun.of(scenario, scenario.seed(), Invariants.all());
        assertEquals(List.of(), run.violations());
        List<TraceLine> vm06 = run.trace().stream().filter(l -> "vm06".equals(l.vm())).toList();
        TraceLine resume = vm06.stream().filter(l -> l.is("action") && "resume".equals(l.str("action"))).findFirst().orElseThrow();
        TraceLine point = vm06.stream().filter(l -> l.is("recovery-point.created") && l.seq() > resume.seq()).findFirst().orElseThrow();
        assertEquals(resume.t(), point.t(), "the resync finishes at the resume");
        TraceLine health = vm06.stream().filter(l -> l.is("vm.health") && l.seq() > point.seq()).findFirst().orElseThrow();
        assertEquals(point.t(), health.t(), health.text());
        assertEquals("Critical", health.str("from"));
        assertEquals("Warning", health.str("to"), "the resync's point is more than an hour old: Warning, not Critical");
    }

    @Test
    void disablingReplicationEndsAFailbackThatWaitsForAnAdministrator() throws Exception {
        // the VM vanishes while the failback restores its disk: the failback waits for an
        // administrator; disabling replication must end that job, not leave it running forever
        CheckedRun run = replay(oneVm("4h", "256MiB", "512KiB/min", "failback-minimal") + """
                faults:
                  - { at: 1h51m7s, kind: vm-not-found, for: 30m56s, vm: app01 }
                actions:
                  - { at: 1h3m, do: unplanned-failover, vm: app01 }
                  - { at: 2h, do: failback, vm: app01 }
                  - { at: 2h45m27s, do: disable-replication, vm: app01 }
                """, 1127013767L);
        assertTrue(run.trace().stream().anyMatch(l -> l.is("job.finished") && "Planned failover".equals(l.str("name"))
                && "Failed".equals(l.str("status"))), "the failback's job fails when replication is disabled");
    }

    @Test
    void disablingReplicationBeforeItIsEnabledOrTwiceIsRefusedNotACrash() throws Exception {
        CheckedRun run = replay(oneVm("30m", "64MiB", "1MiB/min", "disable-minimal") + """
                actions:
                  - { at: 32s, do: disable-replication, vm: app01 }
                  - { at: 10m, do: disable-replication, vm: app01 }
                  - { at: 20m, do: disable-replication, vm: app01 }
                """, 205135848L);
        List<String> refused = run.trace().stream().filter(l -> l.is("action.refused")).map(l -> l.str("reason")).toList();
        assertEquals(List.of("replication is not enabled (yet): the job enabling it is still running",
                "replication is disabled already"), refused);
        assertTrue(run.trace().stream().anyMatch(l -> l.is("job.finished") && "Disable replication".equals(l.str("name"))
                && "Succeeded".equals(l.str("status"))));
    }

    @Test
    void aResyncStartedByHandSupersedesTheRetryOfItsScheduledStart() throws Exception {
        // the scheduled start fails on low memory and waits on the ladder; the administrator starts
        // it by hand: the pending retry must not fire later into a finished resync (it crashed)
        CheckedRun run = replay(oneVm("2h", "32MiB", "256KiB/min", "low-memory-minimal") + """
                faults:
                  - { at: 40m, kind: low-memory, for: 20m, host: hv01 }
                  - { at: 40m36s, kind: vm-reverted, vm: app01 }
                actions:
                  - { at: 58m36s, do: resync, vm: app01 }
                """, 1352121464L);
        assertEquals(1, run.trace().stream().filter(l -> l.is("resync.finished")).count());
    }

    @Test
    void theRetryLadderRestartsAfterInitialReplicationFinishesOnARetry() throws Exception {
        // initial replication finishes on a retry after low disk space, sending nothing new; the
        // first delta cycle then fails on the outage: its retry is attempt 1, not attempt 11
        CheckedRun run = replay("""
                name: multi-tb-model-minimal
                seed: 1316278949
                start: 2026-01-05T19:00:00+01:00
                duration: 12h
                fidelity: model
                policy: { copyFrequency: 5m, retention: 4h }
                site:
                  uplink: { bandwidth: 1Gbps }
                  hosts:
                    - name: hv01
                      volume: 8TiB
                      vms:
                        - name: sql01
                          disks:
                            - { name: os, size: 128GiB, churn: { rate: 100KiB/s } }
                            - { name: data, size: 2TiB, churn: { rate: 2000000B/s, ioSize: 256KiB, hotspot: 0.05 } }
                faults:
                  - { at: 4h6m7s, kind: low-disk-space, for: 3h56m7s, host: hv01, bytes: 64MiB }
                  - { at: 6h38m28s, kind: network-outage, for: 3h9m34s }
                """, 1316278949L);
        long irFinished = run.trace().stream().filter(l -> l.is("ir.finished")).findFirst().orElseThrow().seq();
        TraceLine next = run.trace().stream().filter(l -> l.is("retry.scheduled") && l.seq() > irFinished).findFirst().orElseThrow();
        assertEquals(1, next.num("attempt"), next.text());
    }
}
