package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's work-hours throttle, through the real kernel and stack. */
class ThrottleTest {
    @Test
    void transfersDuringWorkHoursNeverBeatTheThrottleAndRunFreeOutside() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("3h", "").replace("uplink: { bandwidth: 20Mbps }",
                "uplink: { bandwidth: 20Mbps, throttle: { workHours: \"Mon-Fri 09:00-18:00\", workHoursBandwidth: 1Mbps } }"));
        List<JsonNode> finished = run.ofType("transfer.finished");
        boolean sawWork = false;
        boolean sawFree = false;
        for (JsonNode t : finished) {
            Duration end = run.at(t);
            Duration took = Duration.parse(t.get("duration").asText());
            Duration began = end.minus(took);
            double bitsPerSecond = t.get("bytes").asLong() * 8 / (took.toNanos() / 1e9);
            if (began.compareTo(Duration.ofHours(1)) >= 0) {         // 09:00 and later
                sawWork = true;
                assertTrue(bitsPerSecond <= 1_000_000 * 1.0001, t + " ran at " + bitsPerSecond);
            } else if (end.compareTo(Duration.ofHours(1)) < 0) {    // before 09:00
                sawFree = true;
                assertTrue(bitsPerSecond > 1_000_000 * 10, t + " ran at only " + bitsPerSecond);
            }
        }
        assertTrue(sawWork && sawFree);
        assertTrue(run.record.vms().get(0).disks().get(0).matches());
    }
}
