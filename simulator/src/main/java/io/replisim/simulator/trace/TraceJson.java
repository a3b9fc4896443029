package io.replisim.simulator.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes trace records as JSON lines: {@code seq}, {@code t} (ISO-8601 in the scenario's zone),
 * {@code type}, then the event's fields in declaration order, nulls omitted, durations as
 * ISO-8601 durations. The output depends only on the records, so a seed reproduces it byte for byte.
 */
public final class TraceJson implements Consumer<TraceRecord> {

    /** The mapper every replisim JSON output shares: ISO durations and times, no nulls. */
    public static ObjectMapper mapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }

    private final ObjectMapper mapper = mapper();
    private final Writer out;
    private final Instant start;
    private final ZoneId zone;

    public TraceJson(Writer out, Instant start, ZoneId zone) {
        this.out = out;
        this.start = start;
        this.zone = zone;
    }

    @Override
    public void accept(TraceRecord record) {
        try {
            out.write(line(record));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON line for a record, without the newline. */
    public String line(TraceRecord record) {
        return line(record.seq(), body(record));
    }

    /** The line of a record numbered {@code seq} whose {@link #body} is {@code body}. */
    public static String line(long seq, String body) {
        return "{\"seq\":" + seq + "," + body.substring(1);
    }

    /** Writes the line of a record numbered {@code seq} whose {@link #body} is {@code body}. */
    public void accept(long seq, String body) {
        try {
            out.write(line(seq, body));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A record's JSON object without its {@code seq} ({@code {"t":...}}): what a site writes
     * before the run numbers its records among the other sites'. Thread-safe.
     */
    public String body(TraceRecord record) {
        ObjectNode node = mapper.createObjectNode();
        node.put("t", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.plusNanos(record.time()).atZone(zone).toOffsetDateTime()));
        node.put("type", record.event().type());
        JsonNode fields = mapper.valueToTree(record.event());
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            node.set(f.getKey(), f.getValue());
        }
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
