package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flow fidelity looks at a VM only when something can change for it, yet health and the RPO are
 * kept exactly as model fidelity has them (scenarios/README.md, Flow fidelity): the same health
 * and state changes at the same times, the same RPO samples, the same peak.
 */
class FlowHealthTest {

    /** Each event of the types as (time, type, from, to, rpo): what both fidelities must agree on. */
    private static List<String> timeline(RunFixture run, String... types) {
        List<String> wanted = List.of(types);
        return run.events.stream().filter(e -> wanted.contains(e.get("type").asText()))
                .map(e -> e.get("t").asText() + " " + e.get("type").asText() + " " + text(e, "from") + " "
                        + text(e, "to") + " " + text(e, "rpo"))
                .toList();
    }

    private static String text(JsonNode e, String field) {
        return e.has(field) ? e.get(field).asText() : "-";
    }

    /** Model's health changes, once flow's are shown to be the same. */
    private static List<String> sameHealthAndRpo(String scenario) throws Exception {
        RunFixture model = RunFixture.run(scenario.replace("duration:", "fidelity: model\nduration:"));
        RunFixture flow = RunFixture.run(scenario.replace("duration:", "fidelity: flow\nduration:"));
        assertEquals(timeline(model, "vm.health", "vm.state", "recovery-point.created"),
                timeline(flow, "vm.health", "vm.state", "recovery-point.created"));
        VmSummary.Rpo m = model.record.vms().get(0).rpo();
        VmSummary.Rpo f = flow.record.vms().get(0).rpo();
        assertEquals(m, f, "RPO samples every 10 seconds in both");
        assertTrue(m.samples() > 0);
        return timeline(model, "vm.health");
    }

    private static void criticalThenNormal(List<String> health) {
        assertTrue(health.stream().anyMatch(h -> h.endsWith(" Critical -")), "the scenario reaches Critical: " + health);
        assertTrue(health.stream().anyMatch(h -> h.contains(" Warning Normal ")), "and recovers: " + health);
    }

    @Test
    void missedCyclesAndAnOldNewestPointWarnAtTheSameMomentsInFlowAsInModel() throws Exception {
        // 75 minutes without sending: the ladder, Critical at the persistent retries, then Warning for missed
        // cycles and an over-an-hour-old point until enough cycles went through again
        criticalThenNormal(sameHealthAndRpo(RunFixture.small("5h", """
                faults:
                  - { at: 1h, kind: network-outage, for: 75m }
                """).replace("size: 16MiB", "size: 256MiB")));
    }

    @Test
    void anErrorWaitingForTheAdministratorIsCriticalThenWarnsInFlowAsInModel() throws Exception {
        criticalThenNormal(sameHealthAndRpo(RunFixture.small("5h", """
                faults:
                  - { at: 1h, kind: authentication-failure, for: 1h }
                actions:
                  - { at: 2h5m, do: resume, vm: vm1 }
                """).replace("size: 16MiB", "size: 256MiB")));
    }
    @Test
    void cyclesThatOverrunWarnAtTheSameStepInFlowAsInModel() throws Exception {
        // a link slower than the churn: cycles overrun, more than 20% of an hour's cycles go missing and the
        // newest point ages; nothing else happens at those moments, so flow must look then by itself
        List<String> health = sameHealthAndRpo(RunFixture.small("4h", "")
                .replace("appConsistentEvery: 1h }", "appConsistentEvery: 1h, initialReplicationStart: replicated }")
                .replace("bandwidth: 20Mbps", "bandwidth: 1Mbps")
                .replace("size: 16MiB, churn: { rate: 256KiB/min }", "size: 1GiB, churn: { rate: 12MiB/min }"));
        assertTrue(health.stream().anyMatch(h -> h.contains(" Normal Warning ")), "the scenario warns: " + health);
    }

    @Test
    void aFaultStrikesTheVmsItNamesAtTheSameStepsInFlowAsInModel() throws Exception {
        // vm2 gone for 10 minutes (its writes meanwhile are lost), then the host's volume full (the next
        // step's guest writes fail): flow must bring the VMs struck up to the step before, and look at them after
        String scenario = RunFixture.withVms(RunFixture.small("2h", """
                faults:
                  - { at: 1801s, kind: vm-not-found, vm: vm2, for: 10m }
                  - { at: 3601s, kind: low-disk-space, host: hv01, for: 10m }
                actions:
                  - { at: 45m, do: resume, vm: vm2 }
                """), """
                - name: vm2
                  disks:
                    - { name: os, size: 16MiB, churn: { rate: 256KiB/min } }
                """);
        List<String> types = List.of("log.switched", "error", "recovery-point.created", "vm.state", "vm.health");
        RunFixture model = RunFixture.run(scenario.replace("duration:", "fidelity: model\nduration:"));
        RunFixture flow = RunFixture.run(scenario.replace("duration:", "fidelity: flow\nduration:"));
        List<String> expected = model.events.stream().filter(e -> types.contains(e.get("type").asText()))
                .map(e -> ((com.fasterxml.jackson.databind.node.ObjectNode) e.deepCopy()).without("seq").toString()).toList();
        assertEquals(expected, flow.events.stream().filter(e -> types.contains(e.get("type").asText()))
                .map(e -> ((com.fasterxml.jackson.databind.node.ObjectNode) e.deepCopy()).without("seq").toString()).toList());
        assertEquals(List.of("LowDiskSpace", "LowDiskSpace"), model.ofType("error").stream()
                .filter(e -> model.at(e).equals(java.time.Duration.ofMinutes(60).plusSeconds(10))).map(e -> e.get("code").asText()).toList(),
                "both VMs' writes fail at the step after the volume filled");
    }

