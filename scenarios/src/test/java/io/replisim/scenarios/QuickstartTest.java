package io.replisim.scenarios;

import io.replisim.simulator.replication.VmSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The walking skeleton end to end: the bundled quickstart, reproducible by seed, replica verified. */
class QuickstartTest {
    static final Path QUICKSTART = Path.of("library/quickstart.yaml");
    private static Scenario scenario;

    @BeforeAll
    static void load() throws Exception {
        scenario = new ScenarioLoader().load(QUICKSTART);
    }

    record Run(RunRecord record, String trace) {}

    static Run run(long seed) throws Exception {
        StringWriter trace = new StringWriter();
        RunRecord record = Simulator.run(scenario, RunOptions.withSeed(seed).trace(trace));
        return new Run(record, trace.toString());
    }

    @Test
    void theSameSeedGivesAByteIdenticalTrace() throws Exception {
        Run first = run(42);
        Run second = run(42);
        assertEquals(first.trace(), second.trace());
        assertEquals(first.record(), second.record());
        assertTrue(first.trace().lines().count() > 100, "a two-hour quickstart traces well over 100 events");
    }

    @Test
    void anotherSeedGivesAnotherTrace() throws Exception {
        assertNotEquals(run(42).trace(), run(43).trace());
    }

    @Test
    void theReplicaEqualsItsSourceAndEveryExpectationHolds() throws Exception {
        RunRecord r = run(42).record();
        VmSummary vm = r.vms().get(0);
        VmSummary.DiskCheck disk = vm.disks().get(0);
        assertTrue(disk.matches(), disk.toString());
        assertEquals(disk.sourceSha256(), disk.replicaSha256());
        assertEquals(64L << 20, disk.sizeBytes());
        assertEquals("Replicating", vm.finalState());
        assertTrue(r.passed(), r.expectations().toString());
        // the whole disk went over the uplink once, then 5-minute logs for two hours
        assertEquals(64L << 20, vm.initialReplicationBytes());
        assertTrue(vm.logsShipped() >= 24, "logs shipped: " + vm.logsShipped());
    }

    @Test
    void theTraceRecordsTheVerificationAndTheSkeletonsSteps() throws Exception {
        String trace = run(42).trace();
        for (String type : new String[] {"run.started", "job.started", "job.step", "job.finished", "checkpoint.created",
                "ir.started", "transfer.started", "transfer.finished", "log.switched", "log.applied", "checkpoint.merged",
                "vm.state", "recovery-point.created", "workload.stopped", "replica.verified", "expectation", "run.finished"}) {
            assertTrue(trace.contains("\"type\":\"" + type + "\""), "trace lacks " + type);
        }
        assertTrue(trace.contains("\"type\":\"replica.verified\"") && trace.contains("\"matches\":true"));
    }
}
