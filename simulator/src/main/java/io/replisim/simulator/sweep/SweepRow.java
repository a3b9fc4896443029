package io.replisim.simulator.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One point's result: its grid values and seed, and the run's summary figures. RPO figures are
 * the worst VM's (a plan holds when its worst VM does); times are seconds from the run's start.
 *
 * @param index            the point's place in the sweep
 * @param values           the grid's values
 * @param seed             the run's seed
 * @param passed           whether every expectation held
 * @param expectationsHeld how many held
 * @param expectations     how many the scenario has
 * @param vms              VMs in the run
 * @param finalStates      how many VMs ended in each state, e.g. {@code Replicating:9;Error:1} (sorted by state)
 * @param irEndSeconds     when the last VM reached Replicating (initial replication's end), or -1 if one never did
 * @param rpoP50Seconds    the worst VM's RPO median
 * @param rpoP95Seconds    the worst VM's 95th percentile
 * @param rpoP99Seconds    the worst VM's 99th percentile
 * @param rpoMaxSeconds    the worst RPO of any VM
 * @param resyncs          resynchronizations, all VMs
 * @param bytesSent        bytes sent over the uplinks, all VMs
 * @param errors           replication errors, all VMs
 * @param events           kernel events of the run
 * @param traceSha256      SHA-256 of the run's trace.jsonl
 * @param scenarioSha256   SHA-256 of the point's scenario text (with the seed, the row's identity)
 */
public record SweepRow(int index, List<String> values, long seed, boolean passed, int expectationsHeld, int expectations,
                       int vms, String finalStates, double irEndSeconds, double rpoP50Seconds, double rpoP95Seconds,
                       double rpoP99Seconds, double rpoMaxSeconds, long resyncs, long bytesSent, long errors, long events,
                       String traceSha256, String scenarioSha256) implements Serializable {

    /** The figures after the grid's values, as results.csv names its columns. */
    public static final List<String> FIGURES = List.of("seed", "passed", "expectations_held", "expectations", "vms",
            "final_states", "ir_end_s", "rpo_p50_s", "rpo_p95_s", "rpo_p99_s", "rpo_max_s", "resyncs", "bytes_sent",
            "errors", "events", "trace_sha256", "scenario_sha256");

    public SweepRow {
        values = List.copyOf(values);
    }

    public String key() {
        return scenarioSha256 + "/" + seed;
    }

    /** The row's cells: the point, the grid's values, then {@link #FIGURES}. */
    public List<String> cells() {
        List<String> c = new ArrayList<>();
        c.add(Integer.toString(index));
        c.addAll(values);
        c.addAll(List.of(Long.toString(seed), Boolean.toString(passed), Integer.toString(expectationsHeld),
                Integer.toString(expectations), Integer.toString(vms), finalStates, seconds(irEndSeconds),
                seconds(rpoP50Seconds), seconds(rpoP95Seconds), seconds(rpoP99Seconds), seconds(rpoMaxSeconds),
                Long.toString(resyncs), Long.toString(bytesSent), Long.toString(errors), Long.toString(events), traceSha256,
                scenarioSha256));
        return c;
    }

    /** Reads a row back from its cells (as {@link #cells} wrote them), with {@code axes} grid columns. */
    public static SweepRow of(List<String> c, int axes) {
        int f = 1 + axes;
        return new SweepRow(Integer.parseInt(c.get(0)), c.subList(1, f), Long.parseLong(c.get(f)), Boolean.parseBoolean(c.get(f + 1)),
                Integer.parseInt(c.get(f + 2)), Integer.parseInt(c.get(f + 3)), Integer.parseInt(c.get(f + 4)), c.get(f + 5),
                number(c.get(f + 6)), number(c.get(f + 7)), number(c.get(f + 8)), number(c.get(f + 9)), number(c.get(f + 10)),
                Long.parseLong(c.get(f + 11)), Long.parseLong(c.get(f + 12)), Long.parseLong(c.get(f + 13)),
                Long.parseLong(c.get(f + 14)), c.get(f + 15), c.get(f + 16));
    }

    /** A row for {@code index} with other values: the same figures, placed at another point of another sweep. */
    SweepRow at(int newIndex, List<String> newValues) {
        return new SweepRow(newIndex, newValues, seed, passed, expectationsHeld, expectations, vms, finalStates, irEndSeconds,
                rpoP50Seconds, rpoP95Seconds, rpoP99Seconds, rpoMaxSeconds, resyncs, bytesSent, errors, events, traceSha256,
                scenarioSha256);
    }

    /** Seconds to the millisecond, without trailing zeros; empty for -1 (never). */
    static String seconds(double s) {
        if (s < 0) {
            return "";
        }
        return java.math.BigDecimal.valueOf(Math.round(s * 1000), 3).stripTrailingZeros().toPlainString();
    }

    private static double number(String s) {
        return s.isEmpty() ? -1 : Double.parseDouble(s);
    }
}
