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
 * Compares two run folders: the first trace event where they diverge (both lines), then what
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

    private static boolean compareTraces(Path a, Path b, List<String> out) throws IOException {
        try (BufferedReader ra = Files.newBufferedReader(a, StandardCharsets.UTF_8);
             BufferedReader rb = Files.newBufferedReader(b, StandardCharsets.UTF_8)) {
            long line = 0;
            String previous = null;
            while (true) {
                String la = ra.readLine();
                String lb = rb.readLine();
                if (la == null && lb == null) {
                    out.add("trace: identical (" + line + " events)");
                    return true;
                }
                if (!Objects.equals(la, lb)) {
                    String seq = seq(la != null ? la : lb, line);
                    out.add("trace: first difference at seq " + seq + " (line " + (line + 1) + ")");
                    out.add("  A: " + (la == null ? "(the trace ends" + after(previous) + ")" : la));
                    out.add("  B: " + (lb == null ? "(the trace ends" + after(previous) + ")" : lb));
                    return false;
                }
                previous = la;
                line++;
            }
        }
    }

    private static String after(String previous) {
        return previous == null ? ": it is empty" : " after seq " + seq(previous, -1);
    }

    private static String seq(String line, long fallback) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n.has("seq")) {
                return n.get("seq").asText();
            }
        } catch (IOException e) {
            // not JSON: fall back to the line number
        }
        return Long.toString(fallback);
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
            if ((va == null || va.isValueNode()) && (vb == null || vb.isValueNode())) {
                out.add(delta(f, va, vb));
            } else if ("jobs".equals(f)) {
                out.add("jobs: " + a.path(f).size() + " -> " + b.path(f).size()
                        + (a.path(f).size() == b.path(f).size() ? " (their details differ)" : ""));
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
