package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.run.FleetSeries;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.trace.TraceLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** RPO over time: the time since the newest recovery point, in the summary and the trace. */
class RpoTest {
    @Test
    void steadyReplicationKeepsTheRpoWithinACopyInterval() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("3h", ""));
        VmSummary.Rpo rpo = run.record.vms().get(0).rpo();
        assertTrue(rpo.max().compareTo(Duration.ofMinutes(5).plusSeconds(30)) < 0, rpo.toString());
        assertTrue(rpo.p50().compareTo(Duration.ofMinutes(1)) > 0 && rpo.p50().compareTo(Duration.ofMinutes(4)) < 0, rpo.toString());
        assertTrue(run.ofType("recovery-point.created").stream().skip(1)
                .allMatch(rp -> Duration.parse(rp.get("rpo").asText()).compareTo(Duration.ofMinutes(5).plusSeconds(30)) < 0));
        assertNull(run.ofType("recovery-point.created").get(0).get("rpo"), "the first point has no predecessor");
    }

    @Test
    void anOutageStretchesTheRpoByItsLength() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                faults:
                  - { at: 30m, kind: network-outage, for: 40m }
                """).replace("256KiB/min", "32KiB/min"));
        VmSummary.Rpo rpo = run.record.vms().get(0).rpo();
        assertTrue(rpo.max().compareTo(Duration.ofMinutes(40)) > 0, rpo.toString());
        assertTrue(run.ofType("recovery-point.created").stream()
                .anyMatch(rp -> rp.has("rpo") && Duration.parse(rp.get("rpo").asText()).compareTo(Duration.ofMinutes(40)) > 0));
    }

    @Test
    void theMaxIsTheHighestRpoExactlyAsThePointsEndedItNotASample() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("3h", ""));
        VmSummary.Rpo rpo = run.record.vms().get(0).rpo();
        Duration stopped = run.at(run.ofType("workload.stopped").get(0));
        Duration highest = Duration.ZERO;
        Duration newest = null;
        for (var rp : run.ofType("recovery-point.created")) {
            if (run.at(rp).compareTo(stopped) <= 0) {
                if (rp.has("rpo")) {
                    highest = max(highest, Duration.parse(rp.get("rpo").asText()));
                }
                newest = Duration.between(OffsetDateTime.parse("2026-01-05T08:00:00+01:00"), OffsetDateTime.parse(rp.get("pointInTime").asText()));
            }
        }
        assertEquals(max(highest, stopped.minus(newest)), rpo.max(), "the rise before a point, or the last one at the workload's end");
        assertTrue(rpo.p99().compareTo(rpo.max()) <= 0, rpo.toString());
    }

    @Test
    void anOutageOverTheWorkloadsEndMakesTheLastRiseTheHighest() throws Exception {
        // nothing is sent from 2h; the workload stops at 3h with the newest point about an hour old: measuring
        // stops there, and that rise is the max, though the logs drain only after the outage
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                faults:
                  - { at: 2h, kind: network-outage, for: 2h }
                """));
        Duration stopped = run.at(run.ofType("workload.stopped").get(0));
        Duration newest = null;
        for (var rp : run.ofType("recovery-point.created")) {
            if (run.at(rp).compareTo(stopped) <= 0) {
                newest = Duration.between(OffsetDateTime.parse("2026-01-05T08:00:00+01:00"), OffsetDateTime.parse(rp.get("pointInTime").asText()));
            }
        }
        assertTrue(stopped.minus(newest).compareTo(Duration.ofMinutes(55)) > 0, stopped.minus(newest).toString());
        assertEquals(stopped.minus(newest), run.record.vms().get(0).rpo().max());
    }

    @Test
    void aVmThatStartsReplicatedIsMeasuredFromTheStart() throws Exception {
        // replicas in step before the run: a recovery point stands for the start, and every 10-second step of
        // the workload has its RPO sample, the first ones included
        RunFixture run = RunFixture.run(RunFixture.small("1h", "")
                .replace("appConsistentEvery: 1h }", "appConsistentEvery: 1h, initialReplicationStart: replicated }"));
        assertEquals("2026-01-05T08:00+01:00", OffsetDateTime.parse(
                run.ofType("recovery-point.created").get(0).get("pointInTime").asText()).toString());
        VmSummary.Rpo rpo = run.record.vms().get(0).rpo();
        assertEquals(6 * 60, rpo.samples(), rpo.toString());
        assertTrue(run.ofType("recovery-point.created").get(1).has("rpo"), "the second point ends the first rise");
    }

    @Test
    void theRpoIsNotMeasuredWhileTheVmIsFailedOver() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                actions:
                  - { at: 1h, do: unplanned-failover, vm: vm1 }
                """));
        VmSummary.Rpo rpo = run.record.vms().get(0).rpo();
        // two hours failed over: the RPO would grow to two hours if they counted
        assertTrue(rpo.max().compareTo(Duration.ofMinutes(5).plusSeconds(30)) < 0, rpo.toString());
        assertTrue(rpo.p95().compareTo(Duration.ofMinutes(5)) < 0, rpo.toString());
        assertTrue(rpo.samples() < 6 * 60, "samples every 10 s for under an hour: " + rpo.samples());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Test
    void theFleetFiguresOfALastBinShorterThanTheOthersAreMeansOverItsOwnWidth() throws Exception {
        // 1h5s in 10-second bins: the last one is 5 seconds wide; one VM on a steady 20 Mbps uplink
        Scenario s = new ScenarioLoader().parse(Path.of("test.yaml"), RunFixture.small("1h5s", ""));
        FleetSeries fleet = Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).traceLevel(TraceLevel.NONE)).fleet();
        assertEquals(Duration.ofSeconds(10), fleet.binWidth());
        assertEquals(361, fleet.bins());
        for (int b = 0; b < fleet.bins(); b++) {
            // the last bin's mean is over its 5 seconds within the duration, the drain after it left out
            assertEquals(20_000_000, fleet.sites().get(0).capacityBitsPerSecond()[b], 1e-6, "capacity in bin " + b);
            assertEquals(1.0, fleet.vmsNormal()[b] + fleet.vmsWarning()[b] + fleet.vmsCritical()[b], 0.011, "the one VM in bin " + b);
        }
        // before initial replication made the first recovery point there is no RPO, not one of 0
        assertEquals(-1, fleet.rpoMaxSeconds()[0]);
        assertTrue(fleet.rpoMaxSeconds()[fleet.bins() - 1] > 0);
    }
}
