package io.replisim.reports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Builds small traces by hand: {@code at(seconds, type, "field", value, ...)}, times from 08:00 Amsterdam. */
final class SyntheticTrace {
    static final OffsetDateTime START = OffsetDateTime.parse("2026-01-05T08:00:00+01:00");
    private final List<String> lines = new ArrayList<>();

    SyntheticTrace() {
        at(0, "run.started", "scenario", "synthetic", "seed", 1, "fidelity", "bytes", "azure", "memory",
                "start", START.toString(), "timeZone", "Europe/Amsterdam", "duration", "PT10M");
    }

    static String time(double seconds) {
        return START.plusNanos((long) (seconds * 1e9)).toString();
    }

    SyntheticTrace at(double seconds, String type, Object... fields) {
        StringBuilder b = new StringBuilder("{\"seq\":").append(lines.size()).append(",\"t\":\"").append(time(seconds))
                .append("\",\"type\":\"").append(type).append('"');
        for (int i = 0; i < fields.length; i += 2) {
            b.append(",\"").append(fields[i]).append("\":");
            Object v = fields[i + 1];
            if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                b.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        lines.add(b.append('}').toString());
        return this;
    }

    String text() {
        return String.join("\n", lines) + "\n";
    }

    RunTimeline read() throws IOException {
        return RunTimeline.read(new BufferedReader(new StringReader(text())), "synthetic");
    }
}
