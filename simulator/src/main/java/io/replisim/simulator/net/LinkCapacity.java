package io.replisim.simulator.net;

import io.replisim.simulator.calendar.WeeklyHours;
import java.util.List;

/**
 * What an uplink offers over time, as configured: a constant {@code bitsPerSecond}, or a
 * replayed {@code profile} (each sample holds from its offset on; before the first, the first
 * holds); weekly {@code windows} of another capacity; and the agent's {@code throttle}.
 */
public record LinkCapacity(long bitsPerSecond, List<Sample> profile, List<Window> windows, Throttle throttle) {
    public LinkCapacity {
        profile = List.copyOf(profile);
        windows = List.copyOf(windows);
    }

    /** A constant link. */
    public static LinkCapacity constant(long bitsPerSecond) {
        return new LinkCapacity(bitsPerSecond, List.of(), List.of(), null);
    }

    /** From {@code offsetNanos} on (since the run's start), the link offers {@code bitsPerSecond}. */
    public record Sample(long offsetNanos, long bitsPerSecond) {}

    /** Within {@code hours} the link offers {@code bitsPerSecond} instead (a busy shared link, say). */
    public record Window(WeeklyHours hours, long bitsPerSecond) {}

    /**
     * The Recovery Services agent's throttle: at most {@code workHoursBitsPerSecond} within
     * {@code workHours} and {@code offHoursBitsPerSecond} outside; null for no cap.
     */
    public record Throttle(WeeklyHours workHours, Long workHoursBitsPerSecond, Long offHoursBitsPerSecond) {}
}
