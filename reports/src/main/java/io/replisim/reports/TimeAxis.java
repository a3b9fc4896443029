package io.replisim.reports;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Time-axis ticks on the scenario's wall clock: whole minutes, hours or days in its zone, so a
 * work-hours throttle at 09:00 falls on a tick. Time is ns from the run's start.
 */
final class TimeAxis {
    private static final long[] STEPS_SECONDS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
            21600, 43200, 86400, 172800, 604800, 1209600, 2419200};
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ROOT);
    static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("EEE d MMM HH:mm:ss", Locale.ROOT);

    /** A tick at {@code time}: its clock label and, where the day changes, the day. */
    record Tick(long time, String label, String day) {}

    private final Instant start;
    private final ZoneId zone;

    TimeAxis(Instant start, ZoneId zone) {
        this.start = start;
        this.zone = zone;
    }

    ZoneId zone() {
        return zone;
    }

    /** The wall-clock time at {@code time}. */
    ZonedDateTime at(long time) {
        return start.plusNanos(time).atZone(zone);
    }

    /** For tooltips: {@code Mon 5 Jan 08:01:26}. */
    String label(long time) {
        return FULL.format(at(time));
    }

    /** At most about {@code maxTicks} ticks in [from, to]. */
    List<Tick> ticks(long from, long to, int maxTicks) {
        long span = Math.max(1, to - from);
        long step = STEPS_SECONDS[STEPS_SECONDS.length - 1];
        for (long s : STEPS_SECONDS) {
            if (span / (s * 1_000_000_000L) <= maxTicks) {
                step = s;
                break;
            }
        }
        List<Tick> ticks = new ArrayList<>();
        LocalDate previousDay = null;
        for (ZonedDateTime z : candidates(from, to, step)) {
            long t = Duration.between(start, z.toInstant()).toNanos();
            if (t < from || t > to || (!ticks.isEmpty() && ticks.get(ticks.size() - 1).time() >= t)) {
                continue;
            }
            LocalDate day = z.toLocalDate();
            String dayLabel = day.equals(previousDay) ? null : DAY.format(z);
            previousDay = day;
            String clock = step >= 86400 ? "" : (step < 60 ? HMS : HM).format(z);
            ticks.add(new Tick(t, clock, dayLabel));
        }
        return ticks;
    }

    private List<ZonedDateTime> candidates(long from, long to, long step) {
        List<ZonedDateTime> out = new ArrayList<>();
        ZonedDateTime first = at(from);
        ZonedDateTime last = at(to);
        if (step >= 86400) {
            long days = step / 86400;
            LocalDate d = first.toLocalDate();
            if (days >= 7) {
                d = d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            }
            for (; !d.atStartOfDay(zone).isAfter(last); d = d.plusDays(days)) {
                out.add(d.atStartOfDay(zone));
            }
            return out;
        }
        // steps below a day divide it: count them from the local midnight
        LocalDateTime t = first.toLocalDate().atStartOfDay();
        LocalDateTime end = last.toLocalDateTime().plusSeconds(step);
        LocalDateTime begin = first.toLocalDateTime().minusSeconds(step);
        if (t.isBefore(begin)) {
            long skip = Duration.between(t, begin).getSeconds() / step;
            t = t.plusSeconds(skip * step);
        }
        for (; !t.isAfter(end); t = t.plusSeconds(step)) {
            out.add(t.atZone(zone));
        }
        return out;
    }
}
