package io.replisim.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.replication.VmOutcome;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.trace.TraceLevel;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A VM's own initial replication start (a wave) and a disk's used bytes (what initial
 * replication sends), in every fidelity that takes them.
 */
class WavesAndUsedBytesTest {
    private static final String SCENARIO = """
            name: waves
            start: 2026-03-02T00:00:00+01:00
            duration: 4h
            fidelity: %s
            site:
              uplink: { bandwidth: 8Mbps }
              hosts:
                - name: hv1
                  vms:
                    - { name: first, disks: [ { name: os, size: 64MiB, used: 16MiB } ] }
                    - { name: second, initialReplicationStart: "2026-03-02T02:00:00+01:00", disks: [ { name: os, size: 32MiB } ] }
            """;

    @org.junit.jupiter.api.Test
    void vmsStartedReplicatedKeepTheirOwnPhaseInTheCopyInterval() throws Exception {
        StringBuilder vms = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            vms.append("        - { name: vm").append(i).append(", disks: [ { size: 64MiB, churn: { rate: 64KiB/s } } ] }\n");
        }
        String text = """
                name: phases
                start: 2026-03-02T00:00:00+01:00
                duration: 30m
                fidelity: model
                policy: { copyFrequency: 5m, initialReplicationStart: replicated }
                site:
                  uplink: { bandwidth: 100Mbps }
                  hosts:
                    - name: hv1
                      vms:
                """ + vms;
        Scenario s = new ScenarioLoader().parse(Path.of("phases.yaml"), text);
        java.io.StringWriter trace = new java.io.StringWriter();
        Simulator.run(s, RunOptions.withSeed(3).trace(trace));
        // the first log switched after the start, per VM: its phase in the copy interval
        Map<String, Double> first = new java.util.TreeMap<>();
        for (String line : trace.toString().split("\n")) {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            double t = java.time.Duration.between(s.start(), java.time.OffsetDateTime.parse(node.path("t").asText())).toMillis() / 1000.0;
            if (node.path("type").asText().equals("log.switched") && t > 0) {
                first.putIfAbsent(node.path("vm").asText(), t);
            }
        }
        assertEquals(6, first.size(), first.toString());
        assertTrue(first.values().stream().allMatch(t -> t > 0 && t <= 300), "within the first copy interval: " + first);
        assertTrue(new java.util.HashSet<>(first.values()).size() >= 5, "VMs protected at different times cycle apart: " + first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes", "model", "flow"})
    void aVmStartsAtItsOwnTimeAndInitialReplicationSendsTheUsedBytes(String fidelity) throws Exception {
        Scenario s = new ScenarioLoader().parse(Path.of("waves.yaml"), SCENARIO.formatted(fidelity));
        Simulator.Run run = Simulator.execute(s, RunOptions.withSeed(1).threads(1).traceLevel(TraceLevel.NONE));
        Map<String, VmOutcome> vms = run.outcomes().stream().collect(Collectors.toMap(o -> o.summary().vm(), Function.identity()));
        VmOutcome first = vms.get("first");
        VmOutcome second = vms.get("second");
        assertEquals(16L << 20, first.summary().initialReplicationBytes(), "only the used bytes go on the wire");
        assertTrue(first.summary().disks().get(0).matches(), "yet the whole disk is replicated");
        // 16 MiB at 8 Mbps: 16.8 s, within the first minutes
        assertTrue(first.firstEntered(ReplicationState.REPLICATING) < 5L * 60 * 1_000_000_000L);
        assertEquals(2L * 3600 * 1_000_000_000L, second.initialReplicationStartedAt(), "the second VM's wave starts at 02:00");
        assertEquals(32L << 20, second.summary().initialReplicationBytes(), "a disk without used sends all of it");
        assertTrue(second.summary().disks().get(0).matches());
    }
}
