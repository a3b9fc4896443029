package io.replisim.reports;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.replisim.simulator.sweep.Sweep;
import io.replisim.simulator.sweep.SweepResults;
import io.replisim.simulator.sweep.SweepRow;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A sweep's {@code report.html}: each main figure plotted against the grid's first field (one
 * line per combination of the others, through the seeds' mean, every seed a dot), then the
 * results table. Self-contained, like a run's report: no script, no network.
 */
public final class SweepReport {
    private static final Mustache TEMPLATE = new DefaultMustacheFactory("io/replisim/reports").compile("sweep.html.mustache");
    private static final String[] COLORS = {"#0969da", "#bf3989", "#1a7f37", "#bf8700", "#8250df", "#cf222e", "#1b7c83", "#6e7781"};
    private static final int MAX_TABLE_ROWS = 500;
    private static final double W = 560;
    /** The plot's height; each series' legend line adds {@link #LEGEND_LINE} below the axis. */
    private static final double PLOT_H = 206;
    private static final double LEGEND_LINE = 14;
    private static final double LEFT = 64;
    private static final double RIGHT = 40;
    private static final double TOP = 14;
    private static final double BOTTOM = 40;

    private SweepReport() {}

    /** One figure a chart draws: its title, unit and how to read it from a row (negative: none). */
    private record Figure(String name, String title, String unit, ToDoubleFunction<SweepRow> value) {}

    private static final List<Figure> FIGURES = List.of(
            new Figure("rpo-p95", "RPO p95 of the worst VM", "s", SweepRow::rpoP95Seconds),
            new Figure("rpo-max", "Worst RPO", "s", SweepRow::rpoMaxSeconds),
            new Figure("ir-end", "End of initial replication", "s", SweepRow::irEndSeconds),
            new Figure("resyncs", "Resynchronizations", "", r -> r.resyncs()),
            new Figure("bytes-sent", "Bytes sent", "B", r -> r.bytesSent()),
            new Figure("passed", "Expectations held", "%", r -> r.expectations() == 0 ? -1 : 100.0 * r.expectationsHeld() / r.expectations()));

    public static String render(Sweep sweep, List<SweepRow> rows) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("name", sweep.name());
        page.put("scenario", sweep.scenario().getFileName().toString());
        page.put("points", rows.size());
        page.put("seeds", sweep.seeds().size());
        page.put("failed", rows.stream().filter(r -> !r.passed()).count());
        List<String> grid = new ArrayList<>();
        sweep.axes().forEach(a -> grid.add(a.path() + " = " + String.join(", ", a.values().stream().map(v -> v.isValueNode() ? v.asText() : v.toString()).toList())));
        page.put("grid", grid);
        page.put("xAxis", sweep.axes().get(0).path());
        List<Map<String, String>> charts = new ArrayList<>();
        for (Figure f : FIGURES) {
            if (rows.stream().anyMatch(r -> f.value().applyAsDouble(r) >= 0)) {
                charts.add(Map.of("title", f.title(), "svg", chart(sweep, rows, f)));
            }
        }
        page.put("charts", charts);
        page.put("header", SweepResults.header(sweep).subList(0, 1 + sweep.axes().size() + 2));
        List<List<String>> table = new ArrayList<>();
        for (SweepRow r : rows.subList(0, Math.min(rows.size(), MAX_TABLE_ROWS))) {
            List<String> cells = r.cells();
            table.add(new ArrayList<>(cells.subList(0, 1 + sweep.axes().size() + 2)));
        }
        page.put("rows", table.stream().map(c -> Map.of("cells", c)).toList());
        page.put("figureHeader", List.of("IR end (s)", "RPO p50 (s)", "RPO p95 (s)", "RPO p99 (s)", "RPO max (s)", "resyncs", "bytes sent", "errors"));
        List<List<String>> figures = new ArrayList<>();
        for (SweepRow r : rows.subList(0, Math.min(rows.size(), MAX_TABLE_ROWS))) {
            List<String> c = r.cells();
            int f = 1 + sweep.axes().size();
            figures.add(List.of(c.get(f + 6), c.get(f + 7), c.get(f + 8), c.get(f + 9), c.get(f + 10), c.get(f + 11), c.get(f + 12), c.get(f + 13)));
        }
        List<Map<String, Object>> combined = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            combined.add(Map.of("cells", table.get(i), "figures", figures.get(i)));
        }
        page.put("rows", combined);
        page.put("truncated", rows.size() > MAX_TABLE_ROWS ? "The first " + MAX_TABLE_ROWS + " of " + rows.size() + " rows; results.csv has them all." : null);
        StringWriter out = new StringWriter();
        TEMPLATE.execute(out, page);
        return out.toString();
    }

    /** The figure against the first axis: a line per combination of the other axes through the seeds' mean, a dot per seed. */
    private static String chart(Sweep sweep, List<SweepRow> rows, Figure f) {
        List<String> xs = new ArrayList<>();
        for (int i = 0; i < sweep.axes().get(0).values().size(); i++) {
            xs.add(sweep.axes().get(0).label(i));
        }
        Map<String, List<SweepRow>> series = new LinkedHashMap<>();
        for (SweepRow r : rows) {
            List<String> others = new ArrayList<>();
            for (int a = 1; a < r.values().size(); a++) {
                others.add(sweep.axes().get(a).path() + " = " + r.values().get(a));
            }
            String key = String.join(", ", others);
            series.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        double max = 0;
        for (SweepRow r : rows) {
            max = Math.max(max, f.value().applyAsDouble(r));
        }
        double scale = scale(max, f.unit());
        double top = niceCeiling(max / scale) * scale;
        int legends = series.keySet().stream().anyMatch(k -> !k.isEmpty()) ? series.size() : 0;
        double height = TOP + PLOT_H + BOTTOM + legends * LEGEND_LINE;
        double axisLabelY = TOP + PLOT_H + BOTTOM - 6;
        Svg svg = new Svg("sweep-" + f.name(), W, height, f.title() + " against " + sweep.axes().get(0).path());
        double plotW = W - LEFT - RIGHT;
        double plotH = PLOT_H;
        for (int t = 0; t <= 4; t++) {
            double v = top * t / 4;
            double y = TOP + plotH - plotH * t / 4;
            svg.empty("line", "class", t == 0 ? "baseline" : "grid", "x1", Svg.num(LEFT), "x2", Svg.num(W - RIGHT), "y1", Svg.num(y), "y2", Svg.num(y));
            svg.text("text", format(v, f.unit(), scale), "class", "tick-y", "x", Svg.num(LEFT - 6), "y", Svg.num(y + 4));
        }
        double step = xs.size() == 1 ? 0 : plotW / (xs.size() - 1);
        java.util.function.IntToDoubleFunction xAt = i -> xs.size() == 1 ? LEFT + plotW / 2 : LEFT + step * i;
        for (int i = 0; i < xs.size(); i++) {
            svg.text("text", xs.get(i), "class", "tick-x", "x", Svg.num(xAt.applyAsDouble(i)), "y", Svg.num(TOP + PLOT_H + 16));
        }
        svg.text("text", sweep.axes().get(0).path(), "class", "tick-x", "x", Svg.num(LEFT + plotW / 2), "y", Svg.num(axisLabelY));
        int s = 0;
        for (Map.Entry<String, List<SweepRow>> e : series.entrySet()) {
            String color = COLORS[s++ % COLORS.length];
            Svg.Path mean = new Svg.Path();
            for (int i = 0; i < xs.size(); i++) {
                String x = xs.get(i);
                List<Double> ys = e.getValue().stream().filter(r -> r.values().get(0).equals(x))
                        .map(r -> f.value().applyAsDouble(r)).filter(v -> v >= 0).toList();
                for (int k = 0; k < ys.size(); k++) {
                    double y = TOP + plotH - (top == 0 ? 0 : plotH * ys.get(k) / top);
                    svg.withTitle("circle", (e.getKey().isEmpty() ? "" : e.getKey() + ", ") + x + ": " + format(ys.get(k), f.unit(), scale(ys.get(k), f.unit())),
                            "cx", Svg.num(xAt.applyAsDouble(i)), "cy", Svg.num(y), "r", "3", "fill", color, "fill-opacity", ".45");
                }
                if (!ys.isEmpty()) {
                    double m = ys.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                    double y = TOP + plotH - (top == 0 ? 0 : plotH * m / top);
                    if (mean.isEmpty()) {
                        mean.move(xAt.applyAsDouble(i), y);
                    } else {
                        mean.line(xAt.applyAsDouble(i), y);
                    }
                }
            }
            svg.empty("path", "d", mean.toString(), "fill", "none", "stroke", color, "stroke-width", "2");
            if (!e.getKey().isEmpty()) {
                double y = axisLabelY + LEGEND_LINE * s;
                svg.empty("line", "x1", Svg.num(LEFT), "x2", Svg.num(LEFT + 18), "y1", Svg.num(y - 4), "y2", Svg.num(y - 4), "stroke", color,
                        "stroke-width", "2");
                svg.text("text", e.getKey(), "x", Svg.num(LEFT + 24), "y", Svg.num(y), "style", "fill: " + color + "; font-weight: 600");
            }
        }
        return svg.finish();
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** The unit a figure's ticks are told in: seconds, minutes or hours; bytes in KiB, MiB or GiB. */
    private static double scale(double max, String unit) {
        return switch (unit) {
            case "s" -> max >= 3 * 3600 ? 3600 : max >= 180 ? 60 : 1;
            case "B" -> max >= 1L << 30 ? 1L << 30 : max >= 1L << 20 ? 1L << 20 : 1024;
            default -> 1;
        };
    }

    private static String format(double v, String unit, double scale) {
        String suffix = switch (unit) {
            case "s" -> scale == 3600 ? " h" : scale == 60 ? " min" : " s";
            case "B" -> scale == 1L << 30 ? " GiB" : scale == 1L << 20 ? " MiB" : " KiB";
            case "%" -> " %";
            default -> "";
        };
        return trim(v / scale) + suffix;
    }

    private static String trim(double v) {
        return java.math.BigDecimal.valueOf(Math.round(v * 100) / 100.0).stripTrailingZeros().toPlainString();
    }
}
