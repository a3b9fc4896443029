package io.replisim.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.trace.TraceJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares two run folders by behaviour: per VM, the first trace event where they diverge, then what
 * differs in their summaries: top-level figures, and per VM every numeric or duration field
 * (with the delta), its final state and health, and its replicas' verdicts.
 */
public final class RunDiff {
    private static final ObjectMapper JSON = TraceJson.mapper();

    /** The comparison: {@code identical} when traces and summaries are equal; {@code lines} to print. */
    public record Result(boolean identical, List<String> lines) {}

    private RunDiff() {}

    public static Result compare(Path a, Path b) throws RunFolderException, IOException {
        RunRecord ra = RunReports.readFolder(a);
        RunRecord rb = RunReports.readFolder(b);
        List<String> out = new ArrayList<>();
        boolean sameTrace;
        if ("none".equals(ra.trace()) || "none".equals(rb.trace())) {
            sameTrace = ra.trace().equals(rb.trace());
            out.add("trace: not compared (" + ("none".equals(ra.trace()) ? "A" : "B") + " wrote none; --trace none)");
        } else {
            sameTrace = compareTraces(a.resolve(RunReports.TRACE), b.resolve(RunReports.TRACE), out);
        }
        List<String> deltas = summaryDeltas(readTree(a.resolve(RunReports.SUMMARY)), readTree(b.resolve(RunReports.SUMMARY)));
        if (deltas.isEmpty()) {
            out.add("summary: identical");
        } else {
            out.add("summary: " + deltas.size() + " difference" + (deltas.size() == 1 ? "" : "s") + " (A -> B)");
            deltas.forEach(d -> out.add("  " + d));
        }
        return new Result(sameTrace && deltas.isEmpty(), out);
    }

    /** A trace line: the text as written, and what it says of behaviour (no {@code seq}, no run header's seed or version). */
    private record Event(String text, long seq, String group, JsonNode behaviour) {}

    /**
     * Compares behaviour, not headers: each event without its sequence number (and the run's
     * header without its seed and version), event by event within each VM (events of no VM go with the run),
     * so an event added for one VM does not hide what the others did alike. Prints, for each VM
     * that differs, its first differing event of each trace with the event before it.
     */
    private static boolean compareTraces(Path a, Path b, List<String> out) throws IOException {
        Map<String, List<Event>> ea = events(a);
        Map<String, List<Event>> eb = events(b);
        long total = ea.values().stream().mapToLong(List::size).sum();
        if (Files.mismatch(a, b) == -1) {
            out.add("trace: identical (" + total + " events)");
            return true;
        }
        Set<String> groups = new LinkedHashSet<>(ea.keySet());
        groups.addAll(eb.keySet());
        List<String> differing = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (String g : groups) {
            List<Event> la = ea.getOrDefault(g, List.of());
            List<Event> lb = eb.getOrDefault(g, List.of());
            int i = 0;
            while (i < la.size() && i < lb.size() && la.get(i).behaviour().equals(lb.get(i).behaviour())) {
                i++;
            }
            if (i == la.size() && i == lb.size()) {
                continue;
            }
            differing.add(g);
            details.add("  " + g + ": event " + (i + 1) + " of its " + la.size() + " (A) and " + lb.size() + " (B)");
            if (i > 0) {
                details.add("    both: " + la.get(i - 1).text());
            }
            details.add("    A: " + (i < la.size() ? la.get(i).text() : "(no more events" + after(la, i) + ")"));
            details.add("    B: " + (i < lb.size() ? lb.get(i).text() : "(no more events" + after(lb, i) + ")"));
        }
        if (differing.isEmpty()) {
            out.add("trace: the same behaviour (" + total + " events); only the header differs: " + header(ea, eb));
            return true;
        }
        out.add("trace: " + differing.size() + " of " + groups.size() + " differ (" + String.join(", ", differing)
                + "); the first difference of each:");
        out.addAll(details);
        return false;
    }

    private static String after(List<Event> events, int i) {
        return i == 0 ? ": it has none" : " after seq " + events.get(i - 1).seq();
    }

