package io.replisim.simulator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.calendar.WeeklyHours;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityScheduleTest {
    // Monday 2026-01-05 08:00 in Amsterdam
    private static final Instant START = Instant.parse("2026-01-05T07:00:00Z");
    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

    @Test
    void theThrottleCapsWorkHoursAndTheLinkRulesTheRest() {
        LinkCapacity link = new LinkCapacity(50_000_000, List.of(), List.of(),
                new LinkCapacity.Throttle(WeeklyHours.parse("Mon-Fri 09:00-18:00"), 10_000_000L, null));
        CapacitySchedule c = new CapacitySchedule(link, START, ZONE);
        assertEquals(50_000_000, c.at(0));
        assertEquals(SimTime.hours(1), c.nextChange(0));
        assertEquals(10_000_000, c.at(SimTime.hours(1)));
        assertEquals(SimTime.hours(10), c.nextChange(SimTime.hours(1)));
        assertEquals(50_000_000, c.at(SimTime.hours(10)));
        // Friday 18:00 to Monday 09:00
        long fridayEvening = SimTime.days(4) + SimTime.hours(10);
        assertEquals(SimTime.days(7) + SimTime.hours(1), c.nextChange(fridayEvening));
    }

    @Test
    void aReplayedProfileStepsAtItsSamplesAndAScheduleOverridesIt() {
        LinkCapacity link = new LinkCapacity(0,
                List.of(new LinkCapacity.Sample(0, 20_000_000), new LinkCapacity.Sample(SimTime.minutes(30), 5_000_000)),
                List.of(new LinkCapacity.Window(WeeklyHours.parse("Mon 12:00-13:00"), 1_000_000)), null);
        CapacitySchedule c = new CapacitySchedule(link, START, ZONE);
        assertEquals(20_000_000, c.at(SimTime.minutes(29)));
        assertEquals(SimTime.minutes(30), c.nextChange(0));
        assertEquals(5_000_000, c.at(SimTime.minutes(30)));
        assertEquals(SimTime.hours(4), c.nextChange(SimTime.minutes(30)));
        assertEquals(1_000_000, c.at(SimTime.hours(4)));
        assertEquals(5_000_000, c.at(SimTime.hours(5)));
    }
    @Test
    void aConstantLinkOffersItsCapacityAlwaysAndNeverChanges() {
        CapacitySchedule c = new CapacitySchedule(LinkCapacity.constant(20_000_000), START, ZONE);
        assertEquals(20_000_000, c.at(0));
        assertEquals(20_000_000, c.at(SimTime.days(3)));
        assertEquals(Long.MAX_VALUE, c.nextChange(0));
    }
}
