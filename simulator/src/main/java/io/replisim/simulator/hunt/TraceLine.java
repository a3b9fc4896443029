package io.replisim.simulator.hunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of a run's {@code trace.jsonl} (docs/trace.md), read back for the invariants: its
 * {@code seq}, its simulated time {@code t} as nanoseconds since the epoch (so differences are
 * exact), its {@code type}, and the whole line's fields.
 */
public record TraceLine(long seq, long t, String type, ObjectNode fields, String text) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Parses a trace, one JSON object a line; blank lines are skipped. */
    public static List<TraceLine> parse(String jsonl) {
        List<TraceLine> lines = new ArrayList<>();
        int from = 0;
        while (from < jsonl.length()) {
            int nl = jsonl.indexOf('\n', from);
            String line = nl < 0 ? jsonl.substring(from) : jsonl.substring(from, nl);
            from = nl < 0 ? jsonl.length() : nl + 1;
            if (!line.isBlank()) {
                lines.add(parseLine(line));
            }
        }
        return List.copyOf(lines);
    }

    /** Parses one line of a trace. */
    public static TraceLine parseLine(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a trace line (" + e.getOriginalMessage() + "): " + line);
        }
        if (!(node instanceof ObjectNode o) || !o.hasNonNull("seq") || !o.hasNonNull("t") || !o.hasNonNull("type")) {
            throw new IllegalArgumentException("not a trace line (expected an object with seq, t and type): " + line);
        }
        return new TraceLine(o.get("seq").asLong(), epochNanos(o.get("t").asText()), o.get("type").asText(), o, line.strip());
    }

    /**
     * An ISO-8601 date-time with offset, as the trace writes it, in nanoseconds since the epoch.
     * The trace's own shape ({@code 2026-01-05T08:00:30.25+01:00}, seconds and fraction
     * optional) is read directly, as a trace of millions of lines needs; anything else goes
     * through {@link OffsetDateTime#parse}.
     */
    static long epochNanos(String t) {
        long fast = fastEpochNanos(t);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        Instant at = OffsetDateTime.parse(t).toInstant();
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    }

    /** {@code yyyy-MM-ddTHH:mm[:ss[.f{1,9}]](Z|±HH:mm)}, or Long.MIN_VALUE for anything else. */
    static long fastEpochNanos(String t) {
        int n = t.length();
        if (n < 17 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int i = 16;
        int second = 0;
        long nanos = 0;
        if (i < n && t.charAt(i) == ':') {
            second = digits(t, i + 1, 2);
            i += 3;
            if (i < n && t.charAt(i) == '.') {
                int from = ++i;
                while (i < n && i - from < 9 && Character.isDigit(t.charAt(i))) {
                    nanos = nanos * 10 + (t.charAt(i) - '0');
                    i++;
                }
                if (i == from) {
                    return Long.MIN_VALUE;
                }
                for (int k = i - from; k < 9; k++) {
                    nanos *= 10;
                }
            }
        }
        int offsetSeconds;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 18 || om > 59) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return Long.MIN_VALUE;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
    }

    /** The decimal number of {@code count} digits at {@code from}, or -1 if they are not all digits. */
    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A text field, or null when the line has none. */
    public String str(String field) {
        JsonNode v = fields.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public long num(String field) {
        JsonNode v = fields.get(field);
        return v == null ? 0 : v.asLong();
    }

    public boolean bool(String field) {
        JsonNode v = fields.get(field);
        return v != null && v.asBoolean();
    }

    /** An ISO-8601 duration field, or null. */
    public Duration dur(String field) {
        String s = str(field);
        return s == null ? null : Duration.parse(s);
    }

    public boolean is(String eventType) {
        return type.equals(eventType);
    }

    public String vm() {
        return str("vm");
    }

    public String host() {
        return str("host");
    }

    public String disk() {
        return str("disk");
    }

    public String job() {
        return str("job");
    }

    /** The line's time as the trace writes it. */
    public String time() {
        return str("t");
    }

    @Override
    public String toString() {
        return text;
    }
}
