package io.replisim.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReplisimVersionTest {
    /** The project's version as the parent POM states it. */
    private static String pomVersion() throws Exception {
        String pom = Files.readString(Path.of("../pom.xml"));
        Matcher m = Pattern.compile("<artifactId>replisim-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the parent POM names its version");
        return m.group(1);
    }

    @Test
    void theBuildStampsThePomsVersion() throws Exception {
        assertEquals(pomVersion(), ReplisimVersion.number());
    }

    @Test
    void theTraceHeaderAndTheRecordNameTheVersionAndTheTraceFormat() throws Exception {
        var scenario = new ScenarioLoader().parse(Path.of("v.yaml"), """
                name: v
                start: 2026-01-05T08:00:00+01:00
                duration: 10m
                fidelity: flow
                site:
                  uplink: { bandwidth: 10Mbps }
                  hosts: [ { name: hv01, vms: [ { name: app01, disks: [ { name: os, size: 1GiB } ] } ] } ]
                """);
        StringWriter trace = new StringWriter();
        RunRecord record = Simulator.run(scenario, RunOptions.withSeed(1).trace(trace));
        JsonNode header = new ObjectMapper().readTree(trace.toString().lines().findFirst().orElseThrow());
        assertEquals("run.started", header.get("type").asText());
        assertEquals(pomVersion(), header.get("replisim").asText());
        assertEquals(ReplisimVersion.TRACE_FORMAT, header.get("traceFormat").asInt());
        assertEquals(pomVersion(), record.replisim());
        assertEquals(ReplisimVersion.TRACE_FORMAT, record.traceFormat());
    }
}
