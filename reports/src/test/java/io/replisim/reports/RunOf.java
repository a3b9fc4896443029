package io.replisim.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.trace.TraceJson;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A real run for a report's tests: its summary and its trace, read as the report reads them. */
record RunOf(RunRecord record, RunTimeline timeline, String trace) {

    /** Runs a scenario of the library in model fidelity: the same events as bytes on its small disks, faster. */
    static RunOf library(String name) throws Exception {
        return run(new ScenarioLoader().load(Path.of("../scenarios/library/" + name + ".yaml")).withFidelity(Fidelity.MODEL));
    }

    /** Runs a scenario of this package's test resources. */
    static RunOf resource(String file) throws Exception {
        try (InputStream in = RunOf.class.getResourceAsStream(file)) {
            return run(new ScenarioLoader().parse(Path.of(file), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    /** An event's time in ns from the run's start. */
    long time(JsonNode e) {
        return java.time.Duration.between(timeline.start(), java.time.OffsetDateTime.parse(e.get("t").asText()).toInstant()).toNanos();
    }

    static JsonNode json(String line) {
        try {
            return TraceJson.mapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RunOf run(Scenario s) throws Exception {
        StringWriter trace = new StringWriter();
        RunRecord record = Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).trace(trace));
        return new RunOf(record, RunTimeline.read(new BufferedReader(new StringReader(trace.toString())), s.name()), trace.toString());
    }
}
