package io.replisim.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.scenario.Expectation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A failed expectation in words: what was expected, what happened, and the first trace line
 * that matters for it (where the reader starts looking), chosen by the expectation's kind.
 */
final class FirstLine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FirstLine() {}

    static String describe(Expectation e, RunRecord.ExpectationResult r, List<String> trace, Path file) {
        StringBuilder sb = new StringBuilder("  expectation failed")
                .append("\n    expected: ").append(r.name())
                .append("\n    got:      ").append(r.detail());
        int at = find(e, trace);
        if (at >= 0) {
            sb.append("\n    first trace line that matters: ").append(file.toAbsolutePath().normalize()).append(':').append(at + 1)
                    .append("\n      ").append(trace.get(at));
        }
        return sb.toString();
    }

    /** The index of the line that matters for {@code e}, or -1 (no trace, or nothing that relates). */
    static int find(Expectation e, List<String> trace) {
        String kind = e.kinds().isEmpty() ? "" : e.kinds().get(0);
        return switch (kind) {
            // where the VM reached the state; if it never did, where it last moved
            case "state" -> first(trace, e.vm(), "vm.state", n -> matchesState(n.path("to").asText(), e.state()),
                    last(trace, e.vm(), "vm.state"));
            case "health" -> first(trace, e.vm(), "vm.health", n -> !n.path("to").asText().equals(e.health()), -1);
            case "resyncs" -> first(trace, e.vm(), "resync.required", n -> true, -1);
            case "retries" -> first(trace, e.vm(), "retry.scheduled", n -> true, -1);
            case "errors" -> first(trace, e.vm(), "error", n -> true, -1);
            case "replicaMatchesSource" -> first(trace, e.vm(), "replica.verified",
                    n -> n.path("matches").asBoolean() != e.replicaMatchesSource(), -1);
            case "noDataLoss", "maxDataLoss" -> first(trace, e.vm(), "failover.finished",
                    n -> !n.path("verified").asBoolean(true) || !"PT0S".equals(n.path("dataLoss").asText("PT0S")), -1);
            // what holds recovery points back or sends more: faults, errors, resyncs
            case "rpo", "maxBytesSent" -> firstOf(trace, e.vm(), Set.of("fault.injected", "error", "resync.required"));
            default -> -1;
        };
    }

    /** Hyper-V's state names against an expectation's (which may be written without spaces or case). */
    private static boolean matchesState(String seen, String expected) {
        return normal(seen).equals(normal(expected));
    }

    private static String normal(String s) {
        return s.replaceAll("[^A-Za-z]", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static int first(List<String> trace, String vm, String type, Predicate<JsonNode> matches, int otherwise) {
        for (int i = 0; i < trace.size(); i++) {
            JsonNode n = event(trace.get(i), vm, Set.of(type));
            if (n != null && matches.test(n)) {
                return i;
            }
        }
        return otherwise;
    }

    private static int last(List<String> trace, String vm, String type) {
        for (int i = trace.size() - 1; i >= 0; i--) {
            if (event(trace.get(i), vm, Set.of(type)) != null) {
                return i;
            }
        }
        return -1;
    }

    private static int firstOf(List<String> trace, String vm, Set<String> types) {
        for (int i = 0; i < trace.size(); i++) {
            if (event(trace.get(i), vm, types) != null) {
                return i;
            }
        }
        return -1;
    }

    /** The line's event if it is of one of {@code types} and concerns {@code vm} (any VM when null). */
    private static JsonNode event(String line, String vm, Set<String> types) {
        if (types.stream().noneMatch(t -> line.contains("\"type\":\"" + t + "\""))) {
            return null; // most lines: skipped without parsing
        }
        try {
            JsonNode n = JSON.readTree(line);
            boolean ofVm = vm == null || vm.equals(n.path("vm").asText(null));
            return types.contains(n.path("type").asText()) && ofVm ? n : null;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
