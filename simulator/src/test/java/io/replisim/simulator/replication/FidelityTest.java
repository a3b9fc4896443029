package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stack cannot tell the fidelities apart: on small disks, bytes and model fidelity give the
 * same trace, event for event, but for the fidelity's name and how replicas are digested.
 */
class FidelityTest {


    private static void sameTimeline(String scenario) throws Exception {
        RunFixture bytes = RunFixture.run(scenario);
        RunFixture model = RunFixture.run(scenario.replace("duration:", "fidelity: model\nduration:"));
        assertEquals("bytes", bytes.ofType("run.started").get(0).get("fidelity").asText());
        assertEquals("model", model.ofType("run.started").get(0).get("fidelity").asText());
        assertEquals(bytes.withoutFidelity(), model.withoutFidelity());
        JsonNode verified = model.ofType("replica.verified").get(0);
        assertEquals("extent-versions", verified.get("method").asText());
        assertEquals(bytes.ofType("replica.verified").get(0).get("matches"), verified.get("matches"));
    }

    @Test
    void steadyReplicationIsTheSameInBothFidelities() throws Exception {
        sameTimeline(RunFixture.small("2h", ""));
    }

    @Test
    void outagesRetriesAndAResyncAreTheSameInBothFidelities() throws Exception {
        String scenario = RunFixture.small("12h", """
                resync: { blockSize: 256KiB }
                faults:
                  - { at: 90m, kind: network-outage, for: 2h }
                  - { at: 6h, kind: storage-unavailable, for: 10m }
                """);
        sameTimeline(scenario);
        assertTrue(RunFixture.run(scenario).ofType("resync.finished").size() == 1);
    }

    @Test
    void failoversAreTheSameInBothFidelities() throws Exception {
        sameTimeline(RunFixture.small("3h", """
                actions:
                  - { at: 1h, do: test-failover, vm: vm1 }
                  - { at: 2h, do: unplanned-failover, vm: vm1 }
                """));
    }
}
