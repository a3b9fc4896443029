package io.replisim.simulator.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/**
 * What the CSV files of recorded series ({@link ProfileCsv}'s bandwidth, {@link ChurnCsv}'s
 * churn) share: reading their lines, and their times, each an offset from the scenario's start
 * ({@code 15s}, {@code 2h}) or a date-time as profilers export them: ISO-8601 with an offset or
 * {@code Z}, or without one (then in the scenario's time zone), with {@code T} or a space between
 * date and time, seconds optional ({@code 2026-01-05 09:00}).
 */
final class TimeSeriesCsv {
    private TimeSeriesCsv() {}

    /** What a time cell may be, after "is not". */
    static final String TIME_EXPECTED = "an offset such as 15s or 2h, nor a date-time such as"
            + " 2026-01-05T09:00:00+01:00 or 2026-01-05 09:00 (in the scenario's time zone)";

    /** A date and a time, {@code T} or a space between, seconds and fractions optional, then an offset, {@code Z} or nothing. */
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd().append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffsetId().optionalEnd().toFormatter(Locale.ROOT);

    /**
     * A time of a row.
     *
     * @param sinceStartNanos nanoseconds since the scenario's start; negative for a date-time before it
     * @param dateTime        whether the cell was a date-time (not an offset)
     */
    record Time(long sinceStartNanos, boolean dateTime) {}

    /** The file's lines; a file that cannot be read is a problem named {@code shown}. */
    static List<String> lines(Path csv, Path shown) throws ScenarioException {
        try {
            return Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw error(shown, 0, 0, "file not found");
        } catch (IOException e) {
            throw error(shown, 0, 0, "cannot read the file: " + e.getMessage());
        }
    }

    /**
     * A time cell: an offset from {@code start}, or a date-time (in {@code zone} without an offset).
     *
     * @throws IllegalArgumentException if it is neither ({@link #TIME_EXPECTED})
     */
    static Time time(String text, OffsetDateTime start, ZoneId zone) {
        try {
            if (text.length() >= 10 && Character.isDigit(text.charAt(0)) && text.charAt(4) == '-') {
                TemporalAccessor t = DATE_TIME.parse(text);
                LocalDateTime local = LocalDateTime.from(t);
                Instant at = t.isSupported(ChronoField.OFFSET_SECONDS)
                        ? local.toInstant(ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)))
                        : local.atZone(zone).toInstant();
                return new Time(Duration.between(start.toInstant(), at).toNanos(), true);
            }
            return new Time(Units.durationNanos(text), false);
        } catch (DateTimeException | ArithmeticException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + TIME_EXPECTED, e);
        }
    }

    static ScenarioException error(Path file, int line, int column, String message) {
        return new ScenarioException(List.of(new ScenarioError(file, line, column, "", message)));
    }
}
