package io.replisim.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.trace.TraceJson;
import io.replisim.simulator.trace.TraceLevel;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trace levels: {@code states} is the full trace without the per-cycle events, {@code none}
 * writes nothing, and what the run reports (summary, expectations, figures over time) never
 * depends on the level.
 */
class TraceLevelsTest {
    private static final ObjectMapper JSON = TraceJson.mapper();

    private static Scenario library(String name) throws Exception {
        return new ScenarioLoader().load(Path.of("../scenarios/library/" + name + ".yaml")).withFidelity(Fidelity.MODEL); // model: the same events, faster
    }

    record Run(RunRecord record, String trace) {}

    private static Run run(Scenario s, TraceLevel level) throws Exception {
        StringWriter out = new StringWriter();
        RunRecord r = Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).trace(out).traceLevel(level));
        return new Run(r, out.toString());
    }

    /** The trace's events without their seq (and run.started without its level), one JSON text each. */
    private static List<String> events(String trace) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : trace.lines().toList()) {
            ObjectNode e = (ObjectNode) JSON.readTree(line);
            e.remove("seq");
            if (e.get("type").asText().equals("run.started")) {
                e.remove("trace");
            }
            out.add(e.toString());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"outage-resync", "failback", "two-vms-one-uplink"})
    void statesIsTheFullTraceWithoutThePerCycleEvents(String name) throws Exception {
        Scenario s = library(name);
        Run full = run(s, TraceLevel.FULL);
        Run states = run(s, TraceLevel.STATES);
        List<String> kept = events(full.trace()).stream()
                .filter(e -> !e.matches(".*\"type\":\"(log|transfer|recovery-point)\\..*")).toList();
        assertEquals(kept, events(states.trace()));
        assertTrue(kept.size() < events(full.trace()).size(), "a delta cycle's events are gone");
        List<String> lines = states.trace().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).startsWith("{\"seq\":" + i + ","), "numbered as written: " + lines.get(i));
        }
        assertTrue(lines.get(0).contains("\"trace\":\"states\""), "run.started says the level: " + lines.get(0));
        assertTrue(!full.trace().lines().findFirst().orElseThrow().contains("\"trace\""), "a full trace is as it always was");
        assertEquals(summary(full.record()), summary(states.record()), "the summary does not depend on the trace");
    }

    @Test
    void noneWritesNothingAndTheRunIsTheSame() throws Exception {
        Scenario s = library("outage-resync");
        Run full = run(s, TraceLevel.FULL);
        Run none = run(s, TraceLevel.NONE);
        assertEquals("", none.trace());
        assertEquals("none", none.record().trace());
        assertEquals(summary(full.record()), summary(none.record()));
        assertEquals(JSON.writeValueAsString(none.record().fleet()), JSON.writeValueAsString(run(s, TraceLevel.STATES).record().fleet()),
                "the figures over time are gathered while the run goes, whatever the trace");
    }

    @Test
    void theDefaultIsFullUpToAHundredVmsThenStates() throws Exception {
        assertEquals(TraceLevel.FULL, TraceLevel.defaultFor(100));
        assertEquals(TraceLevel.STATES, TraceLevel.defaultFor(101));
        Run small = run(library("quickstart"), null);
        assertEquals("full", small.record().trace());
        assertNull(small.record().fleet(), "a small run with a full trace has no fleet figures");
        assertEquals(TraceLevel.FULL, TraceLevel.of("full"));
        assertNull(TraceLevel.of("verbose"));
    }

    /** The summary's fields but the trace level and the fleet figures (which a full trace of a small run leaves out). */
    private static JsonNode summary(RunRecord r) {
        ObjectNode n = JSON.valueToTree(r);
        n.remove("trace");
        n.remove("fleet");
        assertNotNull(n.get("vms"));
        return n;
    }
}
