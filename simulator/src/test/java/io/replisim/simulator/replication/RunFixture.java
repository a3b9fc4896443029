package io.replisim.simulator.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.SiteProbe;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.UnaryOperator;

/** Runs a scenario given as YAML text through the real kernel and stack, and reads its trace back. */
final class RunFixture {
    /** A small site: one host, one VM with a 16 MiB disk, 5-minute copies over 20 Mbps. */
    static final String SMALL = """
            name: small
            seed: 11
            start: 2026-01-05T08:00:00+01:00
            duration: DURATION
            policy: { copyFrequency: 5m, retention: 2h, appConsistentEvery: 1h }
            site:
              uplink: { bandwidth: 20Mbps }
              hosts:
                - name: hv01
                  volume: 2GiB
                  vms:
                    - name: vm1
                      disks:
                        - { name: os, size: 16MiB, churn: { rate: 256KiB/min } }
            """;

    final RunRecord record;
    final List<JsonNode> events;
    private final OffsetDateTime start = OffsetDateTime.parse("2026-01-05T08:00:00+01:00");

    private RunFixture(RunRecord record, List<JsonNode> events) {
        this.record = record;
        this.events = events;
    }

    static RunFixture run(String yaml) throws Exception {
        return run(yaml, null);
    }

    /** Runs with {@code probe} watching the site's fakes (null: none). */
    static RunFixture run(String yaml, SiteProbe.Factory probe) throws Exception {
        return runWith(yaml, o -> o.probe(probe));
    }

    /** Runs with the options {@code options} makes of the defaults (the scenario's seed, the trace read back). */
    static RunFixture runWith(String yaml, UnaryOperator<RunOptions> options) throws Exception {
        var scenario = new ScenarioLoader().parse(Path.of("test.yaml"), yaml);
        StringWriter trace = new StringWriter();
        RunRecord record = Simulator.run(scenario, options.apply(RunOptions.withSeed(scenario.effectiveSeed()).trace(trace)));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = trace.toString().lines().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        return new RunFixture(record, events);
    }

    static String small(String duration, String extra) {
        return SMALL.replace("DURATION", duration) + extra;
    }

    /** {@code yaml} (from {@link #small}) with more VMs beside vm1, given as the lines of the host's VM list. */
    static String withVms(String yaml, String vms) {
        String os = "- { name: os, size: 16MiB, churn: { rate: 256KiB/min } }\n";
        return yaml.replace(os, os + vms.indent(8));
    }

    /** The trace without the fidelity's name and the digests: what bytes and model fidelity must agree on. */
    List<String> withoutFidelity() {
        return events.stream().map(e -> {
            JsonNode copy = e.deepCopy();
            if (copy instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                o.remove(List.of("fidelity", "method", "sourceSha256", "replicaSha256"));
            }
            return copy.toString();
        }).toList();
    }

    List<JsonNode> ofType(String type) {
        return events.stream().filter(e -> e.get("type").asText().equals(type)).toList();
    }

    /** Simulated time of an event since the start. */
    Duration at(JsonNode event) {
        return Duration.between(start, OffsetDateTime.parse(event.get("t").asText()));
    }
}
