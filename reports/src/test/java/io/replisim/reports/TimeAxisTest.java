package io.replisim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeAxisTest {
    static final long H = 3_600_000_000_000L;

    @Test
    void ticksFallOnWholeHoursOfTheScenariosZoneAndNameTheDayWhenItChanges() {
        // starts 07:40 in Amsterdam, runs 20 h: ticks every 2 h from 08:00, the day named at the first tick and at midnight
        TimeAxis axis = new TimeAxis(Instant.parse("2026-01-05T06:40:00Z"), ZoneId.of("Europe/Amsterdam"));
        List<TimeAxis.Tick> ticks = axis.ticks(0, 20 * H, 10);
        assertEquals("08:00", ticks.get(0).label());
        assertEquals("Mon 5 Jan", ticks.get(0).day());
        assertEquals(H / 3, ticks.get(0).time(), "08:00 is 20 minutes in");
        assertNull(ticks.get(1).day());
        TimeAxis.Tick midnight = ticks.stream().filter(t -> t.label().equals("00:00")).findFirst().orElseThrow();
        assertEquals("Tue 6 Jan", midnight.day());
        assertEquals(10, ticks.size());
    }

    @Test
    void longRunsTickByTheDayAndAcrossDaylightSavingTime() {
        TimeAxis axis = new TimeAxis(Instant.parse("2026-03-27T23:00:00Z"), ZoneId.of("Europe/Amsterdam"));
        List<TimeAxis.Tick> ticks = axis.ticks(0, 4 * 24 * H, 5);
        assertEquals(List.of("Sat 28 Mar", "Sun 29 Mar", "Mon 30 Mar", "Tue 31 Mar", "Wed 1 Apr"),
                ticks.stream().map(TimeAxis.Tick::day).toList());
        // the night of the 29th is an hour short
        assertEquals(23 * H, ticks.get(2).time() - ticks.get(1).time());
    }
}
