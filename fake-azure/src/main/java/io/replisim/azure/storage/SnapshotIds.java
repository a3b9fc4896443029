package io.replisim.azure.storage;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Snapshot ids as the Blob service makes them: the snapshot's time as a DateTime with seven
 * fractional digits ({@code 2026-01-05T08:00:00.0000000Z}), so ids sort chronologically.
 */
public final class SnapshotIds {

    /** Snapshot times have 100 ns resolution (.NET ticks). */
    public static final long TICK_NANOS = 100;

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private SnapshotIds() {
    }

    /** The id for a snapshot taken at {@code time} (truncated to 100 ns). */
    public static String format(Instant time) {
        Instant t = truncate(time);
        if (t.getEpochSecond() < 0 || t.getEpochSecond() >= YEAR_10000) {
            return FORMAT.format(t);
        }
        // what FORMAT writes, without its cost: a fleet makes a snapshot a disk every few minutes
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        int[] values = {d.getYear(), d.getMonthValue(), d.getDayOfMonth(), d.getHour(), d.getMinute(), d.getSecond(),
            t.getNano() / (int) TICK_NANOS};
        char[] c = new char[LENGTH];
        int at = 0;
        for (int i = 0; i < WIDTHS.length; i++) {
            digits(c, at, values[i], WIDTHS[i]);
            at += WIDTHS[i];
            c[at++] = AFTER.charAt(i);
        }
        return new String(c);
    }

    /** An id's fields (year, month, day, hour, minute, second, ticks), their widths and what follows each. */
    private static final int[] WIDTHS = {4, 2, 2, 2, 2, 2, 7};
    private static final String AFTER = "--T::.Z";
    private static final int LENGTH = 28;

    private static final long YEAR_10000 = 253402300800L;

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The time a snapshot id names; {@code InvalidQueryParameterValue} if it is not a DateTime. */
    public static Instant parse(String snapshot) {
        Instant fast = snapshot == null ? null : parseOwn(snapshot);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(snapshot);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new BlobStorageException(BlobErrorCode.INVALID_QUERY_PARAMETER_VALUE,
                    "Value for one of the query parameters specified in the request URI is invalid: snapshot="
                            + snapshot);
        }
    }

    /** An id in the shape {@link #format} writes, read directly; null for any other text (left to Instant.parse). */
    private static Instant parseOwn(String s) {
        if (s.length() != LENGTH) {
            return null;
        }
        int[] v = new int[WIDTHS.length];
        int at = 0;
        for (int i = 0; i < WIDTHS.length; i++) {
            v[i] = number(s, at, WIDTHS[i]);
            at += WIDTHS[i];
            if (v[i] < 0 || s.charAt(at++) != AFTER.charAt(i)) {
                return null;
            }
        }
        if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > java.time.YearMonth.of(v[0], v[1]).lengthOfMonth() || v[3] > 23
                || v[4] > 59 || v[5] > 59) {
            return null;
        }
        long epochSecond = LocalDateTime.of(v[0], v[1], v[2], v[3], v[4], v[5]).toEpochSecond(ZoneOffset.UTC);
        return Instant.ofEpochSecond(epochSecond, v[6] * TICK_NANOS);
    }

    /** The decimal number in s[at, at + width), or -1 if a character is not a digit. */
    private static int number(String s, int at, int width) {
        int v = 0;
        for (int i = at; i < at + width; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    static Instant truncate(Instant time) {
        return time.minusNanos(time.getNano() % TICK_NANOS);
    }
}
