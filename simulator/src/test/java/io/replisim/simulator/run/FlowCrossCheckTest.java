package io.replisim.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Flow fidelity against model fidelity, within the tolerances scenarios/README.md states
 * ({@link FidelityComparison}): every library scenario (flow supports them all), and random small
 * scenarios of one to three VMs with hot spots or Zipf, outages and resyncs.
 */
class FlowCrossCheckTest {
    private static final Path LIBRARY = Path.of("../scenarios/library");

    @TestFactory
    Stream<DynamicTest> everyLibraryScenarioAgreesInFlowAndModelFidelity() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(LIBRARY)) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 20);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Scenario s = new ScenarioLoader().load(f);
            assertEquals(List.of(), FidelityComparison.compare(s), f + ": flow departs from model");
            assertTrue(FidelityComparison.run(s, Fidelity.FLOW).record().passed(), f + ": its expectations hold in flow");
        }));
    }

    @Test
    void randomSmallScenariosAgreeInFlowAndModelFidelity() {
        // -Dflow.examples=N -Dflow.seed=S search deeper or elsewhere
        qt().withFixedSeed(Long.getLong("flow.seed", 20261205L))
                .withExamples(Integer.getInteger("flow.examples", 24))
                .withShrinkCycles(6)
                .forAll(integers().between(1, 3), integers().between(0, 7), integers().between(0, 3), integers().between(0, 999))
                .checkAssert((vms, churn, outage, seed) -> {
                    Scenario s = scenario(vms, churn, outage).withSeed(seed);
                    try {
                        assertEquals(List.of(), FidelityComparison.compare(s), "flow departs from model for\n" + yaml(vms, churn, outage)
                                + "with --seed " + seed);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }

    /** {@code vms} VMs on one 20 Mbps uplink with 64 MiB disks, a churn of eight kinds, an outage of 0 to 3 hours. */
    private static Scenario scenario(int vms, int churn, int outage) {
        try {
            return new ScenarioLoader().parse(Path.of("random.yaml"), yaml(vms, churn, outage));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String yaml(int vms, int churn, int outage) {
        String[] churns = {
            "{ rate: 256KiB/min }",
            "{ rate: 1MiB/min, hotspot: 0.05, hotShare: 0.9 }",
            "{ rate: 2MiB/min, ioSize: 256KiB }",
            "{ rate: 512KiB/min, zipf: { exponent: 1.2 } }",
            "{ rate: 1MiB/min, zipf: { exponent: 0.8, range: 256KiB } }",
            "{ rate: 768KiB/min, hourly: [1,1,1,1,1,1,1,1,2,2,2,2,2,2,2,2,2,2,1,1,1,1,1,1] }",
            "{ rate: 128KiB/min, bursts: [ { name: batch, at: \"10:00\", for: 30m, rate: 4MiB/min } ] }",
            "{ rate: 3MiB/min, hotspot: 0.5 }",
        };
        StringBuilder b = new StringBuilder("""
                name: random
                start: 2026-01-05T08:00:00+01:00
                duration: 6h
                policy: { copyFrequency: 5m, retention: 2h, appConsistentEvery: 1h }
                resync: { officeHours: "Mon-Fri 09:00-11:00", blockSize: 256KiB }
                site:
                  uplink: { bandwidth: 20Mbps }
                  hosts:
                    - name: hv01
                      volume: 4GiB
                      vms:
                """);
        for (int i = 1; i <= vms; i++) {
            b.append("        - { name: vm").append(i).append(", disks: [ { name: os, size: 64MiB, churn: ")
                    .append(churns[(churn + i) % churns.length]).append(" } ] }\n");
        }
        if (outage > 0) {
            b.append("faults:\n  - { at: 90m, kind: network-outage, for: ").append(outage).append("h }\n");
        }
        return b.toString();
    }
}
