package io.replisim.simulator.net;

import io.replisim.simulator.scenario.Site;
import io.replisim.simulator.scenario.WeeklyHours;
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
    private final Site.Uplink uplink;
    private final Instant start;
    private final ZoneId zone;

    public CapacitySchedule(Site.Uplink uplink, Instant start, ZoneId zone) {
        this.uplink = uplink;
        this.start = start;
        this.zone = zone;
    }

    /** Bits per second available to the agent at {@code t} (nanoseconds from the start). */
    public long at(long t) {
        ZonedDateTime local = local(t);
        long link = base(t);
        for (Site.ScheduledBandwidth s : uplink.schedule()) {
            if (s.hours().contains(local)) {
                link = s.bandwidth().bitsPerSecond();
                break;
            }
        }
        Site.Throttle throttle = uplink.throttle();
        if (throttle != null) {
            var cap = throttle.workHours().contains(local) ? throttle.workHoursBandwidth() : throttle.offHoursBandwidth();
            if (cap != null) {
                link = Math.min(link, cap.bitsPerSecond());
            }
        }
        return link;
    }

    /** The first instant after {@code t} at which {@link #at} may change, or {@code Long.MAX_VALUE}. */
    public long nextChange(long t) {
        long next = Long.MAX_VALUE;
        for (Site.ProfileSample s : uplink.samples()) {
            if (s.offsetNanos() > t) {
                next = s.offsetNanos();
                break;
            }
        }
        ZonedDateTime local = local(t);
        for (Site.ScheduledBandwidth s : uplink.schedule()) {
            next = Math.min(next, boundary(s.hours(), local));
        }
        if (uplink.throttle() != null) {
            next = Math.min(next, boundary(uplink.throttle().workHours(), local));
        }
        return next;
    }

    private long base(long t) {
        List<Site.ProfileSample> samples = uplink.samples();
        if (samples.isEmpty()) {
            return uplink.bandwidth().bitsPerSecond();
        }
        long value = samples.get(0).bitsPerSecond(); // before the first row, its value holds
        for (Site.ProfileSample s : samples) {
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
