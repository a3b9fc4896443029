package io.replisim.simulator.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class WeeklyHoursTest {
    private static ZonedDateTime at(String local) {
        return ZonedDateTime.parse(local + "[Europe/Amsterdam]");
    }

    @Test
    void workHoursCoverWeekdaysFromTheFirstMinuteToJustBeforeTheEnd() {
        WeeklyHours work = WeeklyHours.parse("Mon-Fri 09:00-18:00");
        assertTrue(work.contains(at("2026-01-05T09:00+01:00")));   // Monday
        assertTrue(work.contains(at("2026-01-09T17:59:59+01:00"))); // Friday
        assertFalse(work.contains(at("2026-01-05T18:00+01:00")));
        assertFalse(work.contains(at("2026-01-10T10:00+01:00")));  // Saturday
        assertEquals("Mon,Tue,Wed,Thu,Fri 09:00-18:00", work.toString());
    }

    @Test
    void theNextBoundarySkipsTheWeekend() {
        WeeklyHours work = WeeklyHours.parse("Mon-Fri 09:00-18:00");
        assertEquals(at("2026-01-05T09:00+01:00"), work.nextBoundary(at("2026-01-05T08:00+01:00")));
        assertEquals(at("2026-01-05T18:00+01:00"), work.nextBoundary(at("2026-01-05T09:00+01:00")));
        assertEquals(at("2026-01-12T09:00+01:00"), work.nextBoundary(at("2026-01-09T18:00+01:00")));
    }

    @Test
    void aWindowMayWrapPastMidnight() {
        WeeklyHours night = WeeklyHours.parse("Mon-Fri 22:00-06:00");
        assertTrue(night.contains(at("2026-01-05T23:00+01:00")));
        assertTrue(night.contains(at("2026-01-06T05:00+01:00")));   // Tuesday morning, Monday's night
        assertFalse(night.contains(at("2026-01-05T05:00+01:00")));  // Monday morning: Sunday had no night
        assertTrue(night.contains(at("2026-01-10T05:00+01:00")));   // Saturday morning: Friday's night
        assertEquals(at("2026-01-06T06:00+01:00"), night.nextBoundary(at("2026-01-05T23:00+01:00")));
    }

    @Test
    void boundariesFollowTheLocalClockAcrossDaylightSaving() {
        WeeklyHours work = WeeklyHours.parse("Mon-Sun 09:00-18:00");
        // 2026-03-29 02:00 CET becomes 03:00 CEST: 09:00 is still 09:00 local, an hour earlier in UTC
        assertEquals(at("2026-03-29T09:00+02:00"), work.nextBoundary(at("2026-03-28T18:00+01:00")));
    }

    @Test
    void listsAndAllDayWindowsParse() {
        WeeklyHours weekend = WeeklyHours.parse("Sat,Sun 00:00-24:00");
        assertTrue(weekend.contains(at("2026-01-11T23:59+01:00")));
        assertFalse(weekend.contains(at("2026-01-12T00:00+01:00")));
    }

    @Test
    void badTextSaysWhatIsExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> WeeklyHours.parse("Mon-Fry 09:00-18:00"));
        assertTrue(e.getMessage().contains("'Fry'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WeeklyHours.parse("weekdays"));
        assertThrows(IllegalArgumentException.class, () -> WeeklyHours.parse("Mon 25:00-26:00"));
        assertThrows(IllegalArgumentException.class, () -> WeeklyHours.parse("Mon 09:00-09:00"));
    }
}
