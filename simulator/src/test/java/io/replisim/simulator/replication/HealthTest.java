package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
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
}
