package io.replisim.reports;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.replisim.simulator.plan.PlanResult;
import io.replisim.simulator.plan.PlanResult.SiteAnswer;
import io.replisim.simulator.plan.PlanResult.Spread;
import io.replisim.simulator.plan.PlanResult.VmAnswer;
import java.io.StringWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plan's {@code report.html} (docs/planner.md): per case (the plan, then each what-if) the
 * sites' answers beside the rule of thumb, the bandwidth needed as a chart with its spread over
 * seeds, the fleet over time, the VMs' RPO and the initial replication's waves; the cases side
 * by side. Self-contained, like a run's report: no script, no network.
 */
public final class PlanReport {
    private static final Mustache TEMPLATE = new DefaultMustacheFactory("io/replisim/reports").compile("plan.html.mustache");
    /** VMs listed per case: the worst first; vms.csv has them all. */
    static final int LISTED_VMS = 50;
    private static final double W = 900;
    private static final String[] TARGET_CLASSES = {"q100", "q95", "q90"};

    private PlanReport() {}

    public static String render(List<PlanResult> cases) {
        PlanResult plan = cases.get(0);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("name", plan.plan());
        page.put("vms", plan.vms().size());
        page.put("sites", plan.sites().size());
        page.put("seeds", plan.seeds());
        page.put("target", human(plan.targetRpoSeconds()));
        page.put("horizon", human(plan.horizonSeconds()));
        page.put("precision", String.format(Locale.ROOT, "%.0f%%", plan.precision() * 100));
        page.put("searchHorizon", human(plan.searchHorizonSeconds()));
        page.put("start", plan.start());
        page.put("whatIfs", cases.size() > 1);
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (PlanResult c : cases) {
            rendered.add(renderCase(c));
        }
        page.put("cases", rendered);
        if (cases.size() > 1) {
            page.put("sideHeader", cases.stream().map(PlanResult::label).toList());
            page.put("sideRows", sideBySide(cases));
        }
        StringWriter out = new StringWriter();
        TEMPLATE.execute(out, page);
        return out.toString();
    }

