package io.replisim.simulator.scenario;

import io.replisim.hyperv.WorkloadSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a disk's recorded churn (a profiler's export): a CSV file with a header and two columns,
 * the time and the write rate from then on.
 * <pre>
 * timestamp,MBps
 * 2025-11-03 00:00,0.8
 * 2025-11-03 00:15,1.25
 * 2025-11-03 00:30,4
 * </pre>
 * The first column is {@code time} or {@code timestamp}; the second {@code MBps}, {@code MB/s} or
 * {@code churn}, plain numbers in megabytes a second (10^6 bytes, as Azure Site Recovery's
 * Deployment Planner and profilers export churn), or {@code rate}, rates with their units as a
 * scenario writes them ({@code 2MB/s}, {@code 512KiB/s}). Headers in any case; spaces around
 * cells, a byte order mark, blank lines and lines starting with {@code #} are ignored. A time is
 * an offset from the scenario's start or a date-time, read as {@link TimeSeriesCsv} reads them;
 * all of one kind, increasing. Rates are at least 0 and at most 1GiB/s.
 *
 * <p>Replay: date-times are moved by a whole number of weeks (of 7 x 24 hours) so that the first
 * falls within the 7 days up to the scenario's start, its weekday and time of day kept (a
 * recording in summer time replayed in winter moves an hour on the wall clock); offsets are used
 * as they are. Each rate holds until the next row's time; the last row's for as long as the
 * interval before it (an hour when there is one row). Then the series starts again: it loops with
 * a period of the last time minus the first plus that last interval, from its first row, and
 * before the first row the loop's end applies.
 */
public final class ChurnCsv {
    private ChurnCsv() {}

    private static final long HOUR = 3_600_000_000_000L;
    private static final long WEEK = 7 * 24 * HOUR;
    private static final Set<String> TIMES = Set.of("time", "timestamp");
    private static final Set<String> PLAIN = Set.of("mbps", "mb/s", "churn");
    private static final String HEADER_EXPECTED = "a header 'time,MBps': the time (time or timestamp), then the churn in"
            + " MB/s (MBps, MB/s or churn) or with units (rate)";

    /**
     * A row, replayed.
     *
     * @param offsetNanos    since the scenario's start (negative before it, after the week shift)
     * @param bytesPerSecond the rate from then on
     */
    public record Sample(long offsetNanos, long bytesPerSecond) {}

    /**
     * A replayed churn profile: its samples, increasing, and the loop's period (longer than the
     * samples' span: the last sample holds for the period's rest).
     */
    public record Series(List<Sample> samples, long periodNanos) {
        public Series {
            samples = List.copyOf(samples);
            if (samples.isEmpty() || periodNanos <= samples.get(samples.size() - 1).offsetNanos() - samples.get(0).offsetNanos()) {
                throw new IllegalArgumentException("a churn series needs a sample and a period longer than its span");
            }
        }

        /** The series on the workload's clock: its times from {@code start}. */
        public WorkloadSpec.RateSeries rateSeries(OffsetDateTime start) {
            long origin = Math.addExact(Math.multiplyExact(start.toEpochSecond(), 1_000_000_000L), start.getNano());
            long[] times = new long[samples.size()];
            long[] rates = new long[samples.size()];
            for (int i = 0; i < times.length; i++) {
                times[i] = origin + samples.get(i).offsetNanos();
                rates[i] = samples.get(i).bytesPerSecond();
            }
            return new WorkloadSpec.RateSeries(times, rates, periodNanos);
        }
    }

