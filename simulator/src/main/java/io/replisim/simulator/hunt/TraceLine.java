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
        Instant at = OffsetDateTime.parse(o.get("t").asText()).toInstant();
        long t = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
        return new TraceLine(o.get("seq").asLong(), t, o.get("type").asText(), o, line.strip());
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
