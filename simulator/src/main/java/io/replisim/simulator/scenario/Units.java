package io.replisim.simulator.scenario;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human units scenario files use: durations ({@code 30s}, {@code 5m}, {@code 2h},
 * {@code 2d}, or ISO-8601 {@code PT5M}), sizes ({@code 64MiB}, {@code 8GiB}, {@code 500MB}),
 * bandwidths ({@code 50Mbps}, {@code 512Kbps}) and data rates ({@code 2MiB/min}, {@code 1MB/s}).
 * Every parser throws {@link IllegalArgumentException} whose message says what was expected.
 */
public final class Units {
    private Units() {}

    public static final String DURATION_EXPECTED =
            "a duration such as 30s, 5m, 1h30m, 2d or ISO-8601 PT5M";
    public static final String SIZE_EXPECTED =
            "a size such as 512, 64KiB, 64MiB, 8GiB, 2TiB or 500MB (binary units are powers of 1024)";
    public static final String BANDWIDTH_EXPECTED =
            "a bandwidth such as 512Kbps, 50Mbps or 1Gbps (decimal units, bits per second)";
    public static final String RATE_EXPECTED =
            "a data rate such as 512KiB/s, 2MiB/min or 20GiB/h";

    private static final String PART = "(\\d+(?:\\.\\d+)?)(ms|min|s|m|h|d|w)";
    private static final Pattern DURATION_PART = Pattern.compile(PART);
    private static final Pattern COMPOUND = Pattern.compile("(?:" + PART + ")+");
    private static final Pattern NUMBER_UNIT = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)\\s*");

    /** Parses a duration into nanoseconds. */
    public static long durationNanos(String text) {
        Duration d = duration(text);
        return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000_000L), d.getNano());
    }

    public static Duration duration(String text) {
        String s = text.trim();
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return nonNegative(Duration.parse(s), text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not " + DURATION_EXPECTED);
            }
        }
        // one or more number-unit parts: 90s, 1h30m, 2d12h, 1.5h
        if (!COMPOUND.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not " + DURATION_EXPECTED);
        }
        long total = 0;
        Matcher part = DURATION_PART.matcher(s);
        while (part.find()) {
            long nanosPerUnit = switch (part.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m", "min" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "d" -> 86_400_000_000_000L;
                case "w" -> 7 * 86_400_000_000_000L;
                default -> throw new IllegalArgumentException("'" + text + "' is not " + DURATION_EXPECTED);
            };
            total = Math.addExact(total, scale(part.group(1), nanosPerUnit, text, DURATION_EXPECTED));
        }
        return Duration.ofNanos(total);
    }

    /** Parses a size into bytes. A bare number is bytes. */
    public static long sizeBytes(String text) {
        Matcher m = NUMBER_UNIT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not " + SIZE_EXPECTED);
        }
        long unit = sizeUnit(m.group(2));
        if (unit < 0) {
            throw new IllegalArgumentException("'" + text + "' is not " + SIZE_EXPECTED);
        }
        return scale(m.group(1), unit, text, SIZE_EXPECTED);
    }

    /** Parses a bandwidth into bits per second. */
    public static long bandwidthBitsPerSecond(String text) {
        Matcher m = NUMBER_UNIT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not " + BANDWIDTH_EXPECTED);
        }
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "bps" -> 1L;
            case "kbps" -> 1_000L;
            case "mbps" -> 1_000_000L;
            case "gbps" -> 1_000_000_000L;
            default -> throw new IllegalArgumentException("'" + text + "' is not " + BANDWIDTH_EXPECTED);
        };
        return scale(m.group(1), unit, text, BANDWIDTH_EXPECTED);
    }

    /** Parses a data rate ({@code SIZE/UNIT}) into bytes per second, rounded down. */
    public static long rateBytesPerSecond(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not " + RATE_EXPECTED);
        }
        long perSeconds = switch (text.substring(slash + 1).trim()) {
            case "s" -> 1;
            case "m", "min" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            default -> throw new IllegalArgumentException("'" + text + "' is not " + RATE_EXPECTED);
        };
        long bytes;
        try {
            bytes = sizeBytes(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + RATE_EXPECTED);
        }
        return bytes / perSeconds;
    }

    private static final String[] SIZE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    /**
     * A size exactly as the loader reads it back: in the largest binary unit that divides it
     * ({@code 64MiB}, {@code 1034KiB}, {@code 1000B}).
     */
    public static String exactSize(long bytes) {
        int i = 0;
        long v = bytes;
        while (i < SIZE_UNITS.length - 1 && v >= 1024 && v % 1024 == 0) {
            v /= 1024;
            i++;
        }
        return v + SIZE_UNITS[i];
    }

    /** Formats bytes the way scenario files write them, for messages: exact, or to one decimal when that would be long. */
    public static String formatSize(long bytes) {
        String exact = exactSize(bytes);
        long number = Long.parseLong(exact.substring(0, exact.length() - (exact.endsWith("iB") ? 3 : 1)));
        if (number < 1024 || exact.endsWith("PiB")) {
            return exact;
        }
        // not a whole number of a larger unit: one decimal of the largest that fits, for people
        double d = bytes;
        int j = 0;
        while (j < SIZE_UNITS.length - 1 && d >= 1024) {
            d /= 1024;
            j++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f%s", d, SIZE_UNITS[j]);
    }

    /** Formats a duration the way scenario files write them ({@code 30m}, {@code 2h}, {@code 1d}). */
    public static String formatDuration(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        long[] units = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L};
        String[] names = {"d", "h", "m", "s", "ms"};
        if (nanos % 1_000_000L != 0) {
            return d.toString();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < units.length; i++) {
            if (nanos >= units[i]) {
                sb.append(nanos / units[i]).append(names[i]);
                nanos %= units[i];
            }
        }
        return sb.toString();
    }

    private static long sizeUnit(String unit) {
        return switch (unit) {
            case "", "B" -> 1L;
            case "KiB", "K" -> 1L << 10;
            case "MiB", "M" -> 1L << 20;
            case "GiB", "G" -> 1L << 30;
            case "TiB", "T" -> 1L << 40;
            case "PiB" -> 1L << 50;
            case "KB", "kB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> -1;
        };
    }

    private static long scale(String number, long unit, String text, String expected) {
        try {
            return new java.math.BigDecimal(number).multiply(java.math.BigDecimal.valueOf(unit))
                    .setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large: expected " + expected);
        }
    }

    private static Duration nonNegative(Duration d, String text) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative: expected " + DURATION_EXPECTED);
        }
        return d;
    }

    /**
     * A size as an inventory writes it: with its unit, or a plain number of GiB (rounded to the
     * byte); throws {@link IllegalArgumentException} or {@link ArithmeticException} otherwise.
     */
    public static long sizeOrGiB(String text) {
        return plainNumber(text) ? new java.math.BigDecimal(text).multiply(java.math.BigDecimal.valueOf(1L << 30))
                .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact() : sizeBytes(text);
    }

    /** A rate as profilers export churn: with its unit, or a plain number of MB/s (10^6 bytes a second, rounded to the byte). */
    public static long rateOrMBps(String text) {
        return plainNumber(text) ? new java.math.BigDecimal(text).movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP)
                .longValueExact() : rateBytesPerSecond(text);
    }

    private static boolean plainNumber(String text) {
        return text.matches("[0-9]+(\\.[0-9]+)?");
    }
}