    /** The events of {@code types} without their sequence numbers, to compare flow's with model's. */
    private static List<String> events(RunFixture run, List<String> types) {
        return run.events.stream().filter(e -> types.contains(e.get("type").asText()))
                .map(e -> ((com.fasterxml.jackson.databind.node.ObjectNode) e.deepCopy()).without("seq").toString()).toList();
    }

    /** Model's events of {@code types}, once flow's are shown to be the same. */
    private static List<String> sameEvents(String scenario, String... types) throws Exception {
        RunFixture model = RunFixture.run(scenario.replace("duration:", "fidelity: model\nduration:"));
        RunFixture flow = RunFixture.run(scenario.replace("duration:", "fidelity: flow\nduration:"));
        List<String> expected = events(model, List.of(types));
        assertEquals(expected, events(flow, List.of(types)));
        return expected;
    }

    @Test
    void aBurstThatCrossesTheLogThresholdIsSeenAtTheSameStepInFlowAsInModel() throws Exception {
        // the churn jumps at 09:07 local; flow must look again where the new rate crosses 50% of the disk
        List<String> seen = sameEvents(RunFixture.small("3h", "")
                .replace("bandwidth: 20Mbps", "bandwidth: 2Mbps")
                .replace("size: 16MiB, churn: { rate: 256KiB/min }",
                        "size: 64MiB, churn: { rate: 256KiB/min, bursts: [{ name: batch, at: \"09:07\", for: 10m, rate: 32MiB/min }] }"),
                "resync.required", "vm.state", "log.switched");
        assertTrue(seen.stream().anyMatch(e -> e.contains("resync.required") && e.contains("log-threshold")), String.join("\n", seen));
    }

    @Test
    void aVolumeFilledByLogsIsSeenAtTheSameStepInFlowAsInModel() throws Exception {
        // the volume left 2 MiB free while an outage holds the logs: they fill it in minutes, at a moment nothing
        // else happens, so flow must look then by itself (its VHDX files do not grow: the fault sets the free space)
        List<String> seen = sameEvents(RunFixture.small("3h", """
                faults:
                  - { at: 3601s, kind: network-outage, for: 1h }
                  - { at: 3601s, kind: low-disk-space, host: hv01, bytes: 2MiB, for: 20m }
                """),
                "error", "resync.required", "vm.state", "log.switched");
        assertTrue(seen.stream().anyMatch(e -> e.contains("LowDiskSpace")), String.join("\n", seen));
    }

    @Test
    void aRateThatRisesAtTheNextHourCrossesTheLogThresholdAtTheSameStepInFlowAsInModel() throws Exception {
        // an outage from 08:30 holds the logs; the churn is low until 09:00, then 8 times higher: flow's look,
        // planned at the current rate until the hour and the highest after, must not come after model's step
        List<String> seen = sameEvents(RunFixture.small("3h", """
                faults:
                  - { at: 1801s, kind: network-outage, for: 2h }
                """).replace("size: 16MiB, churn: { rate: 256KiB/min }",
                        "size: 32MiB, churn: { rate: 128KiB/min, hourly: [1,1,1,1,1,1,1,1,1,8,8,1,1,1,1,1,1,1,1,1,1,1,1,1] }"),
                "resync.required", "vm.state", "log.switched", "error");
        assertTrue(seen.stream().anyMatch(e -> e.contains("resync.required") && e.contains("log-threshold")
                && e.contains("T09:")), String.join("\n", seen));
    }

    @Test
    void flowCostsAFewEventsACopyCycleWhateverTheChurn() throws Exception {
        // flow looks at a VM when something can change for it, not at every 10-second step: its cost follows the
        // 48 cycles of these 4 hours, not the guest's bytes (model fidelity steps every 10 seconds: 1,440 steps)
        for (String churn : List.of("256KiB/min", "8MiB/min")) {
            String scenario = RunFixture.small("4h", "")
                    .replace("appConsistentEvery: 1h }", "appConsistentEvery: 1h, initialReplicationStart: replicated }")
                    .replace("size: 16MiB, churn: { rate: 256KiB/min }",
                    "size: 1GiB, churn: { rate: " + churn + " }");
            long flow = RunFixture.run(scenario.replace("duration:", "fidelity: flow\nduration:")).record.events();
            assertTrue(flow <= 4 * 48, churn + ": " + flow + " events");
        }
    }
}