    /**
     * The churn profile {@code csv}, replayed from {@code start}; times without an offset are in
     * {@code zone}. A problem names the file {@code shown}, its line and column and the column's name.
     */
    public static Series read(Path csv, Path shown, OffsetDateTime start, ZoneId zone) throws ScenarioException {
        List<String> lines = TimeSeriesCsv.lines(csv, shown);
        int header = 0;
        while (header < lines.size() && skipped(lines.get(header))) {
            header++;
        }
        if (header == lines.size()) {
            throw TimeSeriesCsv.error(shown, 1, 1, "the file is empty: expected " + HEADER_EXPECTED + ", and rows");
        }
        String[] names = lines.get(header).replace("\uFEFF", "").split(",", -1);
        for (int i = 0; i < names.length; i++) {
            names[i] = names[i].trim();
        }
        if (names.length != 2 || !TIMES.contains(names[0].toLowerCase(Locale.ROOT))) {
            throw TimeSeriesCsv.error(shown, header + 1, 1, "expected " + HEADER_EXPECTED + ", found '" + lines.get(header) + "'");
        }
        String kind = names[1].toLowerCase(Locale.ROOT);
        if (!PLAIN.contains(kind) && !kind.equals("rate")) {
            throw TimeSeriesCsv.error(shown, header + 1, lines.get(header).indexOf(',') + 2, "unknown column '" + names[1]
                    + "'; expected MBps, MB/s or churn (plain numbers of MB/s) or rate (with units)");
        }
        boolean plain = PLAIN.contains(kind);
        List<long[]> rows = new ArrayList<>(); // {since the start, bytes a second}
        boolean dateTimes = false;
        for (int i = header + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (skipped(line)) {
                continue;
            }
            int lineNo = i + 1;
            String[] cells = line.split(",", -1);
            if (cells.length != 2) {
                throw TimeSeriesCsv.error(shown, lineNo, 1, "expected 2 fields (" + names[0] + "," + names[1] + "), found "
                        + cells.length);
            }
            String text = cells[0].trim();
            TimeSeriesCsv.Time t;
            try {
                t = TimeSeriesCsv.time(text, start, zone);
            } catch (IllegalArgumentException e) {
                throw TimeSeriesCsv.error(shown, lineNo, 1, field(names[0]) + "'" + text + "' is not " + TimeSeriesCsv.TIME_EXPECTED);
            }
            if (rows.isEmpty()) {
                dateTimes = t.dateTime();
            } else if (t.dateTime() != dateTimes) {
                throw TimeSeriesCsv.error(shown, lineNo, 1, field(names[0]) + "'" + text + "' is " + (dateTimes
                        ? "an offset, but the first row's time is a date-time" : "a date-time, but the first row's time is an offset")
                        + ": give every time the same way");
            } else if (t.sinceStartNanos() <= rows.get(rows.size() - 1)[0]) {
                throw TimeSeriesCsv.error(shown, lineNo, 1, field(names[0]) + "'" + text + "' is not after the previous row's time");
            }
            rows.add(new long[] {t.sinceStartNanos(), rate(shown, lineNo, cells[0].length() + 2, names[1], plain, cells[1].trim())});
        }
        if (rows.isEmpty()) {
            throw TimeSeriesCsv.error(shown, header + 2, 1, "no rows: expected at least one '" + names[0] + "," + names[1] + "' row");
        }
        long first = rows.get(0)[0];
        long shift = dateTimes ? -Math.floorMod(-first, WEEK) - first : 0;
        long last = rows.get(rows.size() - 1)[0];
        long lastInterval = rows.size() > 1 ? last - rows.get(rows.size() - 2)[0] : HOUR;
        List<Sample> samples = new ArrayList<>(rows.size());
        for (long[] row : rows) {
            samples.add(new Sample(row[0] + shift, row[1]));
        }
        return new Series(samples, last - first + lastInterval);
    }

    /** A rate cell: a plain number of MB/s, or a rate with its unit. */
    private static long rate(Path shown, int line, int column, String name, boolean plain, String text) throws ScenarioException {
        long rate;
        try {
            rate = plain ? new BigDecimal(text).movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact()
                    : Units.rateBytesPerSecond(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw TimeSeriesCsv.error(shown, line, column, field(name) + "'" + text + "' is not "
                    + (plain ? "a number of MB/s (10^6 bytes a second) such as 2.5" : Units.RATE_EXPECTED));
        }
        if (rate < 0) {
            throw TimeSeriesCsv.error(shown, line, column, field(name) + "'" + text + "' is negative: expected 0 or more");
        }
        if (rate > WorkloadSpec.MAX_CHURN_BYTES_PER_SECOND) {
            throw TimeSeriesCsv.error(shown, line, column, field(name) + "'" + text + "' is above the highest churn, "
                    + Units.formatSize(WorkloadSpec.MAX_CHURN_BYTES_PER_SECOND) + "/s");
        }
        return rate;
    }

    private static String field(String name) {
        return "field '" + name + "': ";
    }

    private static boolean skipped(String line) {
        String s = line.replace("\uFEFF", "").trim();
        return s.isEmpty() || s.startsWith("#");
    }
}
