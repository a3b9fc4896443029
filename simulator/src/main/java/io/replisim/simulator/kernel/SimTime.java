package io.replisim.simulator.kernel;

import java.time.Duration;

/**
 * Virtual time helpers. Time is a {@code long} count of nanoseconds since the run's start
 * instant, never a {@code double}: equal times must compare equal and sums must be exact.
 */
public final class SimTime {

    public static final long NANOS_PER_SECOND = 1_000_000_000L;
    public static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
    public static final long NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE;
    public static final long NANOS_PER_DAY = 24 * NANOS_PER_HOUR;

    private SimTime() {
    }

    /** @throws ArithmeticException on overflow (about 292 years) */
    public static long seconds(long s) {
        return Math.multiplyExact(s, NANOS_PER_SECOND);
    }

    public static long minutes(long m) {
        return Math.multiplyExact(m, NANOS_PER_MINUTE);
    }

    public static long hours(long h) {
        return Math.multiplyExact(h, NANOS_PER_HOUR);
    }

    public static long days(long d) {
        return Math.multiplyExact(d, NANOS_PER_DAY);
    }

    /** @throws ArithmeticException if the duration does not fit in a long of nanoseconds */
    public static long of(Duration d) {
        return d.toNanos();
    }

    public static Duration toDuration(long nanos) {
        return Duration.ofNanos(nanos);
    }
}
