package com.example.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.junit.Replisim;
import io.replisim.simulator.replication.VmSummary;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.scenario.Fidelity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One run in a test of our own, with assertions beyond the scenario's expectations. */
class BranchOutageTest {
    @Test
    void aTenMinuteOutageIsRiddenOutOnTheRetryLadderWithoutAResync() {
        RunRecord run = Replisim.run("src/test/scenarios/branch-outage.yaml").seed(7).fidelity(Fidelity.MODEL).assertPassed();

        VmSummary app = run.vms().get(0);
        assertEquals(0, app.resyncs(), "no resynchronization");
        assertTrue(app.retries() >= 2, app.retries() + " retries: the outage outlasts the first two rungs (1 and 2 minutes)");
        assertTrue(app.rpo().max().compareTo(Duration.ofMinutes(25)) < 0, "worst RPO " + app.rpo().max());
    }

    @Test
    void everySeedOfTheSharedUplinkKeepsTheRpoTarget() {
        for (long seed = 1; seed <= 3; seed++) {
            RunRecord run = Replisim.run("src/test/scenarios/shared-uplink.yaml").seed(seed).assertPassed();
            assertEquals(2, run.vms().size());
        }
    }
}
