package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capacity {@code uplink-within-capacity} works out from a scenario, by its own reading of scenarios/README.md. */
class ScenarioCapacityTest {

    private static ScenarioCapacity capacity(Scenario s, String until) {
        return ScenarioCapacity.of(s, s.effectiveSites().get(0), at(until));
    }

    private static long at(String instant) {
        return ScenarioCapacity.epochNanos(Instant.parse(instant));
    }

    private static Scenario withUplink(String start, String uplink, String rest) {
        return Tiny.parse(Tiny.ONE_VM.formatted("2d").replace("2026-01-05T08:00:00+01:00", start)
                .replace("uplink: { bandwidth: 20Mbps }", uplink) + rest);
    }

    @Test
    void aConstantLinkCarriesItsBandwidth() {
        ScenarioCapacity c = capacity(Tiny.oneVm("1h"), "2026-01-05T09:00:00Z");
        assertEquals(20_000_000, c.bitsPerSecond(at("2026-01-05T07:30:00Z")));
        assertEquals(20_000_000.0 * 90, c.bitsUntil(at("2026-01-05T07:01:30Z")), 1e-3);
    }

    @Test
    void theThrottlesWorkHoursFollowDaylightSavingInTheScenariosZone() {
        // Friday 27 March 2026 in Amsterdam; summer time starts on Sunday the 29th
        Scenario s = withUplink("2026-03-27T08:00:00+01:00", "uplink: { bandwidth: 20Mbps, throttle: { workHours: \"Mon-Fri 09:00-18:00\","
                + " workHoursBandwidth: 1Mbps, offHoursBandwidth: 10Mbps } }", "timeZone: Europe/Amsterdam\n");
        ScenarioCapacity c = capacity(s, "2026-03-31T00:00:00Z");
        assertEquals(10_000_000, c.bitsPerSecond(at("2026-03-27T07:59:59Z")));
        assertEquals(1_000_000, c.bitsPerSecond(at("2026-03-27T08:00:00Z")), "09:00 in winter time");
        assertEquals(10_000_000, c.bitsPerSecond(at("2026-03-27T17:00:00Z")), "18:00");
        assertEquals(10_000_000, c.bitsPerSecond(at("2026-03-28T10:00:00Z")), "Saturday");
        assertEquals(10_000_000, c.bitsPerSecond(at("2026-03-30T06:59:59Z")));
        assertEquals(1_000_000, c.bitsPerSecond(at("2026-03-30T07:00:00Z")), "09:00 in summer time");
        assertEquals(List.of(at("2026-03-27T07:00:00Z"), at("2026-03-27T08:00:00Z"), at("2026-03-27T17:00:00Z"),
                        at("2026-03-30T07:00:00Z"), at("2026-03-30T16:00:00Z")),
                c.changes().stream().map(ch -> ch[0]).toList());
    }

    @Test
    void aScheduleWindowPastMidnightBelongsToTheDayItStarts() {
        Scenario s = withUplink("2026-01-09T12:00:00Z", "uplink: { bandwidth: 20Mbps, schedule: [ { hours: \"Mon-Fri 22:00-06:00\","
                + " bandwidth: 5Mbps }, { hours: \"Fri 23:00-24:00\", bandwidth: 1Mbps } ] }", "");
        ScenarioCapacity c = capacity(s, "2026-01-13T00:00:00Z");
        assertEquals(5_000_000, c.bitsPerSecond(at("2026-01-09T23:30:00Z")), "Friday night: the first window that applies wins");
        assertEquals(5_000_000, c.bitsPerSecond(at("2026-01-10T05:59:59Z")), "Saturday morning, Friday's window");
        assertEquals(20_000_000, c.bitsPerSecond(at("2026-01-10T23:00:00Z")), "Saturday night");
        assertEquals(20_000_000, c.bitsPerSecond(at("2026-01-12T05:00:00Z")), "Monday morning: Sunday has no window");
        assertEquals(5_000_000, c.bitsPerSecond(at("2026-01-12T22:00:00Z")));
    }

    @Test
    void anOutageLeavesNothingWhileAnyOfTheSitesOutagesLasts() {
        Scenario s = withUplink("2026-01-05T08:00:00Z", "uplink: { bandwidth: 20Mbps }", """
                faults:
                  - { at: 1h, kind: network-outage, for: 2h }
                  - { at: 2h, kind: network-outage, for: 30m }
                """);
        ScenarioCapacity c = capacity(s, "2026-01-05T20:00:00Z");
        assertEquals(0, c.bitsPerSecond(at("2026-01-05T09:00:00Z")));
        assertEquals(0, c.bitsPerSecond(at("2026-01-05T10:30:00Z")), "the first outage still lasts");
        assertEquals(20_000_000, c.bitsPerSecond(at("2026-01-05T11:00:00Z")));
        assertEquals(20_000_000.0 * 3600 * 2, c.bitsUntil(at("2026-01-05T12:00:00Z")), 1e-3);
    }

    @Test
    void aProfileReplaysItsRowsTheFirstHoldingBeforeIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("link.csv"), "time,bandwidth\n1h,10Mbps\n2h,2Mbps\n");
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, Tiny.ONE_VM.formatted("4h").replace("uplink: { bandwidth: 20Mbps }",
                "uplink: { profile: link.csv, throttle: { workHours: \"Mon-Fri 09:00-11:00\", workHoursBandwidth: 4Mbps } }"));
        Scenario s = new ScenarioLoader().load(file);
        ScenarioCapacity c = capacity(s, "2026-01-05T12:00:00Z");
        assertEquals(10_000_000, c.bitsPerSecond(at("2026-01-05T07:00:00Z")), "before the first row");
        assertEquals(4_000_000, c.bitsPerSecond(at("2026-01-05T08:00:00Z")), "the throttle caps the first row");
        assertEquals(2_000_000, c.bitsPerSecond(at("2026-01-05T09:30:00Z")), "the throttle does not lift the link");
        assertEquals(2_000_000, c.bitsPerSecond(at("2026-01-05T10:30:00Z")));
    }
}