    /** What the two run headers say apart (the seed, say). */
    private static String header(Map<String, List<Event>> ea, Map<String, List<Event>> eb) {
        JsonNode ha = ea.getOrDefault(RUN, List.of()).stream().findFirst().map(e -> readOrNull(e.text())).orElse(null);
        JsonNode hb = eb.getOrDefault(RUN, List.of()).stream().findFirst().map(e -> readOrNull(e.text())).orElse(null);
        if (ha == null || hb == null) {
            return "the sequence numbers";
        }
        List<String> fields = new ArrayList<>();
        ha.fieldNames().forEachRemaining(f -> {
            if (!f.equals("seq") && !Objects.equals(ha.get(f), hb.get(f))) {
                fields.add(f + " " + ha.get(f).asText() + " -> " + (hb.get(f) == null ? "absent" : hb.get(f).asText()));
            }
        });
        return fields.isEmpty() ? "the sequence numbers" : String.join(", ", fields);
    }

    private static final String RUN = "run";
    /** A run's header fields that say nothing of its behaviour. */
    private static final List<String> HEADER = List.of("seed", "replisim", "traceFormat", "reproduce", "azuriteLauncher");

    /** The trace's events grouped by VM, in order; events of no VM under {@link #RUN}. */
    private static Map<String, List<Event>> events(Path trace) throws IOException {
        Map<String, List<Event>> groups = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            long line = 0;
            for (String text = r.readLine(); text != null; text = r.readLine(), line++) {
                JsonNode n = readOrNull(text);
                if (n == null || !n.isObject()) {
                    groups.computeIfAbsent(RUN, g -> new ArrayList<>()).add(new Event(text, line, RUN,
                            com.fasterxml.jackson.databind.node.TextNode.valueOf(text)));
                    continue;
                }
                com.fasterxml.jackson.databind.node.ObjectNode behaviour = ((com.fasterxml.jackson.databind.node.ObjectNode) n).deepCopy();
                behaviour.remove("seq");
                if ("run.started".equals(n.path("type").asText())) {
                    behaviour.remove(HEADER); // what the run was asked and which replisim ran it, not what it did
                }
                String group = n.hasNonNull("vm") ? n.get("vm").asText() : RUN;
                groups.computeIfAbsent(group, g -> new ArrayList<>()).add(new Event(text, n.path("seq").asLong(line), group, behaviour));
            }
        }
        return groups;
    }

    private static JsonNode readOrNull(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null; // not JSON: compared as text
        }
    }

    private static JsonNode readTree(Path summary) throws IOException {
        return JSON.readTree(summary.toFile());
    }

    /** The differences between two summaries, one line each. */
    static List<String> summaryDeltas(JsonNode a, JsonNode b) {
        List<String> out = new ArrayList<>();
        Set<String> fields = new LinkedHashSet<>();
        a.fieldNames().forEachRemaining(fields::add);
        b.fieldNames().forEachRemaining(fields::add);
        for (String f : fields) {
            JsonNode va = a.get(f);
            JsonNode vb = b.get(f);
            if (Objects.equals(va, vb)) {
                continue;
            }
            if (HEADER.contains(f)) {
                continue; // the header: what the runs were asked and which replisim ran them, not what they did
            }
            if ((va == null || va.isValueNode()) && (vb == null || vb.isValueNode())) {
                out.add(delta(f, va, vb));
            } else if ("jobs".equals(f)) {
                jobs(a.path(f), b.path(f), out);
            }
        }
        Map<String, JsonNode> vmsA = byName(a.path("vms"), "vm");
        Map<String, JsonNode> vmsB = byName(b.path("vms"), "vm");
        Set<String> names = new LinkedHashSet<>(vmsA.keySet());
        names.addAll(vmsB.keySet());
        for (String vm : names) {
            JsonNode va = vmsA.get(vm);
            JsonNode vb = vmsB.get(vm);
            if (va == null || vb == null) {
                out.add(vm + ": only in " + (va == null ? "B" : "A"));
                continue;
            }
            Map<String, JsonNode> fa = flatten(va);
            Map<String, JsonNode> fb = flatten(vb);
            Set<String> keys = new LinkedHashSet<>(fa.keySet());
            keys.addAll(fb.keySet());
            for (String k : keys) {
                JsonNode x = fa.get(k);
                JsonNode y = fb.get(k);
                if (!Objects.equals(x, y) && comparable(k, x, y)) {
                    out.add(vm + ": " + delta(k, x, y));
                }
            }
        }
        Map<String, JsonNode> expA = byName(a.path("expectations"), "name");
        Map<String, JsonNode> expB = byName(b.path("expectations"), "name");
        Set<String> exps = new LinkedHashSet<>(expA.keySet());
        exps.addAll(expB.keySet());
        for (String e : exps) {
            JsonNode x = expA.get(e);
            JsonNode y = expB.get(e);
            String px = x == null ? "absent" : x.path("passed").asBoolean() ? "passed" : "failed";
            String py = y == null ? "absent" : y.path("passed").asBoolean() ? "passed" : "failed";
            if (!px.equals(py)) {
                out.add("expectation \"" + e + "\": " + px + " -> " + py);
            }
        }
        return out;
    }

    /** The vault's jobs: how many, then each that differs by its name, item, status or duration (the first few). */
    private static void jobs(JsonNode a, JsonNode b, List<String> out) {
        out.add("jobs: " + a.size() + " -> " + b.size() + (a.size() != b.size() ? " (" + (b.size() - a.size() >= 0 ? "+" : "")
                + (b.size() - a.size()) + ")" : ""));
        int shown = 0;
        for (int i = 0; i < Math.max(a.size(), b.size()) && shown < 5; i++) {
            JsonNode x = a.get(i);
            JsonNode y = b.get(i);
            List<String> fields = new ArrayList<>();
            for (String f : List.of("name", "item", "status", "started", "duration")) {
                JsonNode vx = x == null ? null : x.get(f);
                JsonNode vy = y == null ? null : y.get(f);
                if (!Objects.equals(vx, vy)) {
                    fields.add(f.equals("duration") && vx != null && vy != null && isDuration(vx) && isDuration(vy) ? delta(f, vx, vy)
                            : f + ": " + show(vx) + " -> " + show(vy));
                }
            }
            if (!fields.isEmpty()) {
                JsonNode named = x != null ? x : y;
                out.add("job " + (i + 1) + " (" + named.path("name").asText() + ", " + named.path("item").asText() + "): "
                        + String.join("; ", fields));
                shown++;
            }
        }
    }

    /** Numbers, durations, states, health and replica verdicts; not hashes or names. */
    private static boolean comparable(String key, JsonNode x, JsonNode y) {
        JsonNode v = x != null ? x : y;
        if (v.isNumber() || v.isBoolean() || (x != null && y != null && isDuration(x) && isDuration(y))) {
            return true;
        }
        return key.equals("finalState") || key.equals("finalHealth") || (v.isTextual() && isDuration(v));
    }

    private static Map<String, JsonNode> byName(JsonNode array, String key) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode n : array) {
            m.put(n.path(key).asText(), n);
        }
        return m;
    }

    /** Fields as paths: {@code rpo.p95}, {@code disks[os].matches}. */
    private static Map<String, JsonNode> flatten(JsonNode vm) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = vm.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                v.fields().forEachRemaining(g -> out.put(f.getKey() + "." + g.getKey(), g.getValue()));
            } else if (v.isArray()) {
                for (JsonNode item : v) {
                    String id = item.path("disk").asText(null);
                    if (id == null) {
                        continue;
                    }
                    item.fields().forEachRemaining(g -> out.put(f.getKey() + "[" + id + "]." + g.getKey(), g.getValue()));
                }
            } else {
                out.put(f.getKey(), v);
            }
        }
        return out;
    }

    private static String delta(String key, JsonNode x, JsonNode y) {
        String line = key + ": " + show(x) + " -> " + show(y);
        if (x != null && y != null && x.isIntegralNumber() && y.isIntegralNumber()) {
            long d = y.asLong() - x.asLong();
            return line + " (" + (d >= 0 ? "+" : "") + d + ")";
        }
        if (x != null && y != null && x.isNumber() && y.isNumber()) {
            double d = y.asDouble() - x.asDouble();
            return line + " (" + (d >= 0 ? "+" : "") + d + ")";
        }
        if (x != null && y != null && isDuration(x) && isDuration(y)) {
            Duration d = Duration.parse(y.asText()).minus(Duration.parse(x.asText()));
            return line + " (" + (d.isNegative() ? "-" + HtmlReport.human(d.negated()) : "+" + HtmlReport.human(d)) + ")";
        }
        return line;
    }

    private static String show(JsonNode v) {
        return v == null || v.isNull() ? "absent" : v.asText();
    }

    private static boolean isDuration(JsonNode v) {
        if (v == null || !v.isTextual() || !v.asText().startsWith("P")) {
            return false;
        }
        try {
            Duration.parse(v.asText());
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
