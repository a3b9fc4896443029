package io.replisim.simulator.scenario;

import java.time.Duration;

/** Upper bounds on a VM's RPO percentiles over the run: {@code {p95: 10m, max: 30m}}. */
public record RpoBound(Duration p50, Duration p95, Duration p99, Duration max) {
    boolean isEmpty() {
        return p50 == null && p95 == null && p99 == null && max == null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb, "p50", p50);
        append(sb, "p95", p95);
        append(sb, "p99", p99);
        append(sb, "max", max);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String name, Duration d) {
        if (d != null) {
            sb.append(sb.length() == 0 ? "" : ", ").append(name).append(" <= ").append(Units.formatDuration(d));
        }
    }
}
