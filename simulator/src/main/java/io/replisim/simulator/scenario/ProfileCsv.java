package io.replisim.simulator.scenario;

import io.replisim.simulator.net.LinkCapacity;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a recorded bandwidth profile: a CSV file with a header and two columns, the time and
 * the bandwidth available from then on.
 * <pre>
 * time,bandwidth
 * 0s,50Mbps
 * 15s,48.5Mbps
 * 2026-01-05T09:00:00+01:00,12Mbps
 * </pre>
 * The time is an offset from the scenario's start ({@code 15s}, {@code 2h}) or a date-time, as
 * profilers export them: ISO-8601 with an offset or {@code Z}, or without one (then in the
 * scenario's time zone), with {@code T} or a space between date and time, seconds optional
 * ({@code 2026-01-05 09:00}); the bandwidth carries its unit. A header {@code time,mbps} takes plain
 * numbers in Mbps instead (as capacity planning tools export them). Times must increase.
 */
public final class ProfileCsv {
    private ProfileCsv() {}

    /** The profile, its times as offsets from {@code start}; times without an offset are in {@code zone}. */
    public static List<LinkCapacity.Sample> read(Path csv, OffsetDateTime start, ZoneId zone) throws ScenarioException {
        List<String> lines = TimeSeriesCsv.lines(csv, csv);
        if (lines.isEmpty()) {
            throw error(csv, 1, 1, "the file is empty: expected a header 'time,bandwidth' and rows");
        }
        String header = lines.get(0).replace("\uFEFF", "").trim().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        boolean mbps = header.equals("time,mbps");
        if (!mbps && !header.equals("time,bandwidth")) {
            throw error(csv, 1, 1, "expected the header 'time,bandwidth' (or 'time,mbps'), found '" + lines.get(0) + "'");
        }
        List<LinkCapacity.Sample> samples = new ArrayList<>();
        long previous = -1;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int lineNo = i + 1;
            String[] cells = line.split(",", -1);
            if (cells.length != 2) {
                throw error(csv, lineNo, 1, "expected 2 fields (time,bandwidth), found " + cells.length);
            }
            long offset = time(csv, lineNo, cells[0].trim(), start, zone);
            if (offset <= previous) {
                throw error(csv, lineNo, 1, "field 'time': '" + cells[0].trim() + "' is not after the previous row's time");
            }
            previous = offset;
            int column = cells[0].length() + 2;
            long bps;
            try {
                bps = mbps ? new java.math.BigDecimal(cells[1].trim()).movePointRight(6).longValueExact()
                           : Units.bandwidthBitsPerSecond(cells[1].trim());
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw error(csv, lineNo, column, "field '" + (mbps ? "mbps" : "bandwidth") + "': '" + cells[1].trim() + "' is not "
                        + (mbps ? "a number of Mbps" : "a bandwidth such as 50Mbps"));
            }
            if (bps < 0) {
                throw error(csv, lineNo, column, "field 'bandwidth': must not be negative");
            }
            samples.add(new LinkCapacity.Sample(offset, bps));
        }
        if (samples.isEmpty()) {
            throw error(csv, 2, 1, "no rows: expected at least one 'time,bandwidth' row");
        }
        return samples;
    }

    private static long time(Path csv, int line, String text, OffsetDateTime start, ZoneId zone) throws ScenarioException {
        TimeSeriesCsv.Time t;
        try {
            t = TimeSeriesCsv.time(text, start, zone);
        } catch (IllegalArgumentException e) {
            throw error(csv, line, 1, "field 'time': '" + text + "' is not " + TimeSeriesCsv.TIME_EXPECTED);
        }
        if (t.sinceStartNanos() < 0) {
            throw error(csv, line, 1, "field 'time': '" + text + "' is before the scenario's start " + start);
        }
        return t.sinceStartNanos();
    }

    private static ScenarioException error(Path csv, int line, int column, String message) {
        return TimeSeriesCsv.error(csv, line, column, message);
    }
}