    private static Map<String, Object> renderCase(PlanResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", r.label());
        m.put("isPlan", r.label().equals("plan"));
        List<Map<String, Object>> sites = new ArrayList<>();
        List<SiteAnswer> all = new ArrayList<>(r.sites());
        all.add(r.fleet());
        for (SiteAnswer a : all) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("site", a.site());
            row.put("isFleet", a == r.fleet());
            row.put("vms", a.vms());
            row.put("avg", mbps(a.churnAverageMbps()));
            row.put("peakSum", mbps(a.churnPeakSumMbps()));
            row.put("atOnce", mbps(a.churnPeakAtOnceMbps()));
            row.put("n100", mbps(a.needed100()));
            row.put("n95", mbps(a.needed95()));
            row.put("n90", mbps(a.needed90()));
            row.put("capacity", mbps(a.meanCapacityMbps()));
            row.put("use", share(a.uplinkUse()));
            row.put("within", share(a.worstWithinTarget()));
            row.put("resyncs", count(a.resyncs()));
            row.put("ruleIr", a.ruleOfThumbIrSeconds() == null ? "" : human(a.ruleOfThumbIrSeconds()));
            row.put("irEnd", seconds(a.irEnd()));
            row.put("replicas", HtmlReport.Bytes.human(a.replicaProvisionedBytes()) + " (" + HtmlReport.Bytes.human(a.replicaUsedBytes()) + " used)");
            row.put("points", HtmlReport.Bytes.human(a.recoveryPointBytes()));
            row.put("logs", HtmlReport.Bytes.human(a.logSpaceBytes()));
            row.put("why", a.why());
            sites.add(row);
        }
        m.put("siteRows", sites);
        m.put("neededSvg", neededChart(r));
        if (r.uplink() != null) {
            TimeAxis axis = new TimeAxis(OffsetDateTime.parse(r.start()).toInstant(), ZoneId.of(r.timeZone()));
            long end = r.horizonSeconds() * 1_000_000_000L;
            m.put("uplinkSvg", Charts.fleetUplink(r.uplink(), end, axis, null));
            m.put("rpoSvg", Charts.fleetRpo(r.uplink(), end, axis, r.targetRpoSeconds() * 1_000_000_000L, "target RPO", null));
            m.put("healthSvg", Charts.fleetHealth(r.uplink(), r.vms().size(), end, axis, null));
            m.put("bin", HtmlReport.human(r.uplink().binWidth()));
            List<Map<String, Object>> siteCharts = new ArrayList<>();
            if (r.uplink().sites().size() > 1) {
                for (io.replisim.simulator.run.FleetSeries.SiteUse site : r.uplink().sites()) {
                    var one = new io.replisim.simulator.run.FleetSeries(r.uplink().binWidth(), r.uplink().bins(), List.of(site),
                            r.uplink().vmsNormal(), r.uplink().vmsWarning(), r.uplink().vmsCritical(), r.uplink().vmsResyncing(),
                            r.uplink().rpoP50Seconds(), r.uplink().rpoP95Seconds(), r.uplink().rpoMaxSeconds());
                    siteCharts.add(Map.of("site", site.site(), "svg", Charts.fleetUplink(one, end, axis, null,
                            "plan-uplink-" + slug(r.label()) + "-" + slug(site.site()), "Bandwidth used and available at " + site.site())));
                }
            }
            m.put("siteUplinks", siteCharts);
        }
        m.put("vmRpoSvg", vmRpoChart(r));
        List<VmAnswer> worst = new ArrayList<>(r.vms());
        worst.sort(Comparator.comparingDouble((VmAnswer v) -> v.withinTarget().median() == null ? 1 : v.withinTarget().median())
                .thenComparing(Comparator.comparingDouble((VmAnswer v) -> v.rpoP95().median() == null ? 0 : v.rpoP95().median()).reversed()));
        List<Map<String, Object>> vms = new ArrayList<>();
        for (VmAnswer v : worst.subList(0, Math.min(LISTED_VMS, worst.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("vm", v.vm());
            row.put("site", v.site());
            row.put("host", v.host());
            row.put("size", HtmlReport.Bytes.human(v.provisionedBytes()) + " / " + HtmlReport.Bytes.human(v.usedBytes()));
            row.put("churn", String.format(Locale.ROOT, "%.2f / %.2f MB/s", v.churnAverageMBps(), v.churnPeakMBps()));
            row.put("p50", seconds(v.rpoP50()));
            row.put("p95", seconds(v.rpoP95()));
            row.put("p99", seconds(v.rpoP99()));
            row.put("max", seconds(v.rpoMax()));
            row.put("within", share(v.withinTarget()));
            row.put("resyncs", count(v.resyncs()));
            row.put("pending", HtmlReport.Bytes.human(v.logSpaceBytes()) + " of " + HtmlReport.Bytes.human(v.thresholdBytes()));
            row.put("tolerance", v.outageToleranceSeconds() == null ? "any" : human(v.outageToleranceSeconds()));
            row.put("wave", v.wave() == null ? "" : v.wave().toString());
            row.put("ir", seconds(v.irDuration()));
            row.put("irEnd", seconds(v.irEnd()));
            vms.add(row);
        }
        m.put("vmRows", vms);
        m.put("vmNote", r.vms().size() > LISTED_VMS ? "The " + LISTED_VMS + " worst of " + r.vms().size() + " VMs; vms.csv has them all." : null);
        m.put("wavesSvg", wavesChart(r));
        List<Map<String, Object>> waves = new ArrayList<>();
        for (PlanResult.Wave w : r.waves()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("site", w.site());
            row.put("wave", w.wave());
            row.put("start", human(w.startSeconds()));
            row.put("vms", w.vms());
            row.put("used", HtmlReport.Bytes.human(w.usedBytes()));
            row.put("end", seconds(w.end()));
            row.put("within", w.withinWindow() ? "yes" : "no");
            waves.add(row);
        }
        m.put("waveRows", waves);
        return m;
    }

    /** For each site and the fleet, the figures a planner compares across cases. */
    private static List<Map<String, Object>> sideBySide(List<PlanResult> cases) {
        List<Map<String, Object>> rows = new ArrayList<>();
        PlanResult first = cases.get(0);
        List<String> sites = new ArrayList<>(first.sites().stream().map(SiteAnswer::site).toList());
        sites.add("fleet");
        for (String site : sites) {
            addSide(rows, site, "bandwidth needed, 100% of the time", cases, site, a -> mbps(a.needed100()));
            addSide(rows, site, "bandwidth needed, 95%", cases, site, a -> mbps(a.needed95()));
            addSide(rows, site, "bandwidth needed, 90%", cases, site, a -> mbps(a.needed90()));
            addSide(rows, site, "time within the target RPO (worst VM)", cases, site, a -> share(a.worstWithinTarget()));
            addSide(rows, site, "resyncs", cases, site, a -> count(a.resyncs()));
            addSide(rows, site, "uplink use", cases, site, a -> share(a.uplinkUse()));
            addSide(rows, site, "initial replication ends", cases, site, a -> seconds(a.irEnd()));
        }
        return rows;
    }

    private static void addSide(List<Map<String, Object>> rows, String group, String figure, List<PlanResult> cases, String site,
                                java.util.function.Function<SiteAnswer, String> value) {
        List<String> cells = new ArrayList<>();
        for (PlanResult c : cases) {
            SiteAnswer a = site.equals("fleet") ? c.fleet() : c.sites().stream().filter(s -> s.site().equals(site)).findFirst().orElseThrow();
            cells.add(value.apply(a));
        }
        rows.add(Map.of("site", group, "figure", figure, "cells", cells));
    }

    /** Per site (and the fleet): the rule of thumb, then the bandwidth needed for each target (median, seeds' range as a whisker). */
    static String neededChart(PlanResult r) {
        List<SiteAnswer> all = new ArrayList<>(r.sites());
        if (r.sites().size() > 1) {
            all.add(r.fleet());
        }
        double top = 0;
        for (SiteAnswer a : all) {
            top = Math.max(top, a.ruleOfThumbMbps());
            top = Math.max(top, a.meanCapacityMbps());
            for (Spread s : List.of(a.needed100(), a.needed95(), a.needed90())) {
                top = Math.max(top, s.max() == null ? 0 : s.max());
            }
        }
        Charts.Scale scale = Charts.decimalScale(top * 1e6, new String[] {"bps", "Kbps", "Mbps", "Gbps", "Tbps"});
        double left = 72;
        double plotTop = 14;
        double plotH = 200;
        double rowW = (W - left - 16) / Math.max(1, all.size());
        double legendY = plotTop + plotH + 36;
        Svg svg = new Svg("plan-needed-" + slug(r.label()), W, legendY + 18, "Bandwidth needed per site for the target RPO, beside the rule of thumb");
        for (int t = 0; t <= 4; t++) {
            double v = scale.max() * t / 4;
            double y = plotTop + plotH - plotH * t / 4;
            svg.empty("line", "class", t == 0 ? "baseline" : "grid", "x1", Svg.num(left), "x2", Svg.num(W - 16), "y1", Svg.num(y), "y2", Svg.num(y));
            svg.text("text", scale.label().apply(v), "class", "tick-y", "x", Svg.num(left - 6), "y", Svg.num(y + 4));
        }
        java.util.function.DoubleUnaryOperator y = v -> plotTop + plotH - (scale.max() == 0 ? 0 : plotH * Math.min(v * 1e6, scale.max()) / scale.max());
        for (int i = 0; i < all.size(); i++) {
            SiteAnswer a = all.get(i);
            double x0 = left + i * rowW + rowW * 0.1;
            double barW = rowW * 0.8 / 4;
            svg.withTitle("rect", a.site() + ": rule of thumb (sum of peak churn) " + mbps(a.ruleOfThumbMbps()), "class", "bar rule",
                    "x", Svg.num(x0), "y", Svg.num(y.applyAsDouble(a.ruleOfThumbMbps())), "width", Svg.num(barW * 0.9),
                    "height", Svg.num(plotTop + plotH - y.applyAsDouble(a.ruleOfThumbMbps())));
            Spread[] needed = {a.needed100(), a.needed95(), a.needed90()};
            String[] names = {"100%", "95%", "90%"};
            for (int q = 0; q < 3; q++) {
                double x = x0 + (q + 1) * barW;
                Spread s = needed[q];
                if (s.median() == null) {
                    svg.text("text", "n/r", "class", "tick-x", "x", Svg.num(x + barW * 0.45), "y", Svg.num(plotTop + plotH - 4));
                    continue;
                }
                svg.withTitle("rect", a.site() + ": needed " + names[q] + " of the time: " + mbps(s), "class", "bar " + TARGET_CLASSES[q],
                        "x", Svg.num(x), "y", Svg.num(y.applyAsDouble(s.median())), "width", Svg.num(barW * 0.9),
                        "height", Svg.num(plotTop + plotH - y.applyAsDouble(s.median())));
                if (!s.stable() && s.min() != null) {
                    double cx = x + barW * 0.45;
                    svg.empty("path", "class", "whisker", "d", new Svg.Path().move(cx, y.applyAsDouble(s.min())).line(cx, y.applyAsDouble(s.max()))
                            .move(cx - 3, y.applyAsDouble(s.min())).line(cx + 3, y.applyAsDouble(s.min()))
                            .move(cx - 3, y.applyAsDouble(s.max())).line(cx + 3, y.applyAsDouble(s.max())).toString());
                }
            }
            if (a.meanCapacityMbps() > 0) {
                double cy = y.applyAsDouble(a.meanCapacityMbps());
                svg.withTitle("path", a.site() + ": the uplink's mean capacity " + mbps(a.meanCapacityMbps()), "class", "capacity",
                        "d", new Svg.Path().move(x0 - 2, cy).line(x0 + 4 * barW, cy).toString());
            }
            svg.text("text", a.site(), "class", "tick-x", "x", Svg.num(x0 + 2 * barW), "y", Svg.num(plotTop + plotH + 16));
        }
        String[][] legend = {{"rule", "rule of thumb"}, {"q100", "needed 100%"}, {"q95", "needed 95%"}, {"q90", "needed 90%"}};
        for (int i = 0; i < legend.length; i++) {
            double x = left + i * 130;
            svg.empty("rect", "class", "bar " + legend[i][0], "x", Svg.num(x), "y", Svg.num(legendY - 9), "width", "12", "height", "10");
            svg.text("text", legend[i][1], "x", Svg.num(x + 16), "y", Svg.num(legendY));
        }
        svg.empty("path", "class", "capacity", "d", new Svg.Path().move(left + 4 * 130, legendY - 4).line(left + 4 * 130 + 14, legendY - 4).toString());
        svg.text("text", "uplink's mean capacity", "x", Svg.num(left + 4 * 130 + 18), "y", Svg.num(legendY));
        return svg.finish();
    }

    /** Every VM's RPO p95 (median over seeds, worst first) with the seeds' range, against the target. */
    static String vmRpoChart(PlanResult r) {
        List<VmAnswer> vms = new ArrayList<>(r.vms());
        vms.sort(Comparator.comparingDouble((VmAnswer v) -> v.rpoP95().median() == null ? 0 : v.rpoP95().median()).reversed());
        double top = r.targetRpoSeconds() * 1.2;
        for (VmAnswer v : vms) {
            top = Math.max(top, v.rpoP95().max() == null ? 0 : v.rpoP95().max());
        }
        Charts.Scale scale = Charts.durationScale(top * 1e9);
        double left = 72;
        double plotTop = 14;
        double plotH = 180;
        Svg svg = new Svg("plan-vm-rpo-" + slug(r.label()), W, plotTop + plotH + 30, "RPO p95 of every VM, worst first, against the target RPO");
        for (int t = 0; t <= 4; t++) {
            double v = scale.max() * t / 4;
            double yy = plotTop + plotH - plotH * t / 4;
            svg.empty("line", "class", t == 0 ? "baseline" : "grid", "x1", Svg.num(left), "x2", Svg.num(W - 16), "y1", Svg.num(yy), "y2", Svg.num(yy));
            svg.text("text", scale.label().apply(v), "class", "tick-y", "x", Svg.num(left - 6), "y", Svg.num(yy + 4));
        }
        double plotW = W - left - 16;
        java.util.function.DoubleUnaryOperator y = s -> plotTop + plotH - plotH * Math.min(s * 1e9, scale.max()) / scale.max();
        double step = plotW / Math.max(1, vms.size());
        Svg.Path median = new Svg.Path();
        Svg.Path band = new Svg.Path();
        for (int i = 0; i < vms.size(); i++) {
            Spread s = vms.get(i).rpoP95();
            if (s.median() == null) {
                continue;
            }
            double x = left + step * (i + 0.5);
            if (median.isEmpty()) {
                median.move(x, y.applyAsDouble(s.median()));
            } else {
                median.line(x, y.applyAsDouble(s.median()));
            }
            if (!s.stable()) {
                band.move(x, y.applyAsDouble(s.min())).line(x, y.applyAsDouble(s.max()));
            }
        }
        if (!band.isEmpty()) {
            svg.withTitle("path", "the seeds' range", "class", "whisker", "d", band.toString());
        }
        svg.withTitle("path", "RPO p95 of each VM (median over seeds), worst first", "class", "rpo-line", "d", median.toString());
        double ty = y.applyAsDouble(r.targetRpoSeconds());
        svg.withTitle("path", "target RPO: " + human(r.targetRpoSeconds()), "class", "threshold",
                "d", new Svg.Path().move(left, ty).line(W - 16, ty).toString());
        svg.text("text", vms.size() + " VMs, worst first", "class", "tick-x", "x", Svg.num(left + plotW / 2), "y", Svg.num(plotTop + plotH + 18));
        return svg.finish();
    }

    /** Each site's waves over time: from the wave's start to its last VM replicating (median; the seeds' latest as a whisker). */
    static String wavesChart(PlanResult r) {
        if (r.waves().isEmpty()) {
            return null;
        }
        double end = r.waves().stream().mapToDouble(w -> w.end().max() == null ? w.startSeconds() : w.end().max()).max().orElse(1);
        double left = 120;
        double rowH = 16;
        double plotW = W - left - 16;
        Svg svg = new Svg("plan-waves-" + slug(r.label()), W, Math.max(120, 20 + r.waves().size() * rowH + 30), "Initial replication waves over time");
        Charts.Scale scale = Charts.durationScale(end * 1e9);
        for (int t = 0; t <= 4; t++) {
            double x = left + plotW * t / 4;
            svg.empty("line", "class", "grid", "x1", Svg.num(x), "x2", Svg.num(x), "y1", "10", "y2", Svg.num(14 + r.waves().size() * rowH));
            svg.text("text", scale.label().apply(scale.max() * t / 4), "class", "tick-x", "x", Svg.num(x), "y", Svg.num(28 + r.waves().size() * rowH));
        }
        java.util.function.DoubleUnaryOperator x = s -> left + plotW * Math.min(s * 1e9, scale.max()) / scale.max();
        for (int i = 0; i < r.waves().size(); i++) {
            PlanResult.Wave w = r.waves().get(i);
            double yy = 12 + i * rowH;
            svg.text("text", w.site() + " wave " + w.wave(), "class", "tick-y", "x", Svg.num(left - 6), "y", Svg.num(yy + 10));
            double to = w.end().median() == null ? end : w.end().median();
            svg.withTitle("rect", w.site() + " wave " + w.wave() + ": " + w.vms() + " VMs, " + HtmlReport.Bytes.human(w.usedBytes())
                            + ", from " + human(w.startSeconds()) + " to " + seconds(w.end()) + (w.withinWindow() ? "" : " (beyond its window)"),
                    "class", "bar " + (w.withinWindow() ? "wave" : "wave late"), "x", Svg.num(x.applyAsDouble(w.startSeconds())),
                    "y", Svg.num(yy), "width", Svg.num(Math.max(1, x.applyAsDouble(to) - x.applyAsDouble(w.startSeconds()))),
                    "height", Svg.num(rowH - 4));
            if (w.end().max() != null && !w.end().stable()) {
                svg.empty("path", "class", "whisker", "d", new Svg.Path().move(x.applyAsDouble(to), yy + rowH / 2 - 2)
                        .line(x.applyAsDouble(w.end().max()), yy + rowH / 2 - 2).toString());
            }
        }
        return svg.finish();
    }

    private static String slug(String label) {
        return label.replaceAll("[^A-Za-z0-9]+", "-");
    }

    static String human(double seconds) {
        return HtmlReport.human(Duration.ofSeconds(Math.round(seconds)));
    }

    static String mbps(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f Mbps" : "%.1f Mbps", v);
    }

    static String mbps(Spread s) {
        if (s.median() == null) {
            return "not reached";
        }
        return (s.stable() ? mbps(s.median()) : mbps(s.median()) + String.format(Locale.ROOT, " (%.1f to %.1f)", s.min(), s.max()))
                + (s.missing() > 0 ? ", " + s.missing() + " seeds not reached" : "");
    }

    static String seconds(Spread s) {
        if (s.median() == null) {
            return s.missing() > 0 ? "never" : "";
        }
        return s.stable() ? human(s.median()) : human(s.median()) + " (" + human(s.min()) + " to " + human(s.max()) + ")"
                + (s.missing() > 0 ? ", " + s.missing() + " seeds never" : "");
    }

    static String share(Spread s) {
        if (s.median() == null) {
            return "";
        }
        return s.stable() ? pct(s.median()) : pct(s.median()) + " (" + pct(s.min()) + " to " + pct(s.max()) + ")";
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, v >= 0.9995 || v == 0 ? "%.0f%%" : "%.1f%%", v * 100);
    }

    static String count(Spread s) {
        if (s.median() == null) {
            return "";
        }
        return s.stable() ? String.format(Locale.ROOT, "%.0f", s.median())
                : String.format(Locale.ROOT, "%.1f (%.0f to %.0f)", s.median(), s.min(), s.max());
    }
}
