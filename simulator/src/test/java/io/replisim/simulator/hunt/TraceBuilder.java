package io.replisim.simulator.hunt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Hand-made traces for the invariants' tests: events at seconds from 08:00, numbered in order. */
final class TraceBuilder {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final OffsetDateTime START = OffsetDateTime.parse("2026-01-05T08:00:00+01:00");

    private final List<TraceLine> lines = new ArrayList<>();

    /** Adds an event {@code seconds} after the start: {@code type} then field names and values. */
    TraceBuilder at(double seconds, String type, Object... fields) {
        ObjectNode o = JSON.createObjectNode();
        o.put("seq", lines.size());
        o.put("t", START.plusNanos(Math.round(seconds * 1e9)).toString());
        o.put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            String name = (String) fields[i];
            Object v = fields[i + 1];
            if (v instanceof Boolean b) {
                o.put(name, b);
            } else if (v instanceof Number n) {
                o.put(name, n.longValue());
            } else {
                o.put(name, String.valueOf(v));
            }
        }
        lines.add(TraceLine.parseLine(o.toString()));
        return this;
    }

    /** The seq the next event gets. */
    long next() {
        return lines.size();
    }

    List<TraceLine> build() {
        return List.copyOf(lines);
    }
}
