package io.replisim.simulator.calendar;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A weekly window of local time, written {@code "Mon-Fri 09:00-18:00"} (or {@code "Sat,Sun
 * 00:00-24:00"}): work hours for the agent's throttle, busy hours of a link. The window of a
 * day runs from {@code from} (inclusive) to {@code to} (exclusive); {@code to} before
 * {@code from} wraps past midnight into the next day.
 */
public record WeeklyHours(Set<DayOfWeek> days, LocalTime from, LocalTime to, boolean untilMidnight) {
    public static final String EXPECTED = "weekly hours such as \"Mon-Fri 09:00-18:00\" or \"Sat,Sun 00:00-24:00\"";
    private static final Pattern FORMAT = Pattern.compile(
            "\\s*([A-Za-z]{3}(?:\\s*[-,]\\s*[A-Za-z]{3})*)\\s+(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})\\s*");

    public WeeklyHours {
        days = Set.copyOf(days);
    }

    public static WeeklyHours parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not " + EXPECTED);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : m.group(1).split(",")) {
            String[] range = part.trim().split("\\s*-\\s*");
            DayOfWeek first = day(range[0], text);
            DayOfWeek last = range.length > 1 ? day(range[1], text) : first;
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        LocalTime from = time(m.group(2), text);
        boolean untilMidnight = m.group(3).equals("24:00");
        LocalTime to = untilMidnight ? LocalTime.MIDNIGHT : time(m.group(3), text);
        if (!untilMidnight && from.equals(to)) {
            throw new IllegalArgumentException("'" + text + "' is an empty window: expected " + EXPECTED);
        }
        return new WeeklyHours(days, from, to, untilMidnight);
    }

    /** Whether {@code t} (local time in the scenario's zone) falls in the window. */
    public boolean contains(ZonedDateTime t) {
        LocalTime time = t.toLocalTime();
        if (untilMidnight || to.isAfter(from)) {
            return days.contains(t.getDayOfWeek()) && !time.isBefore(from) && (untilMidnight || time.isBefore(to));
        }
        // wraps midnight: the evening part belongs to its day, the morning part to the day before
        return (days.contains(t.getDayOfWeek()) && !time.isBefore(from))
                || (days.contains(t.getDayOfWeek().minus(1)) && time.isBefore(to));
    }

    /** The first instant strictly after {@code t} at which {@link #contains} changes. */
    public ZonedDateTime nextBoundary(ZonedDateTime t) {
        boolean inside = contains(t);
        ZonedDateTime best = null;
        // every boundary is a 'from' or 'to' on one of the next 8 days
        for (int d = 0; d <= 8 && best == null; d++) {
            for (LocalTime lt : new LocalTime[] {from, to}) {
                ZonedDateTime candidate = t.toLocalDate().plusDays(d).atTime(lt).atZone(t.getZone());
                if (candidate.isAfter(t) && contains(candidate) != inside
                        && (best == null || candidate.isBefore(best))) {
                    best = candidate;
                }
            }
        }
        return best;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (DayOfWeek d : DayOfWeek.values()) {
            if (days.contains(d)) {
                sb.append(sb.length() == 0 ? "" : ",").append(d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
            }
        }
        return sb + " " + from + "-" + (untilMidnight ? "24:00" : to.toString());
    }

    private static DayOfWeek day(String name, String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(name.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + name.trim() + "' in '" + text + "' is not a day (Mon, Tue, ... Sun): expected " + EXPECTED);
    }

    private static LocalTime time(String hhmm, String text) {
        try {
            return LocalTime.parse(hhmm.length() == 4 ? "0" + hhmm : hhmm);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + hhmm + "' in '" + text + "' is not a time of day: expected " + EXPECTED);
        }
    }
}
