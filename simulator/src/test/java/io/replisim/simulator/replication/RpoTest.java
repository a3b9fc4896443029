package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.run.RunRecord;
import java.time.Duration;
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
}
