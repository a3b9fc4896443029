package io.replisim.reports;

import io.replisim.reports.RunTimeline.Band;
import io.replisim.reports.RunTimeline.Fault;
import io.replisim.reports.RunTimeline.Mark;
import io.replisim.reports.RunTimeline.Retry;
import io.replisim.reports.RunTimeline.VmTrack;
import io.replisim.simulator.replication.VmSummary;
import io.replisim.simulator.run.FleetSeries;
import io.replisim.simulator.run.UplinkSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * The report's charts as server-side SVG: the page needs no script and no network. Every chart
 * is an {@code <svg class="chart">} whose drawing sits in {@code <g class="plot">}; colours come
 * from the page's stylesheet through classes, so the legend and the chart cannot disagree.
 * Series are decimated to at most {@link #MAX_POINTS} vertices.
 */
final class Charts {
    static final int MAX_POINTS = 2000;
    /** Distinct VM colours in the uplink chart; further VMs are summed as "other VMs". */
    static final int VM_COLOURS = 8;

    static final double WIDE = 1200;
    static final double HALF = 590;
    private static final double ROW = 40;
    private static final double AXIS = 34;

    private Charts() {}

    /** The plot area and its time scale. */
    private record Frame(double left, double top, double width, double height, long t0, long t1) {
        double x(long t) {
            return left + (t1 <= t0 ? 0 : (double) (t - t0) / (t1 - t0) * width);
        }

        double right() {
            return left + width;
        }

        double bottom() {
            return top + height;
        }
    }

    /** A value axis: ticks every {@code step} up to {@code max}. */
    record Scale(double max, double step, DoubleFunction<String> label) {
        double y(Frame f, double v) {
            return f.bottom() - (max <= 0 ? 0 : Math.min(v, max * 1.5) / max * f.height());
        }
    }

    // ---- the state timeline ------------------------------------------------------------------

    /** One row per VM: replication state (band) and health (thin band), retries, actions and failovers; faults shaded. */
    static String timeline(RunTimeline run, List<VmTrack> vms, TimeAxis axis) {
        double labelWidth = 160;
        double top = 22;
        double height = Math.max(1, vms.size()) * ROW;
        Frame f = new Frame(labelWidth, top, WIDE - labelWidth - 16, height, 0, run.end());
        Svg svg = new Svg("timeline", WIDE, top + height + AXIS, "Replication state and health per VM over time");
        timeAxis(svg, f, axis);
        faults(svg, f, run, axis, true);
        workloadStopped(svg, f, run, axis, true);
        svg.open("g", "class", "plot");
        for (int i = 0; i < vms.size(); i++) {
            VmTrack vm = vms.get(i);
            double y = top + i * ROW;
            String name = (vm.host == null ? "" : vm.host + " / ") + vm.vm;
            svg.titledText("text", shorten(vm.vm, 22), name, "x", Svg.num(labelWidth - 8), "y", Svg.num(y + 24), "class", "row-label");
            bands(svg, f, vm.states, y + 10, 18, "st-", vm.vm + ": ", axis);
            bands(svg, f, vm.health, y + 30, 5, "h-", vm.vm + " health: ", axis);
            retries(svg, f, vm, y, axis);
            for (Mark m : vm.marks) {
                double x = f.x(m.time());
                double cy = y + 19;
                svg.withTitle("path", vm.vm + ": " + m.label() + " at " + axis.label(m.time()), "class", "mark",
                        "d", new Svg.Path().move(x, cy - 6).line(x + 5, cy).line(x, cy + 6).line(x - 5, cy).closePath().toString());
            }
        }
        svg.close();
        // the faults' outlines over the bands (their shading and tooltips lie beneath)
        svg.open("g", "class", "fault-outlines");
        for (Fault fault : run.faults()) {
            svg.empty("rect", "class", "fault-outline", "x", Svg.num(f.x(fault.from())), "y", Svg.num(f.top()),
                    "width", Svg.num(Math.max(1, f.x(fault.to()) - f.x(fault.from()))), "height", Svg.num(f.height()));
        }
        svg.close();
        return svg.finish();
    }

    /** At most {@code max} characters, with an ellipsis when cut. */
    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    /**
     * One rect per band; a band narrower than a pixel is absorbed by the rect before it (whose
     * tooltip counts it), so a month of flapping costs at most about two rects per pixel.
     */
    private static void bands(Svg svg, Frame f, List<Band> bands, double y, double h, String prefix, String what, TimeAxis axis) {
        int i = 0;
        while (i < bands.size()) {
            Band b = bands.get(i);
            long to = b.to();
            int absorbed = 0;
            while (i + 1 < bands.size() && f.x(bands.get(i + 1).to()) - f.x(bands.get(i + 1).from()) < 1) {
                i++;
                to = bands.get(i).to();
                absorbed++;
            }
            i++;
            double x0 = f.x(b.from());
            double x1 = f.x(to);
            String title = what + b.value() + ", " + axis.label(b.from()) + " to " + axis.label(b.to())
                    + " (" + HtmlReport.human(java.time.Duration.ofNanos(b.to() - b.from())) + ")"
                    + (absorbed == 0 ? "" : ", then " + absorbed + " shorter changes until " + axis.label(to));
            svg.withTitle("rect", title, "class", "band " + prefix + slug(b.value()), "x", Svg.num(x0), "y", Svg.num(y),
                    "width", Svg.num(Math.max(0.5, x1 - x0)), "height", Svg.num(h));
        }
    }

    /** Retry markers, one per pixel column (the highest attempt wins), coloured by ladder rung. */
    private static void retries(Svg svg, Frame f, VmTrack vm, double y, TimeAxis axis) {
        int columns = (int) Math.ceil(f.width()) + 1;
        Retry[] shown = new Retry[columns];
        int[] count = new int[columns];
        for (Retry r : vm.retries) {
            int c = (int) Math.round(f.x(r.time()) - f.left());
            c = Math.max(0, Math.min(columns - 1, c));
            count[c]++;
            if (shown[c] == null || r.attempt() > shown[c].attempt()) {
                shown[c] = r;
            }
        }
        for (int c = 0; c < columns; c++) {
            Retry r = shown[c];
            if (r == null) {
                continue;
            }
            double x = f.x(r.time());
            String title = vm.vm + ": retry " + r.attempt() + " in " + HtmlReport.human(r.delay()) + " at " + axis.label(r.time())
                    + (count[c] > 1 ? " (" + count[c] + " retries here)" : "");
            svg.withTitle("path", title, "class", r.attempt() >= 6 ? "retry retry-late" : "retry",
                    "d", new Svg.Path().move(x - 4, y + 2).line(x + 4, y + 2).line(x, y + 9).closePath().toString());
        }
    }

    // ---- the uplink ----------------------------------------------------------------------------

    /** A VM's share of the uplink chart: its name, colour class and bytes sent, in stacking order. */
    record Stack(String name, String cls, long bytesSent) {}

    /**
     * The uplink chart's figures: what the fluid model allocated (the run's {@link UplinkSeries}),
     * in bins of {@code width} to {@code end}, each bin's mean in bits per second: {@code tops[k]}
     * what stacks 0 to k sent together, what the agents could send over all sites, and what
     * failbacks brought back (drawn apart: it is not sent).
     */
    record UplinkBins(List<Stack> stacks, long width, long end, double[][] tops, double[] capacity, double[] failback) {}

    /** Bins for {@code paths} areas and lines of two points per bin, within the point budget: 150 to 600. */
    static int bandwidthBins(int paths) {
        return Math.max(150, Math.min(600, MAX_POINTS / (2 * Math.max(1, paths))));
    }

    /**
     * Each VM that sent anything is a stack; beyond {@link #VM_COLOURS}, the biggest senders keep
     * a colour (in the run's order) and the rest are summed. The run's bins are merged, a few at a
     * time, to fit the point budget; the stacked tops are summed in whole bits per second before
     * and merged exactly as the capacity is, so a merged bin cannot show more used than available.
     */
    static UplinkBins uplinkBins(UplinkSeries uplink, List<VmSummary> summaries, long end) {
        Map<String, Long> bytes = new HashMap<>();
        summaries.forEach(v -> bytes.put(v.vm(), v.bytesSent()));
        List<UplinkSeries.VmUse> vms = new ArrayList<>();
        long[] capacity = new long[uplink.bins()];
        long[] failback = new long[uplink.bins()];
        for (UplinkSeries.SiteUplink site : uplink.sites()) {
            site.vms().stream().filter(v -> Arrays.stream(v.sentBitsPerSecond()).anyMatch(b -> b > 0)).forEach(vms::add);
            for (int b = 0; b < uplink.bins(); b++) {
                capacity[b] += site.capacityBitsPerSecond()[b];
                failback[b] += site.failbackBitsPerSecond()[b];
            }
        }
        List<UplinkSeries.VmUse> named = vms;
        List<UplinkSeries.VmUse> others = List.of();
        if (vms.size() > VM_COLOURS) {
            List<UplinkSeries.VmUse> biggest = vms.stream()
                    .sorted(Comparator.comparingLong((UplinkSeries.VmUse v) -> -bytes.getOrDefault(v.vm(), 0L))).limit(VM_COLOURS - 1).toList();
            named = vms.stream().filter(biggest::contains).toList();
            others = vms.stream().filter(v -> !biggest.contains(v)).toList();
        }
        List<Stack> stacks = new ArrayList<>();
        List<long[]> tops = new ArrayList<>();
        long[] top = new long[uplink.bins()];
        for (int i = 0; i < named.size(); i++) {
            UplinkSeries.VmUse v = named.get(i);
            stacks.add(new Stack(v.vm(), "c" + i, bytes.getOrDefault(v.vm(), 0L)));
            tops.add(top = plus(top, v.sentBitsPerSecond()));
        }
        if (!others.isEmpty()) {
            long[] sum = top;
            for (UplinkSeries.VmUse v : others) {
                sum = plus(sum, v.sentBitsPerSecond());
            }
            stacks.add(new Stack(others.size() + " other VMs", "c-other", others.stream().mapToLong(v -> bytes.getOrDefault(v.vm(), 0L)).sum()));
            tops.add(sum);
        }
        long width = uplink.binWidth().toNanos();
        int fit = bandwidthBins(stacks.size() + (Arrays.stream(failback).anyMatch(v -> v > 0) ? 2 : 1));
        int merged = Math.max(1, (uplink.bins() + fit - 1) / fit);
        return new UplinkBins(stacks, width * merged, end, tops.stream().map(t -> merge(t, merged, width, end)).toArray(double[][]::new),
                merge(capacity, merged, width, end), merge(failback, merged, width, end));
    }

    private static long[] plus(long[] a, long[] b) {
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    /**
     * Bins of {@code width} to {@code end}, {@code merged} at a time, each the time-weighted mean
     * of its own. Rounding is monotone and the order of operations fixed, so values that are at most
     * others bin by bin stay so.
     */
    private static double[] merge(long[] values, int merged, long width, long end) {
        double[] out = new double[(values.length + merged - 1) / merged];
        for (int m = 0; m < out.length; m++) {
            double sum = 0;
            double time = 0;
            for (int b = m * merged; b < Math.min(values.length, (m + 1) * merged); b++) {
                double w = Math.max(0, Math.min(width, end - (long) b * width));
                sum += values[b] * w;
                time += w;
            }
            out[m] = time > 0 ? sum / time : 0;
        }
        return out;
    }

    /**
     * Uplink bandwidth used, stacked per VM, against what could be sent (dashed), and what
     * failbacks brought back (dotted, not stacked): each bin's mean; faults shaded. Each VM's area
     * is painted from the baseline to its stacked top, the highest first, so the chart costs two
     * points per bin and VM.
     */
    static String uplink(RunTimeline run, TimeAxis axis, UplinkBins bins) {
        double height = 220;
        Frame f = new Frame(72, 22, WIDE - 72 - 16, height, 0, run.end());
        double[] used = bins.tops().length == 0 ? new double[bins.capacity().length] : bins.tops()[bins.tops().length - 1];
        double peak = Math.max(Arrays.stream(used).max().orElse(0), Arrays.stream(bins.failback()).max().orElse(0));
        // the link may dwarf what was used: scale to the capacity only while it is within 20x of the peak use
        double capacityPeak = Arrays.stream(bins.capacity()).max().orElse(0);
        double top = capacityPeak > 0 && (peak == 0 || capacityPeak <= 20 * peak) ? Math.max(peak, capacityPeak) : peak;
        Scale scale = decimalScale(top, new String[] {"bps", "Kbps", "Mbps", "Gbps", "Tbps"});
        Svg svg = new Svg("uplink", WIDE, f.top() + height + AXIS, "Uplink bandwidth available and used per VM over time");
        timeAxis(svg, f, axis);
        valueAxis(svg, f, scale);
        faults(svg, f, run, axis, true);
        workloadStopped(svg, f, run, axis, true);
        svg.open("g", "class", "plot");
        for (int k = bins.stacks().size() - 1; k >= 0; k--) {
            Stack s = bins.stacks().get(k);
            svg.withTitle("path", s.name() + ": " + HtmlReport.Bytes.human(s.bytesSent()) + " sent",
                    "class", "area " + s.cls(), "d", area(f, scale, bins.tops()[k], bins.width(), bins.end()).toString());
        }
        if (Arrays.stream(bins.failback()).anyMatch(v -> v > 0)) {
            svg.withTitle("path", "failback: blocks brought back from Azure over the same link", "class", "failback",
                    "d", steps(f, scale, bins.failback(), bins.width(), bins.end()).toString());
        }
        double[] capacity = Arrays.stream(bins.capacity()).map(c -> Math.min(c, scale.max())).toArray();
        svg.withTitle("path", "available: what the agent may send (link capacity, throttle, outages)",
                "class", "capacity", "d", steps(f, scale, capacity, bins.width(), bins.end()).toString());
        if (bins.stacks().isEmpty()) {
            empty(svg, f, "nothing was sent");
        }
        svg.close();
        return svg.finish();
    }

    // ---- a fleet (from the summary's figures over time, no trace needed) ---------------------------

    /** A fleet chart's frame over [0, end], with the faults shaded when the trace is at hand. */
    private static Frame fleetFrame(Svg svg, Scale scale, long end, TimeAxis axis, RunTimeline run, double height) {
        Frame f = new Frame(72, 22, WIDE - 72 - 16, height, 0, end);
        timeAxis(svg, f, axis);
        valueAxis(svg, f, scale);
        if (run != null) {
            faults(svg, f, run, axis, true);
        }
        svg.open("g", "class", "plot");
        return f;
    }

    /** A per-bin series as a step path, bins of {@code width} to {@code end}; negative values are gaps. */
    private static Svg.Path steps(Frame f, Scale scale, double[] values, long width, long end) {
        Svg.Path p = new Svg.Path();
        boolean pen = false;
        for (int b = 0; b < values.length; b++) {
            if (values[b] < 0) {
                pen = false;
                continue;
            }
            double y = scale.y(f, values[b]);
            double x0 = f.x(b * width);
            double x1 = f.x(Math.min(end, (b + 1) * width));
            if (pen) {
                p.line(x0, y);
            } else {
                p.move(x0, y);
                pen = true;
            }
            p.line(x1, y);
        }
        return p;
    }

    /** An area from the baseline to {@code tops}, per bin. */
    private static Svg.Path area(Frame f, Scale scale, double[] tops, long width, long end) {
        Svg.Path p = new Svg.Path().move(f.left(), f.bottom());
        for (int b = 0; b < tops.length; b++) {
            double y = scale.y(f, tops[b]);
            p.line(f.x(b * width), y).line(f.x(Math.min(end, (b + 1) * width)), y);
        }
        return p.line(f.x(Math.min(end, tops.length * width)), f.bottom()).closePath();
    }

    /** How many VMs were Normal, Warning and Critical (stacked, each bin's mean), and resynchronizing (line). */
    static String fleetHealth(FleetSeries s, int vms, long end, TimeAxis axis, RunTimeline run) {
        long width = s.binWidth().toNanos();
        Scale scale = new Scale(Math.max(1, vms), niceStep(Math.max(1, vms), 4), v -> trim(v));
        Svg svg = new Svg("fleet-health", WIDE, 22 + 200 + AXIS, "VMs in each health over time");
        Frame f = fleetFrame(svg, scale, end, axis, run, 200);
        double[] normal = s.vmsNormal();
        double[] warning = new double[s.bins()];
        double[] critical = new double[s.bins()];
        for (int b = 0; b < s.bins(); b++) {
            warning[b] = normal[b] + s.vmsWarning()[b];
            critical[b] = warning[b] + s.vmsCritical()[b];
        }
        svg.withTitle("path", "Critical", "class", "area h-critical", "d", area(f, scale, critical, width, end).toString());
        svg.withTitle("path", "Warning", "class", "area h-warning", "d", area(f, scale, warning, width, end).toString());
        svg.withTitle("path", "Normal", "class", "area h-normal", "d", area(f, scale, normal, width, end).toString());
        svg.withTitle("path", "resynchronizing or waiting for a resync", "class", "resync-line",
                "d", steps(f, scale, s.vmsResyncing(), width, end).toString());
        svg.close();
        return svg.finish();
    }

    /** The RPO across VMs: the median, 95th percentile and highest of each VM's highest RPO in each bin. */
    static String fleetRpo(FleetSeries s, long end, TimeAxis axis, long copyFrequency, RunTimeline run) {
        return fleetRpo(s, end, axis, copyFrequency, "copy frequency", run);
    }

    /** As {@link #fleetRpo(FleetSeries, long, TimeAxis, long, RunTimeline)} with a dashed line at {@code line} named {@code lineName}. */
    static String fleetRpo(FleetSeries s, long end, TimeAxis axis, long line, String lineName, RunTimeline run) {
        long copyFrequency = line;
        long width = s.binWidth().toNanos();
        double[] p50 = nanos(s.rpoP50Seconds());
        double[] p95 = nanos(s.rpoP95Seconds());
        double[] max = nanos(s.rpoMaxSeconds());
        double peak = Math.max(copyFrequency, Arrays.stream(p95).max().orElse(0));
        Scale scale = durationScale(peak * 1.05);
        Svg svg = new Svg("fleet-rpo", WIDE, 22 + 200 + AXIS, "RPO across the fleet over time");
        Frame f = fleetFrame(svg, scale, end, axis, run, 200);
        if (copyFrequency > 0) {
            double y = scale.y(f, copyFrequency);
            svg.withTitle("path", lineName + ": " + HtmlReport.human(java.time.Duration.ofNanos(copyFrequency)),
                    "class", "threshold", "d", new Svg.Path().move(f.left(), y).line(f.right(), y).toString());
        }
        svg.withTitle("path", "the worst VM (drawn at the top edge beyond 1.5x the scale)", "class", "rpo-max",
                "d", steps(f, scale, max, width, end).toString());
        svg.withTitle("path", "95th percentile of VMs", "class", "rpo-p95", "d", steps(f, scale, p95, width, end).toString());
        svg.withTitle("path", "median VM", "class", "rpo-line", "d", steps(f, scale, p50, width, end).toString());
        if (Arrays.stream(max).allMatch(v -> v < 0)) {
            empty(svg, f, "no recovery point");
        }
        svg.close();
        return svg.finish();
    }

    private static double[] nanos(long[] seconds) {
        return Arrays.stream(seconds).mapToDouble(v -> v < 0 ? -1 : v * 1e9).toArray();
    }

    /** The sites' uplinks together: sent (area), brought back by failbacks (dotted) and what they could send (dashed), each bin's mean. */
    static String fleetUplink(FleetSeries s, long end, TimeAxis axis, RunTimeline run) {
        return fleetUplink(s, end, axis, run, "fleet-uplink", "Bandwidth used and available over all sites");
    }

    /** As above for the sites of {@code s} (one, say), as chart {@code name} labelled {@code label}. */
    static String fleetUplink(FleetSeries s, long end, TimeAxis axis, RunTimeline run, String name, String label) {
        long width = s.binWidth().toNanos();
        double[] sent = new double[s.bins()];
        double[] failback = new double[s.bins()];
        double[] capacity = new double[s.bins()];
        for (FleetSeries.SiteUse site : s.sites()) {
            for (int b = 0; b < s.bins(); b++) {
                sent[b] += site.sentBitsPerSecond()[b];
                failback[b] += site.failbackBitsPerSecond() == null ? 0 : site.failbackBitsPerSecond()[b];
                capacity[b] += site.capacityBitsPerSecond()[b];
            }
        }
        double peak = Math.max(Arrays.stream(sent).max().orElse(0), Arrays.stream(failback).max().orElse(0));
        double capacityPeak = Arrays.stream(capacity).max().orElse(0);
        double top = capacityPeak > 0 && (peak == 0 || capacityPeak <= 20 * peak) ? Math.max(peak, capacityPeak) : peak;
        Scale scale = decimalScale(top, new String[] {"bps", "Kbps", "Mbps", "Gbps", "Tbps"});
        Svg svg = new Svg(name, WIDE, 22 + 200 + AXIS, label);
        Frame f = fleetFrame(svg, scale, end, axis, run, 200);
        svg.withTitle("path", s.sites().size() == 1 ? "sent over " + s.sites().get(0).site() + "'s uplink"
                : "sent over all " + s.sites().size() + " sites' uplinks", "class", "area c0",
                "d", area(f, scale, sent, width, end).toString());
        if (Arrays.stream(failback).anyMatch(v -> v > 0)) {
            svg.withTitle("path", "failback: blocks brought back from Azure over the same links", "class", "failback",
                    "d", steps(f, scale, failback, width, end).toString());
        }
        for (int b = 0; b < capacity.length; b++) {
            capacity[b] = Math.min(capacity[b], scale.max());
        }
        svg.withTitle("path", "available: what the agents may send (capacity, throttles, outages)", "class", "capacity",
                "d", steps(f, scale, capacity, width, end).toString());
        svg.close();
        return svg.finish();
    }

    // ---- per VM ----------------------------------------------------------------------------------

    /** Pending log bytes (step area) against the resync threshold (dashed); resync triggers marked. */
    static String pending(RunTimeline run, VmTrack vm, int index, TimeAxis axis) {
        Frame f = new Frame(72, 14, HALF - 72 - 12, 150, 0, run.end());
        double peak = Math.max(vm.pending.max(), vm.diskBytes > 0 ? vm.diskBytes / 2.0 : 0);
        Scale scale = binaryScale(peak * 1.1);
        String clip = "clip-pending-" + index;
        Svg svg = new Svg("pending", HALF, f.top() + f.height() + AXIS, "Pending log bytes of " + vm.vm + " against its resync threshold");
        openPerVmPlot(svg, f, scale, run, axis, clip);
        // a step series draws two points per vertex
        Series pending = vm.pending.decimate(0, run.end(), MAX_POINTS / 2);
        if (!pending.isEmpty()) {
            // one closed path, filled and outlined: the series starts at 0 (ir.started)
            Svg.Path area = path(f, scale, pending);
            area.line(f.x(pending.time(pending.size() - 1)), f.bottom()).line(f.x(pending.time(0)), f.bottom()).closePath();
            svg.withTitle("path", vm.vm + ": peak " + HtmlReport.Bytes.human((long) vm.pending.max()) + " pending",
                    "class", "pending", "d", area.toString());
        }
        if (!vm.threshold.isEmpty()) {
            svg.withTitle("path", "resync threshold: 50% of " + HtmlReport.Bytes.human(vm.diskBytes)
                            + " (100% during initial replication)",
                    "class", "threshold", "d", path(f, scale, vm.threshold).toString());
        }
        if (vm.diskBytes > scale.max() && vm.irStarted >= 0) {
            // the threshold while initial replication runs is off the scale: say so where it applies
            long to = vm.irFinished >= 0 ? vm.irFinished : run.end();
            double x = Math.min(f.x(vm.irStarted) + 3, f.right() - 150);
            svg.titledText("text", "\u2191 threshold during IR: " + HtmlReport.Bytes.human(vm.diskBytes),
                    "resync threshold " + HtmlReport.Bytes.human(vm.diskBytes) + " (100%) during initial replication, "
                            + axis.label(vm.irStarted) + " to " + axis.label(to),
                    "class", "threshold-label", "x", Svg.num(x), "y", Svg.num(f.top() + 10));
        }
        for (Mark m : vm.resyncRequired) {
            double x = f.x(m.time());
            svg.withTitle("path", vm.vm + ": " + m.label() + " at " + axis.label(m.time()), "class", "resync-mark",
                    "d", new Svg.Path().move(x - 5, f.top()).line(x + 5, f.top()).line(x, f.top() + 8).closePath().toString());
        }
        if (pending.isEmpty() && vm.threshold.isEmpty()) {
            empty(svg, f, "no log was sealed");
        }
        svg.close();
        return svg.finish();
    }

    /** RPO over time: the age of the newest recovery point's data. */
    static String rpo(RunTimeline run, VmTrack vm, int index, TimeAxis axis) {
        Frame f = new Frame(72, 14, HALF - 72 - 12, 150, 0, run.end());
        Series rpo = vm.rpo.decimate(0, run.end(), MAX_POINTS);
        Scale scale = durationScale(Math.max(vm.rpo.max(), run.copyFrequency()) * 1.05);
        String clip = "clip-rpo-" + index;
        Svg svg = new Svg("rpo", HALF, f.top() + f.height() + AXIS, "RPO of " + vm.vm + " over time");
        openPerVmPlot(svg, f, scale, run, axis, clip);
        if (run.copyFrequency() > 0) {
            double y = scale.y(f, run.copyFrequency());
            svg.withTitle("path", "copy frequency: " + HtmlReport.human(java.time.Duration.ofNanos(run.copyFrequency())),
                    "class", "threshold", "d", new Svg.Path().move(f.left(), y).line(f.right(), y).toString());
        }
        if (!rpo.isEmpty()) {
            svg.withTitle("path", vm.vm + ": RPO peaked at " + HtmlReport.human(java.time.Duration.ofNanos((long) vm.rpo.max())),
                    "class", "rpo-line", "d", path(f, scale, rpo).toString());
        } else {
            empty(svg, f, "no recovery point");
        }
        svg.close();
        return svg.finish();
    }

    // ---- pieces ------------------------------------------------------------------------------------

    private static Svg.Path path(Frame f, Scale scale, Series s) {
        Svg.Path p = new Svg.Path();
        boolean pen = false;
        double lastY = 0;
        for (int i = 0; i < s.size(); i++) {
            double v = s.value(i);
            if (Double.isNaN(v)) {
                pen = false;
                continue;
            }
            double x = f.x(s.time(i));
            double y = scale.y(f, v);
            if (!pen) {
                p.move(x, y);
                pen = true;
            } else {
                if (s.step()) {
                    p.line(x, lastY);
                }
                p.line(x, y);
            }
            lastY = y;
        }
        return p;
    }

    /** A per-VM chart's frame: axes, fault bands, the workload's end, then the clipped plot group (left open). */
    private static void openPerVmPlot(Svg svg, Frame f, Scale scale, RunTimeline run, TimeAxis axis, String clip) {
        clip(svg, f, clip);
        timeAxis(svg, f, axis);
        valueAxis(svg, f, scale);
        faults(svg, f, run, axis, false);
        workloadStopped(svg, f, run, axis, false);
        svg.open("g", "class", "plot", "clip-path", "url(#" + clip + ")");
    }

    private static void clip(Svg svg, Frame f, String id) {
        svg.open("defs").open("clipPath", "id", id)
                .empty("rect", "x", Svg.num(f.left()), "y", Svg.num(f.top() - 1), "width", Svg.num(f.width() + 1), "height", Svg.num(f.height() + 1))
                .close().close();
    }

    private static void empty(Svg svg, Frame f, String text) {
        svg.text("text", text, "class", "empty", "x", Svg.num(f.left() + f.width() / 2), "y", Svg.num(f.top() + f.height() / 2));
    }

    /** Fault spans shaded over the plot, labelled above it when {@code labels}. */
    private static void faults(Svg svg, Frame f, RunTimeline run, TimeAxis axis, boolean labels) {
        if (run.faults().isEmpty()) {
            return;
        }
        svg.open("g", "class", "faults");
        for (Fault fault : run.faults()) {
            double x0 = f.x(fault.from());
            double x1 = f.x(fault.to());
            String title = fault.kind() + " (" + fault.scope() + "), " + axis.label(fault.from()) + " to " + axis.label(fault.to())
                    + (fault.cleared() ? "" : " (not cleared)");
            svg.withTitle("rect", title, "class", "fault", "x", Svg.num(x0), "y", Svg.num(f.top()),
                    "width", Svg.num(Math.max(1, x1 - x0)), "height", Svg.num(f.height()));
            if (labels && x1 - x0 > 70) {
                svg.text("text", fault.kind(), "class", "fault-label", "x", Svg.num(x0 + 3), "y", Svg.num(f.top() - 6));
            }
        }
        svg.close();
    }

    /** A dashed line where the workload stopped and the run began to drain its last logs. */
    private static void workloadStopped(Svg svg, Frame f, RunTimeline run, TimeAxis axis, boolean label) {
        long t = run.workloadStopped();
        if (t < 0 || t >= run.end()) {
            return;
        }
        double x = f.x(t);
        svg.withTitle("line", "workload stopped at " + axis.label(t) + "; the run then drains the last logs",
                "class", "stop", "x1", Svg.num(x), "x2", Svg.num(x), "y1", Svg.num(f.top() - (label ? 14 : 0)), "y2", Svg.num(f.bottom()));
        if (label) {
            boolean nearEnd = x > f.right() - 100;
            svg.text("text", "workload stopped", "class", "stop-label" + (nearEnd ? " end" : ""),
                    "x", Svg.num(nearEnd ? x - 3 : x + 3), "y", Svg.num(f.top() - 6));
        }
    }

    private static void timeAxis(Svg svg, Frame f, TimeAxis axis) {
        svg.open("g", "class", "axis");
        int maxTicks = (int) Math.max(3, f.width() / 95);
        for (TimeAxis.Tick tick : axis.ticks(f.t0(), f.t1(), maxTicks)) {
            double x = f.x(tick.time());
            svg.empty("line", "class", "grid", "x1", Svg.num(x), "x2", Svg.num(x), "y1", Svg.num(f.top()), "y2", Svg.num(f.bottom()));
            double y = f.bottom() + 14;
            // labels at the plot's right edge end there, so they are not cut off
            String edge = x > f.right() - 24 ? " end" : "";
            if (!tick.label().isEmpty()) {
                svg.text("text", tick.label(), "x", Svg.num(x), "y", Svg.num(y), "class", "tick-x" + edge);
                y += 13;
            }
            if (tick.day() != null) {
                svg.text("text", tick.day(), "x", Svg.num(x), "y", Svg.num(y), "class", "tick-x day" + edge);
            }
        }
        svg.empty("line", "class", "baseline", "x1", Svg.num(f.left()), "x2", Svg.num(f.right()),
                "y1", Svg.num(f.bottom()), "y2", Svg.num(f.bottom()));
        svg.close();
    }

    private static void valueAxis(Svg svg, Frame f, Scale scale) {
        svg.open("g", "class", "axis");
        for (double v = 0; v <= scale.max() + scale.step() / 1000; v += scale.step()) {
            double y = scale.y(f, v);
            svg.empty("line", "class", v == 0 ? "baseline" : "grid", "x1", Svg.num(f.left()), "x2", Svg.num(f.right()),
                    "y1", Svg.num(y), "y2", Svg.num(y));
            svg.text("text", scale.label().apply(v), "x", Svg.num(f.left() - 6), "y", Svg.num(y + 4), "class", "tick-y");
        }
        svg.close();
    }

    // ---- scales -------------------------------------------------------------------------------------

    /** 1, 2, 5 x 10^n: the smallest with at most {@code ticks} steps to {@code max}. */
    static double niceStep(double max, int ticks) {
        if (max <= 0) {
            return 1;
        }
        double raw = max / ticks;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static Scale unitScale(double peak, double base, String[] units) {
        double unit = 1;
        int u = 0;
        while (u < units.length - 1 && peak / unit >= base) {
            unit *= base;
            u++;
        }
        double stepInUnits = niceStep(Math.max(peak / unit, 1e-9), 4);
        double step = stepInUnits * unit;
        double max = Math.max(step, Math.ceil(peak / step - 1e-9) * step);
        double shown = unit;
        String name = units[u];
        return new Scale(max, step, v -> trim(v / shown) + " " + name);
    }

    static Scale binaryScale(double peak) {
        return unitScale(peak, 1024, new String[] {"B", "KiB", "MiB", "GiB", "TiB", "PiB"});
    }

    static Scale decimalScale(double peak, String[] units) {
        return unitScale(peak, 1000, units);
    }

    private static final long[] DURATION_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
            21600, 43200, 86400, 172800, 604800};

    static Scale durationScale(double peakNanos) {
        double peak = Math.max(peakNanos, 1e9) / 1e9;
        long step = DURATION_STEPS[DURATION_STEPS.length - 1];
        for (long s : DURATION_STEPS) {
            if (peak / s <= 4) {
                step = s;
                break;
            }
        }
        double stepNanos = step * 1e9;
        double max = Math.max(stepNanos, Math.ceil(peakNanos / stepNanos - 1e-9) * stepNanos);
        return new Scale(max, stepNanos, v -> v == 0 ? "0" : HtmlReport.human(java.time.Duration.ofNanos((long) v)));
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** A CSS class name fragment for a state or health value. */
    static String slug(String value) {
        if (value == null) {
            return "unknown";
        }
        String s = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return s.replaceAll("^-|-$", "");
    }
}
