package io.replisim.simulator.hunt;

import io.replisim.simulator.calendar.WeeklyHours;
import io.replisim.simulator.scenario.FaultSpec;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.Site;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * What a site's agent may send over its uplink, worked out from the scenario alone
 * (scenarios/README.md, {@code site.uplink} and {@code faults}) for {@link UplinkWithinCapacity}:
 * the link's {@code bandwidth} or its profile (each row from its offset on, the first before it),
 * replaced within the first {@code schedule} window that applies, capped by the agent's
 * {@code throttle} (work-hours or off-hours rate, in the scenario's time zone), and 0 while a
 * {@code network-outage} of the site lasts. It reads the scenario's parsed values (a window's days
 * and times, the profile's rows) but none of the stack's code that interprets them.
 *
 * <p>Piecewise constant: {@link #bitsPerSecond(long)} holds from each breakpoint to the next.
 * Times are nanoseconds since the epoch, as {@link TraceLine#t()} gives them.
 */
final class ScenarioCapacity {
    private static final long NANOS = 1_000_000_000L;

    /** Breakpoints, increasing; the value at {@code at[k]} holds until {@code at[k + 1]}. */
    private final long[] at;
    private final long[] bps;
    /** Bits the link could carry from the first breakpoint to {@code at[k]}. */
    private final double[] cumulative;

    private ScenarioCapacity(long[] at, long[] bps) {
        this.at = at;
        this.bps = bps;
        this.cumulative = new double[at.length];
        for (int k = 1; k < at.length; k++) {
            cumulative[k] = cumulative[k - 1] + bps[k - 1] * ((at[k] - at[k - 1]) / (double) NANOS);
        }
    }

    /** The capacity of {@code site} of {@code scenario} from its start to {@code end} (epoch nanoseconds). */
    static ScenarioCapacity of(Scenario scenario, Site site, long end) {
        long start = epochNanos(scenario.start().toInstant());
        end = Math.max(end, start) + NANOS;
        ZoneId zone = scenario.effectiveZone();
        Site.Uplink uplink = site.uplink();
        List<WeeklyHours> windows = new ArrayList<>();
        uplink.schedule().forEach(w -> windows.add(w.hours()));
        if (uplink.throttle() != null && uplink.throttle().workHours() != null) {
            windows.add(uplink.throttle().workHours());
        }
        long[][] outages = outages(scenario, site, start);

        TreeSet<Long> points = new TreeSet<>();
        points.add(start);
        for (var row : uplink.samples()) {
            points.add(start + row.offsetNanos());
        }
        for (long[] o : outages) {
            points.add(o[0]);
            points.add(o[1]);
        }
        LocalDate first = Instant.ofEpochSecond(start / NANOS).atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = Instant.ofEpochSecond(end / NANOS).atZone(zone).toLocalDate().plusDays(1);
        for (WeeklyHours w : windows) {
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                addLocal(points, d.atTime(w.from()), zone);
                addLocal(points, w.untilMidnight() ? d.plusDays(1).atStartOfDay() : d.atTime(w.to()), zone);
            }
        }
        // a window's edge inside a daylight saving gap takes effect at the jump itself
        Instant from = Instant.ofEpochSecond(start / NANOS);
        for (ZoneOffsetTransition tr = zone.getRules().nextTransition(from); tr != null
                && epochNanos(tr.getInstant()) < end; tr = zone.getRules().nextTransition(tr.getInstant())) {
            points.add(epochNanos(tr.getInstant()));
        }
        long[] at = points.subSet(start, true, end, true).stream().mapToLong(Long::longValue).toArray();
        long[] rowAt = uplink.samples().stream().mapToLong(r -> start + r.offsetNanos()).toArray();
        long[] bps = new long[at.length];
        for (int k = 0; k < at.length; k++) {
            bps[k] = valueAt(at[k], rowAt, zone, uplink, outages);
        }
        return new ScenarioCapacity(at, bps);
    }

    private static void addLocal(TreeSet<Long> points, LocalDateTime local, ZoneId zone) {
        ZonedDateTime z = ZonedDateTime.ofLocal(local, zone, null);
        points.add(epochNanos(z.toInstant()));
        points.add(epochNanos(z.withLaterOffsetAtOverlap().toInstant()));
    }

    /** The site's outages as [from, to) in epoch nanoseconds; one that never clears lasts forever. */
    private static long[][] outages(Scenario scenario, Site site, long start) {
        List<long[]> out = new ArrayList<>();
        for (FaultSpec f : scenario.faults()) {
            if (!"network-outage".equals(f.kind()) || f.site() != null && !f.site().equals(site.effectiveName())) {
                continue;
            }
            long from = start + f.at().toNanos();
            out.add(new long[] {from, f.lasting() == null ? Long.MAX_VALUE : from + f.lasting().toNanos()});
        }
        return out.toArray(long[][]::new);
    }

    /** The capacity from {@code t} on; {@code rowAt} holds when each profile row starts, increasing. */
    private static long valueAt(long t, long[] rowAt, ZoneId zone, Site.Uplink uplink, long[][] outages) {
        for (long[] o : outages) {
            if (t >= o[0] && t < o[1]) {
                return 0;
            }
        }
        long value = uplink.bandwidth() == null ? 0 : uplink.bandwidth().bitsPerSecond();
        if (rowAt.length > 0) {
            int row = Arrays.binarySearch(rowAt, t);
            row = row >= 0 ? row : Math.max(0, -row - 2); // before the first row, the first holds
            value = uplink.samples().get(row).bitsPerSecond();
        }
        ZonedDateTime local = Instant.ofEpochSecond(Math.floorDiv(t, NANOS), Math.floorMod(t, NANOS)).atZone(zone);
        for (Site.ScheduledBandwidth w : uplink.schedule()) {
            if (inside(w.hours(), local)) {
                value = w.bandwidth().bitsPerSecond();
                break;
            }
        }
        Site.Throttle throttle = uplink.throttle();
        if (throttle != null && throttle.workHours() != null) {
            var cap = inside(throttle.workHours(), local) ? throttle.workHoursBandwidth() : throttle.offHoursBandwidth();
            if (cap != null) {
                value = Math.min(value, cap.bitsPerSecond());
            }
        }
        return value;
    }

    /**
     * Whether local time {@code t} is within weekly hours: on one of its days from {@code from} to
     * {@code to}; a window ending before it starts runs past midnight into the next day.
     */
    static boolean inside(WeeklyHours w, ZonedDateTime t) {
        LocalTime time = t.toLocalTime();
        DayOfWeek day = t.getDayOfWeek();
        if (w.untilMidnight()) {
            return w.days().contains(day) && time.compareTo(w.from()) >= 0;
        }
        if (w.from().isBefore(w.to())) {
            return w.days().contains(day) && time.compareTo(w.from()) >= 0 && time.isBefore(w.to());
        }
        return w.days().contains(day) && time.compareTo(w.from()) >= 0
                || w.days().contains(day.minus(1)) && time.isBefore(w.to());
    }

    static long epochNanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), NANOS), i.getNano());
    }

    private int index(long t) {
        int k = Arrays.binarySearch(at, t);
        return k >= 0 ? k : Math.max(0, -k - 2);
    }

    /** The capacity from {@code t} on (until the next breakpoint), bits per second. */
    long bitsPerSecond(long t) {
        return bps[index(t)];
    }

    /** Bits the link could carry from its first breakpoint to {@code t}. */
    double bitsUntil(long t) {
        int k = index(t);
        return cumulative[k] + bps[k] * (Math.max(0, t - at[k]) / (double) NANOS);
    }

    /** The first breakpoint after {@code t}, or Long.MAX_VALUE. */
    long nextBreakpoint(long t) {
        int k = Arrays.binarySearch(at, t);
        int next = k >= 0 ? k + 1 : -k - 1;
        return next < at.length ? at[next] : Long.MAX_VALUE;
    }

    /** The instants at which the capacity changes value, with the new value: {at, bitsPerSecond}. */
    List<long[]> changes() {
        List<long[]> out = new ArrayList<>();
        for (int k = 0; k < at.length; k++) {
            if (k == 0 || bps[k] != bps[k - 1]) {
                out.add(new long[] {at[k], bps[k]});
            }
        }
        return out;
    }
}
