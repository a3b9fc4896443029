package io.replisim.simulator.hunt;

import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

/**
 * One run of a scenario with a seed, its trace read back and checked. A run that throws (a bug
 * in the stack, or in the emulation) is itself a violation, {@value #CRASHED}, at the seq after
 * the last event it wrote.
 *
 * @param trace      the run's trace lines (what was written before a crash)
 * @param violations what the checker found, by seq
 */
public record CheckedRun(Scenario scenario, long seed, List<TraceLine> trace, List<Violation> violations) {
    public static final String CRASHED = "run-completes";

    public CheckedRun {
        trace = List.copyOf(trace);
        violations = List.copyOf(violations);
    }

    /**
     * Runs {@code scenario} with {@code seed} on the in-memory Azure backend, the fakes watched by a
     * {@link GroundTruthProbe}, and checks the run.
     */
    public static CheckedRun of(Scenario scenario, long seed, TraceChecker checker) {
        StringWriter jsonl = new StringWriter();
        RuntimeException crash = null;
        GroundTruth truth = new GroundTruth();
        try {
            Simulator.run(scenario, RunOptions.withSeed(seed).trace(jsonl).probe(GroundTruthProbe.into(truth, scenario)));
        } catch (IOException e) {
            crash = new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            crash = e;
        }
        List<TraceLine> trace = TraceLine.parse(lastCompleteLines(jsonl.toString()));
        if (crash != null) {
            long seq = trace.isEmpty() ? 0 : trace.get(trace.size() - 1).seq() + 1;
            StackTraceElement[] where = crash.getStackTrace();
            return new CheckedRun(scenario, seed, trace, List.of(new Violation(CRASHED, seq, "the run threw "
                    + crash.getClass().getName() + ": " + firstLine(crash.getMessage())
                    + (where.length > 0 ? " (at " + where[0] + ")" : ""))));
        }
        return new CheckedRun(scenario, seed, trace, checker.check(new RunEvidence(scenario.withSeed(seed), trace, truth)));
    }

    /** Whether every invariant held. */
    public boolean held() {
        return violations.isEmpty();
    }

    /** The first violation of {@code invariant}, or null. */
    public Violation first(String invariant) {
        return violations.stream().filter(v -> v.invariant().equals(invariant)).findFirst().orElse(null);
    }

    /** The trace line with that seq, or null. */
    public TraceLine line(long seq) {
        for (TraceLine l : trace) {
            if (l.seq() == seq) {
                return l;
            }
        }
        return null;
    }

    private static String lastCompleteLines(String text) {
        int nl = text.lastIndexOf('\n');
        return nl < 0 ? "" : text.substring(0, nl + 1);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
