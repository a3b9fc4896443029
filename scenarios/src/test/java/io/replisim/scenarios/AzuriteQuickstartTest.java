package io.replisim.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.run.Backend;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.StringWriter;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The quickstart against Azurite, driven by the official Azure Storage SDK: the same trace and
 * summary as the in-memory backend, and no Azurite process left behind.
 */
class AzuriteQuickstartTest {

    private static Set<Long> azuriteProcesses() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("azurite-blob") || c.contains("azurite/dist")).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @Test
    void azuriteGivesTheSameRunAsMemoryAndLeavesNoProcessBehind() throws Exception {
        Scenario quickstart = new ScenarioLoader().load(QuickstartTest.QUICKSTART);
        Set<Long> before = azuriteProcesses();
        StringWriter azuriteTrace = new StringWriter();
        RunRecord azurite = Simulator.run(quickstart, RunOptions.withSeed(42).backend(Backend.AZURITE).trace(azuriteTrace));
        StringWriter memoryTrace = new StringWriter();
        RunRecord memory = Simulator.run(quickstart, RunOptions.withSeed(42).trace(memoryTrace));

        assertTrue(azurite.passed(), azurite.expectations().toString());
        assertTrue(azurite.vms().get(0).disks().get(0).matches());
        assertEquals(memoryTrace.toString(), azuriteTrace.toString().replace("\"azure\":\"azurite\"", "\"azure\":\"memory\""));
        assertEquals(memory.vms(), azurite.vms());
        assertEquals(memory.expectations(), azurite.expectations());
        assertEquals(before, azuriteProcesses(), "the run stopped the Azurite it started");
    }
}
