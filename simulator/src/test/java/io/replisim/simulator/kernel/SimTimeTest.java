package io.replisim.simulator.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimTimeTest {

    @Test
    void unitsConvertToNanoseconds() {
        assertEquals(3_000_000_000L, SimTime.seconds(3));
        assertEquals(120 * SimTime.NANOS_PER_SECOND, SimTime.minutes(2));
        assertEquals(SimTime.NANOS_PER_HOUR, SimTime.hours(1));
        assertEquals(86_400_000_000_000L, SimTime.days(1));
        assertEquals(SimTime.NANOS_PER_DAY, 24 * SimTime.NANOS_PER_HOUR);
        assertEquals(SimTime.NANOS_PER_MINUTE, 60 * SimTime.NANOS_PER_SECOND);
    }

    @Test
    void durationsConvertBothWays() {
        Duration d = Duration.ofHours(25).plusNanos(7);
        assertEquals(SimTime.hours(25) + 7, SimTime.of(d));
        assertEquals(d, SimTime.toDuration(SimTime.of(d)));
        assertEquals(Duration.ofMillis(-1), SimTime.toDuration(-1_000_000));
    }

    @Test
    void overflowIsAnErrorNotAWrapAround() {
        assertThrows(ArithmeticException.class, () -> SimTime.of(Duration.ofDays(365L * 300)));
        assertThrows(ArithmeticException.class, () -> SimTime.days(365L * 300));
        assertThrows(ArithmeticException.class, () -> SimTime.seconds(Long.MIN_VALUE));
    }
}
