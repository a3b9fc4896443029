package io.replisim.simulator.plan;

import io.replisim.simulator.plan.PlanResult.SiteAnswer;
import io.replisim.simulator.plan.PlanResult.Spread;
import io.replisim.simulator.plan.PlanResult.VmAnswer;
import java.util.ArrayList;
import java.util.List;

/**
 * A plan's answers as CSV tables for a spreadsheet (docs/planner.md, "The answers"): one row per VM,
 * per site (the fleet last) and per wave, for each case (the plan, then each what-if). Seconds,
 * bytes, Mbps and shares as plain numbers; a spread as its median and {@code _min}, {@code _max}.
 */
public final class PlanTables {
    private PlanTables() {}

    public static String vms(List<PlanResult> cases) {
        List<String> header = new ArrayList<>(List.of("case", "vm", "host", "site", "disks", "provisioned_bytes", "used_bytes",
                "churn_avg_MBps", "churn_peak_MBps"));
        for (String s : List.of("rpo_p50_s", "rpo_p95_s", "rpo_p99_s", "rpo_max_s", "within_target", "resyncs",
                "peak_pending_log_bytes")) {
            spreadHeader(header, s);
        }
        header.addAll(List.of("threshold_bytes", "outage_tolerance_s", "log_space_bytes", "wave", "ir_start_s"));
        spreadHeader(header, "ir_duration_s");
        spreadHeader(header, "ir_end_s");
        spreadHeader(header, "ir_resyncs");
        StringBuilder sb = line(new StringBuilder(), header);
        for (PlanResult r : cases) {
            for (VmAnswer v : r.vms()) {
                List<String> row = new ArrayList<>(List.of(r.label(), v.vm(), v.host(), v.site(), Integer.toString(v.disks()),
                        Long.toString(v.provisionedBytes()), Long.toString(v.usedBytes()), num(v.churnAverageMBps()),
                        num(v.churnPeakMBps())));
                for (Spread s : List.of(v.rpoP50(), v.rpoP95(), v.rpoP99(), v.rpoMax(), v.withinTarget(), v.resyncs(),
                        v.peakPendingLogBytes())) {
                    spread(row, s);
                }
                row.addAll(List.of(Long.toString(v.thresholdBytes()), v.outageToleranceSeconds() == null ? "" : v.outageToleranceSeconds().toString(),
                        Long.toString(v.logSpaceBytes()), v.wave() == null ? "" : v.wave().toString(), Long.toString(v.irStartSeconds())));
                spread(row, v.irDuration());
                spread(row, v.irEnd());
                spread(row, v.irResyncs());
                line(sb, row);
            }
        }
        return sb.toString();
    }

    public static String sites(List<PlanResult> cases) {
        List<String> header = new ArrayList<>(List.of("case", "site", "vms", "churn_avg_Mbps", "churn_peak_sum_Mbps",
                "churn_peak_at_once_Mbps", "mean_capacity_Mbps", "rule_of_thumb_Mbps", "rule_of_thumb_ir_s"));
        for (String s : List.of("needed_100_Mbps", "needed_95_Mbps", "needed_90_Mbps", "ir_end_s", "uplink_use", "worst_within_target",
                "resyncs")) {
            spreadHeader(header, s);
        }
        header.addAll(List.of("replica_provisioned_bytes", "replica_used_bytes", "recovery_point_bytes", "log_space_bytes", "why"));
        StringBuilder sb = line(new StringBuilder(), header);
        for (PlanResult r : cases) {
            List<SiteAnswer> all = new ArrayList<>(r.sites());
            all.add(r.fleet());
            for (SiteAnswer a : all) {
                List<String> row = new ArrayList<>(List.of(r.label(), a.site(), Integer.toString(a.vms()), num(a.churnAverageMbps()),
                        num(a.churnPeakSumMbps()), num(a.churnPeakAtOnceMbps()), num(a.meanCapacityMbps()), num(a.ruleOfThumbMbps()),
                        a.ruleOfThumbIrSeconds() == null ? "" : num(a.ruleOfThumbIrSeconds())));
                for (Spread s : List.of(a.needed100(), a.needed95(), a.needed90(), a.irEnd(), a.uplinkUse(), a.worstWithinTarget(),
                        a.resyncs())) {
                    spread(row, s);
                }
                row.addAll(List.of(Long.toString(a.replicaProvisionedBytes()), Long.toString(a.replicaUsedBytes()),
                        Long.toString(a.recoveryPointBytes()), Long.toString(a.logSpaceBytes()), a.why()));
                line(sb, row);
            }
        }
        return sb.toString();
    }

    public static String waves(List<PlanResult> cases) {
        List<String> header = new ArrayList<>(List.of("case", "site", "wave", "start_s", "vms", "used_bytes"));
        spreadHeader(header, "end_s");
        header.add("within_window");
        StringBuilder sb = line(new StringBuilder(), header);
        for (PlanResult r : cases) {
            for (PlanResult.Wave w : r.waves()) {
                List<String> row = new ArrayList<>(List.of(r.label(), w.site(), Integer.toString(w.wave()), Long.toString(w.startSeconds()),
                        Integer.toString(w.vms()), Long.toString(w.usedBytes())));
                spread(row, w.end());
                row.add(Boolean.toString(w.withinWindow()));
                line(sb, row);
            }
        }
        return sb.toString();
    }

    private static void spreadHeader(List<String> header, String name) {
        header.addAll(List.of(name, name + "_min", name + "_max"));
    }

    private static void spread(List<String> row, Spread s) {
        row.add(s.median() == null ? "" : num(s.median()));
        row.add(s.min() == null ? "" : num(s.min()));
        row.add(s.max() == null ? "" : num(s.max()));
    }

    /** A number as a spreadsheet reads it: whole numbers without a fraction, others to 6 significant digits. */
    public static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static StringBuilder line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(i == 0 ? "" : ",").append(c.contains(",") || c.contains("\"") ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
        }
        return sb.append('\n');
    }

}
