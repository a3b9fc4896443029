package io.replisim.simulator.net;

import io.replisim.simulator.calendar.WeeklyHours;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * What an uplink can carry over time: the link's own capacity (constant, or a replayed
 * profile, with weekly busy windows) capped by the agent's work-hours / off-hours throttle.
 * Piecewise constant; {@link #nextChange} tells when to look again, so the uplink is recomputed
 * only at those instants.
 */
public final class CapacitySchedule {
    private final LinkCapacity link;
    private final Instant start;
    private final ZoneId zone;

    public CapacitySchedule(LinkCapacity link, Instant start, ZoneId zone) {
        this.link = link;
        this.start = start;
        this.zone = zone;
    }

    /** Bits per second available to the agent at {@code t} (nanoseconds from the start). */
    public long at(long t) {
        ZonedDateTime local = local(t);
        long bps = base(t);
        for (LinkCapacity.Window w : link.windows()) {
            if (w.hours().contains(local)) {
                bps = w.bitsPerSecond();
                break;
            }
        }
        LinkCapacity.Throttle throttle = link.throttle();
        if (throttle != null) {
            Long cap = throttle.workHours().contains(local) ? throttle.workHoursBitsPerSecond() : throttle.offHoursBitsPerSecond();
            if (cap != null) {
                bps = Math.min(bps, cap);
            }
        }
        return bps;
    }

    /** The first instant after {@code t} at which {@link #at} may change, or {@code Long.MAX_VALUE}. */
    public long nextChange(long t) {
        long next = Long.MAX_VALUE;
        for (LinkCapacity.Sample s : link.profile()) {
            if (s.offsetNanos() > t) {
                next = s.offsetNanos();
                break;
            }
        }
        ZonedDateTime local = local(t);
        for (LinkCapacity.Window w : link.windows()) {
            next = Math.min(next, boundary(w.hours(), local));
        }
        if (link.throttle() != null) {
            next = Math.min(next, boundary(link.throttle().workHours(), local));
        }
        return next;
    }

    private long base(long t) {
        List<LinkCapacity.Sample> samples = link.profile();
        if (samples.isEmpty()) {
            return link.bitsPerSecond();
        }
        long value = samples.get(0).bitsPerSecond(); // before the first row, its value holds
        for (LinkCapacity.Sample s : samples) {
            if (s.offsetNanos() > t) {
                break;
            }
            value = s.bitsPerSecond();
        }
        return value;
    }

    private long boundary(WeeklyHours hours, ZonedDateTime local) {
        ZonedDateTime b = hours.nextBoundary(local);
        return b == null ? Long.MAX_VALUE : Duration.between(start, b.toInstant()).toNanos();
    }

    private ZonedDateTime local(long t) {
        return start.plusNanos(t).atZone(zone);
    }
}
