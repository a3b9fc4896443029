package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health by docs/domain.md, Health, over the whole window, whatever state the VM passed through. */
class HealthTest {

    private static List<JsonNode> healthBetween(RunFixture run, Duration from, Duration to) {
        return run.ofType("vm.health").stream()
                .filter(h -> run.at(h).compareTo(from) >= 0 && run.at(h).compareTo(to) < 0).toList();
    }

    @Test
    void anHourInErrorCountsAsMissedCyclesAfterTheResume() throws Exception {
        // the storage rejects the agent's credentials from 1h to 2h: the VM waits in Error; resumed at 2h05m, its
        // cycles go through again, but the last hour missed most of its cycles: Warning, until 80% of an
        // hour's cycles succeeded again
        RunFixture run = RunFixture.run(RunFixture.small("5h", """
                faults:
                  - { at: 1h, kind: authentication-failure, for: 1h }
                actions:
                  - { at: 2h5m, do: resume, vm: vm1 }
                """).replace("size: 16MiB", "size: 256MiB")); // an hour of logs stays below the resync threshold
        List<JsonNode> after = healthBetween(run, Duration.ofMinutes(125), Duration.ofHours(5));
        assertEquals("Critical", after.get(0).get("from").asText());
        assertEquals("Warning", after.get(0).get("to").asText(), "12 of the last hour's 12 cycles were missed");
        JsonNode normal = after.stream().filter(h -> h.get("to").asText().equals("Normal")).findFirst().orElseThrow();
        Duration back = run.at(normal).minus(Duration.ofMinutes(125));
        // at most 20% missed: 10 of the last 12 five-minute cycles done, about 45 to 50 minutes after the resume
        assertTrue(back.compareTo(Duration.ofMinutes(40)) >= 0 && back.compareTo(Duration.ofMinutes(55)) <= 0,
                "Normal again " + back + " after the resume");
    }

    @Test
    void aResumeWhileTheCausePersistsDoesNotFlashNormal() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("4h", """
                faults:
                  - { at: 1h, kind: authentication-failure, for: 2h }
                actions:
                  - { at: 90m, do: resume, vm: vm1 }
                  - { at: 3h5m, do: resume, vm: vm1 }
                """).replace("size: 16MiB", "size: 256MiB"));
        List<JsonNode> during = healthBetween(run, Duration.ofMinutes(65), Duration.ofHours(3));
        assertEquals(List.of(), during, "the failed retry at the resume keeps the VM Critical");
        assertTrue(run.ofType("error").stream().anyMatch(e -> run.at(e).compareTo(Duration.ofMinutes(90)) >= 0
                && run.at(e).compareTo(Duration.ofMinutes(91)) < 0), "the resumed operation did run, and failed again");
    }
    @Test
    void missedCyclesCountOnlyFromWhenDeltaReplicationBegan() throws Exception {
        // no cycle could run before initial replication ended: the VM is Normal from the moment it replicates
        // and stays Normal through steady 5-minute cycles
        RunFixture run = RunFixture.run(RunFixture.small("3h", ""));
        List<String> health = run.ofType("vm.health").stream()
                .map(h -> h.get("from").asText() + "->" + h.get("to").asText()).toList();
        assertEquals(List.of("Normal->Warning", "Warning->Normal"), health, "Warning only while initial replication runs");
        JsonNode replicating = run.ofType("vm.state").stream()
                .filter(s -> s.get("to").asText().equals("Replicating")).findFirst().orElseThrow();
        assertEquals(replicating.get("t"), run.ofType("vm.health").get(1).get("t"), "health follows the state at once");
    }

    @Test
    void aFailoverEndsTheRpoRiseItInterrupts() throws Exception {
        // nothing is sent from 1h; the RPO rises from the newest point until the failover completes, where
        // measuring stops: that rise is the highest RPO, not a sample 10 seconds before it
        RunFixture run = RunFixture.run(RunFixture.small("4h", """
                faults:
                  - { at: 1h, kind: network-outage, for: 3h }
                actions:
                  - { at: 2h, do: unplanned-failover, vm: vm1 }
                """));
        List<JsonNode> points = run.ofType("recovery-point.created");
        OffsetDateTime newest = OffsetDateTime.parse(points.get(points.size() - 1).get("pointInTime").asText());
        JsonNode failedOver = run.ofType("vm.state").stream()
                .filter(s -> s.get("to").asText().equals("Failover complete")).findFirst().orElseThrow();
        Duration rise = Duration.between(newest, OffsetDateTime.parse(failedOver.get("t").asText()));
        assertTrue(rise.compareTo(Duration.ofMinutes(55)) > 0, rise.toString());
        assertEquals(rise, run.record.vms().get(0).rpo().max());
    }
}
