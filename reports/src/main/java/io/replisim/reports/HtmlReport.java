package io.replisim.reports;

import io.replisim.simulator.replication.VmSummary;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.replisim.simulator.run.FleetSeries;
import io.replisim.simulator.run.RunRecord;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code report.html}: a self-contained page (no script, no network: its Content-Security-Policy
 * forbids both) rendered by Mustache, which escapes every value, so scenario-supplied text cannot
 * inject markup. Charts are SVG written by {@link Charts} through an escaping XML writer and
 * inserted whole. The page depends only on the summary and the trace, never on the wall clock.
 */
final class HtmlReport {
    private static final Mustache TEMPLATE =
            new DefaultMustacheFactory("io/replisim/reports").compile("report.html.mustache");

    /** Hyper-V's replication states, in the legend's order. */
    static final List<String> STATES = List.of("Not enabled", "Ready for replication",
            "Waiting to complete initial replication", "Replicating", "Resynchronization required", "Resynchronizing",
            "Resynchronization suspended", "Paused", "Error", "Prepared for planned failover", "Failover complete");
    static final List<String> HEALTH = List.of("Normal", "Warning", "Critical");

    /** Limits that keep the page small for runs of thousands of VMs. */
    static final int TIMELINE_ROWS = 60;
    static final int CHARTED_VMS = 16;
    /** A fleet's report lists its worst VMs only, and at most this many rows in any other table. */
    static final int WORST_VMS = 25;
    static final int TABLE_ROWS = 100;
    private static final String WORST = "a replica that differs first, then the worst health at the end, the most resyncs,"
            + " the highest RPO (p99), the most errors";
    private static final String EVENTFUL = "those with the most resyncs, then retries, then the highest RPO";
    /** What every RPO figure on the page measures (the summary's definition, docs/trace.md), said by the charts and the table. */
    static final String RPO_DEFINITION = "RPO: the time since the point in time of the VM's newest recovery point, measured from"
            + " its first point while the workload runs, not while the VM is failed over (Failover complete) or not enabled:"
            + " a failover's data loss is its own figure. The table's p50, p95 and p99 are of samples every 10 s; its max and"
            + " the charts' peaks are exact, so they agree.";

    private HtmlReport() {}

    /** Renders the page; {@code timeline} is null when the trace is not available, with {@code note} saying why. */
    static void render(RunRecord run, RunTimeline timeline, String note, Writer out) throws IOException {
        TEMPLATE.execute(out, model(run, timeline, note)).flush();
    }

    private static Map<String, Object> model(RunRecord run, RunTimeline timeline, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", run);
        m.put("rpoDefinition", RPO_DEFINITION);
        m.put("verdict", run.passed() ? "passed" : "failed");
        m.put("version", run.replisim() == null ? "unknown" : run.replisim());
        m.put("duration", human(run.duration()));
        m.put("simulated", human(run.simulated()));
        ZoneId zone = zone(run, timeline);
        m.put("cards", cards(run, timeline));
        m.put("expectationsHeld", run.expectations().stream().filter(RunRecord.ExpectationResult::passed).count());
        boolean fleet = run.fleet() != null;
        m.put("fleet", fleet);
        List<VmSummary> listed = fleet ? worst(run.vms(), WORST_VMS) : run.vms();
        if (fleet) {
            m.put("vmsNote", listed.size() < run.vms().size() ? "The " + listed.size() + " worst of " + run.vms().size()
                    + " VMs: " + WORST + ". summary.json lists every VM." : null);
        }
        List<Map<String, Object>> vms = new ArrayList<>();
        for (VmSummary vm : listed) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("vm", vm);
            v.put("timeToReplicating", vm.timeToReplicating() == null ? "never" : human(vm.timeToReplicating()));
            v.put("bytesSent", Bytes.human(vm.bytesSent()));
            v.put("irBytes", Bytes.human(vm.initialReplicationBytes()));
            v.put("logBytes", Bytes.human(vm.logBytesShipped()));
            v.put("resyncBytes", Bytes.human(vm.resyncBytesSent()));
            v.put("stateClass", "st-" + Charts.slug(vm.finalState()));
            v.put("healthClass", "h-" + Charts.slug(vm.finalHealth()));
            v.put("hasRpo", vm.rpo() != null);
            if (vm.rpo() != null) {
                v.put("rpoP50", human(vm.rpo().p50()));
                v.put("rpoP95", human(vm.rpo().p95()));
                v.put("rpoP99", human(vm.rpo().p99()));
                v.put("rpoMax", human(vm.rpo().max()));
            }
            vms.add(v);
        }
        m.put("vms", vms);
        List<Map<String, Object>> replicas = new ArrayList<>();
        long disks = 0;
        for (VmSummary vm : run.vms()) {
            for (VmSummary.DiskCheck d : vm.disks()) {
                disks++;
                if ((!fleet || !d.matches()) && replicas.size() < TABLE_ROWS) {
                    replicas.add(row("vm", vm.vm(), "disk", d, "size", Bytes.human(d.sizeBytes())));
                }
            }
        }
        m.put("replicas", replicas);
        m.put("replicasAny", !replicas.isEmpty());
        if (fleet) {
            m.put("replicasNote", replicas.isEmpty() ? "All " + disks + " replicas are identical to their sources."
                    : "The replicas that differ from their sources (" + replicas.size() + " listed); the other disks' are identical.");
        }
        List<Map<String, Object>> jobs = new ArrayList<>();
        List<RunRecord.JobRow> listedJobs = run.jobs();
        if (fleet) {
            Map<String, long[]> counts = new java.util.TreeMap<>();
            for (RunRecord.JobRow j : run.jobs()) {
                long[] c = counts.computeIfAbsent(j.name(), k -> new long[2]);
                c[0]++;
                c[1] += "Succeeded".equals(j.status()) ? 0 : 1;
            }
            List<Map<String, Object>> kinds = new ArrayList<>();
            counts.forEach((name, c) -> kinds.add(row("name", name, "count", Long.toString(c[0]), "other", Long.toString(c[1]))));
            m.put("jobKinds", kinds);
            m.put("jobKindsAny", !kinds.isEmpty());
            listedJobs = run.jobs().stream().filter(j -> !"Succeeded".equals(j.status())).limit(TABLE_ROWS).toList();
            m.put("jobsNote", "Jobs that did not succeed" + (listedJobs.size() == TABLE_ROWS ? ", the first " + TABLE_ROWS : "") + ":");
        }
        for (RunRecord.JobRow j : listedJobs) {
            jobs.add(Map.of("job", j, "started", clock(j.started(), zone),
                    "duration", j.duration() == null ? "" : human(j.duration()),
                    "statusClass", "job-" + Charts.slug(j.status())));
        }
        m.put("jobs", jobs);
        m.put("note", note);
        if (timeline != null) {
            charts(m, run, timeline);
        }
        if (fleet) {
            fleetCharts(m, run, timeline, zone);
        }
        return m;
    }

    /** A fleet's charts from the summary's figures over time, and its sites' uplinks. */
    private static void fleetCharts(Map<String, Object> m, RunRecord run, RunTimeline timeline, ZoneId zone) {
        FleetSeries s = run.fleet();
        Instant start = OffsetDateTime.parse(run.start()).toInstant();
        TimeAxis axis = new TimeAxis(start, zone);
        long end = run.duration().toNanos();
        long copyFrequency = timeline != null ? timeline.copyFrequency() : -1;
        m.put("fleetHealthSvg", Charts.fleetHealth(s, run.vms().size(), end, axis, timeline));
        m.put("fleetRpoSvg", Charts.fleetRpo(s, end, axis, copyFrequency, timeline));
        m.put("fleetUplinkSvg", Charts.fleetUplink(s, end, axis, timeline));
        m.put("fleetFailback", s.sites().stream().anyMatch(site -> site.failbackBitsPerSecond() != null
                && Arrays.stream(site.failbackBitsPerSecond()).anyMatch(v -> v > 0)));
        m.put("fleetBin", human(s.binWidth()));
        List<Map<String, Object>> sites = new ArrayList<>();
        long width = s.binWidth().toNanos();
        for (FleetSeries.SiteUse site : s.sites()) {
            double bits = 0;
            double capacity = 0;
            long peak = 0;
            double busiest = 0;
            for (int b = 0; b < s.bins(); b++) {
                long w = Math.min(width, end - b * width);
                bits += site.sentBitsPerSecond()[b] * (w / 1e9);
                capacity += site.capacityBitsPerSecond()[b] * (w / 1e9);
                peak = Math.max(peak, site.sentBitsPerSecond()[b]);
                if (site.capacityBitsPerSecond()[b] > 0) {
                    busiest = Math.max(busiest, (double) site.sentBitsPerSecond()[b] / site.capacityBitsPerSecond()[b]);
                }
            }
            double seconds = end / 1e9;
            sites.add(row("site", site.site(), "vms", Integer.toString(site.vms()), "sent", Bytes.human((long) (bits / 8)),
                    "mean", Rate.human(bits / seconds), "peak", Rate.human(peak), "capacity", Rate.human(capacity / seconds),
                    "busiest", String.format(Locale.ROOT, "%.0f%%", busiest * 100)));
        }
        m.put("sites", sites);
    }

    /** At most {@link #TABLE_ROWS} rows, with a note under {@code key}Note when some are left out. */
    private static List<Map<String, Object>> capped(Map<String, Object> m, String key, List<Map<String, Object>> rows) {
        if (rows.size() <= TABLE_ROWS) {
            return rows;
        }
        m.put(key + "Note", "The first " + TABLE_ROWS + " of " + rows.size() + "; the trace has them all.");
        return rows.subList(0, TABLE_ROWS);
    }

    /** The VMs that did worst, at most {@code limit}: a differing replica, then health, resyncs, RPO, errors. */
    static List<VmSummary> worst(List<VmSummary> vms, int limit) {
        java.util.Comparator<VmSummary> order = java.util.Comparator
                .comparing((VmSummary v) -> v.disks().stream().allMatch(VmSummary.DiskCheck::matches))
                .thenComparing(v -> -HEALTH.indexOf(v.finalHealth()))
                .thenComparingLong(v -> -v.resyncs())
                .thenComparing(v -> v.rpo() == null ? Duration.ofDays(36500) : v.rpo().p99(), java.util.Comparator.reverseOrder())
                .thenComparingLong(v -> -v.errors())
                .thenComparing(VmSummary::vm);
        return vms.stream().sorted(order).limit(limit).toList();
    }

    private static ZoneId zone(RunRecord run, RunTimeline timeline) {
        if (timeline != null && timeline.zone() != null) {
            return timeline.zone();
        }
        try {
            return ZoneId.of(run.timeZone());
        } catch (RuntimeException e) {
            return java.time.ZoneOffset.UTC;
        }
    }

    private static List<Map<String, Object>> cards(RunRecord run, RunTimeline timeline) {
        List<Map<String, Object>> cards = new ArrayList<>();
        long held = run.expectations().stream().filter(RunRecord.ExpectationResult::passed).count();
        long disks = run.vms().stream().mapToLong(v -> v.disks().size()).sum();
        long identical = run.vms().stream().flatMap(v -> v.disks().stream()).filter(VmSummary.DiskCheck::matches).count();
        cards.add(card("expectations held", held + " of " + run.expectations().size(), held == run.expectations().size()));
        cards.add(card("replicas identical", identical + " of " + disks, identical == disks));
        cards.add(card("VMs", Integer.toString(run.vms().size()), null));
        cards.add(card("sent over the uplink", Bytes.human(run.vms().stream().mapToLong(VmSummary::bytesSent).sum()), null));
        long resyncs = run.vms().stream().mapToLong(VmSummary::resyncs).sum();
        cards.add(card("resyncs", Long.toString(resyncs), resyncs == 0 ? null : Boolean.FALSE));
        long retries = run.vms().stream().mapToLong(VmSummary::retries).sum();
        cards.add(card("retries", Long.toString(retries), null));
        if (timeline != null) {
            cards.add(card("failovers", Integer.toString(timeline.failovers().size()), null));
            cards.add(card("faults", Integer.toString(timeline.faults().size()), null));
        }
        return cards;
    }

    private static Map<String, Object> card(String label, String value, Boolean good) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("label", label);
        c.put("value", value);
        c.put("cls", good == null ? "" : good ? "good" : "bad");
        return c;
    }

    private static void charts(Map<String, Object> m, RunRecord run, RunTimeline t) {
        TimeAxis axis = new TimeAxis(t.start(), t.zone());
        m.put("zone", t.zone().getId() + " (UTC" + axis.at(0).getOffset().getId().replace("Z", "+00:00") + " at the start)");
        List<RunTimeline.VmTrack> replicated = t.vms().stream()
                .filter(vm -> !(vm.states.isEmpty() && vm.pending.isEmpty() && vm.rpo.isEmpty())).toList();
        List<RunTimeline.VmTrack> rows = mostEventful(replicated, TIMELINE_ROWS);
        List<RunTimeline.VmTrack> charted = mostEventful(replicated, CHARTED_VMS);
        m.put("timelineSvg", Charts.timeline(t, rows, axis));
        if (rows.size() < replicated.size()) {
            m.put("timelineNote", "Showing " + rows.size() + " of " + replicated.size() + " VMs: " + EVENTFUL + ".");
        }
        if (charted.size() < replicated.size()) {
            m.put("perVmNote", "Showing " + charted.size() + " of " + replicated.size() + " VMs: " + EVENTFUL + ".");
        }
        Set<String> states = new LinkedHashSet<>();
        Set<String> health = new LinkedHashSet<>();
        for (RunTimeline.VmTrack vm : t.vms()) {
            vm.states.forEach(b -> states.add(b.value()));
            vm.health.forEach(b -> health.add(b.value()));
        }
        m.put("states", legend(STATES, states, "st-"));
        m.put("health", legend(HEALTH, health, "h-"));
        boolean anyRetry = t.vms().stream().anyMatch(v -> !v.retries.isEmpty());
        boolean anyMark = t.vms().stream().anyMatch(v -> !v.marks.isEmpty());
        m.put("anyRetry", anyRetry);
        m.put("anyMark", anyMark);
        m.put("anyFault", !t.faults().isEmpty());
        m.put("anyStop", t.workloadStopped() >= 0 && t.workloadStopped() < t.end());
        if (run.uplink() != null) {
            Charts.UplinkBins uplink = Charts.uplinkBins(run.uplink(), run.vms(), run.simulated().toNanos());
            m.put("uplinkSvg", Charts.uplink(t, axis, uplink));
            m.put("stacks", uplink.stacks());
            m.put("anyFailback", Arrays.stream(uplink.failback()).anyMatch(v -> v > 0));
            m.put("binWidth", human(Duration.ofNanos(uplink.width())));
        } else {
            m.put("uplinkNote", "this run's " + RunReports.SUMMARY + " has no uplink figures (an older replisim wrote it):"
                    + " run the scenario again to draw what the uplink carried.");
        }
        List<Map<String, Object>> perVm = new ArrayList<>();
        int i = 0;
        for (RunTimeline.VmTrack vm : charted) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("vm", vm.vm);
            v.put("host", vm.host);
            v.put("pendingSvg", Charts.pending(t, vm, i, axis));
            v.put("rpoSvg", Charts.rpo(t, vm, i, axis));
            v.put("peakPending", Bytes.human((long) vm.pending.max()));
            v.put("threshold", vm.diskBytes < 0 ? "unknown (no ir.started)" : Bytes.human(vm.diskBytes / 2));
            v.put("peakRpo", vm.rpo.isEmpty() ? "none" : human(Duration.ofNanos((long) vm.rpo.max())));
            v.put("resyncsRequired", vm.resyncRequired.size());
            perVm.add(v);
            i++;
        }
        m.put("perVm", perVm);
        List<Map<String, Object>> faults = new ArrayList<>();
        for (RunTimeline.Fault f : t.faults()) {
            faults.add(row("kind", f.kind(), "scope", f.scope(), "from", axis.label(f.from()),
                    "to", f.cleared() ? axis.label(f.to()) : "end of run", "lasted", human(Duration.ofNanos(f.to() - f.from()))));
        }
        m.put("faults", faults);
        m.put("faultsAny", !faults.isEmpty());
        List<Map<String, Object>> resyncs = new ArrayList<>();
        for (RunTimeline.Resync r : t.resyncs()) {
            resyncs.add(row("vm", r.vm, "required", r.required < 0 ? "" : axis.label(r.required),
                    "reason", r.reason == null ? "" : r.reason,
                    "figures", r.logBytes < 0 ? "" : Bytes.human(r.logBytes) + " of " + Bytes.human(r.diskBytes),
                    "started", r.started < 0 ? "not started" : axis.label(r.started), "trigger", r.trigger == null ? "" : r.trigger,
                    "finished", r.finished < 0 ? (r.started < 0 ? "" : "not finished") : axis.label(r.finished),
                    "took", r.finished < 0 || r.started < 0 ? "" : human(Duration.ofNanos(r.finished - r.started)),
                    "sent", r.bytesSent < 0 ? "" : Bytes.human(r.bytesSent) + " (" + r.blocksSent + " of " + r.blocksCompared + " blocks)"));
        }
        m.put("resyncs", capped(m, "resyncs", resyncs));
        m.put("resyncsAny", !resyncs.isEmpty());
        List<Map<String, Object>> failovers = new ArrayList<>();
        for (RunTimeline.Failover f : t.failovers()) {
            failovers.add(row("vm", f.vm(), "kind", f.kind(), "at", axis.label(f.time()), "recoveryPoint", f.recoveryPoint(),
                    "pointInTime", clock(f.pointInTime(), t.zone()), "azureVm", f.azureVm(), "network", f.virtualNetwork(),
                    "dataLoss", f.dataLoss() == null ? "" : f.dataLoss().isZero() ? "none" : human(f.dataLoss()),
                    "blocksLost", Long.toString(f.blocksLost()), "verified", f.verified()));
        }
        m.put("failovers", capped(m, "failovers", failovers));
        m.put("failoversAny", !failovers.isEmpty());
        List<Map<String, Object>> actions = new ArrayList<>();
        for (RunTimeline.ActionRow a : t.actions()) {
            actions.add(row("vm", a.vm() == null ? "(all)" : a.vm(), "at", axis.label(a.time()), "action", a.action(),
                    "refused", a.refusedBecause() != null, "reason", a.refusedBecause() == null ? "" : a.refusedBecause()));
        }
        m.put("actions", capped(m, "actions", actions));
        m.put("actionsAny", !actions.isEmpty());
        List<Map<String, Object>> errors = new ArrayList<>();
        for (RunTimeline.ErrorCount e : t.errors()) {
            errors.add(row("vm", e.vm() == null ? "" : e.vm(), "code", e.code(), "recoverable", e.recoverable(),
                    "count", Long.toString(e.count()), "first", axis.label(e.first()), "last", axis.label(e.last()),
                    "message", e.message() == null ? "" : e.message()));
        }
        m.put("errors", capped(m, "errors", errors));
        m.put("errorsAny", !errors.isEmpty());
    }

    /**
     * At most {@code limit} VMs, in their trace order: those with the most resyncs, then retries,
     * then the highest RPO, so a run of thousands of VMs keeps a readable, small page.
     */
    static List<RunTimeline.VmTrack> mostEventful(List<RunTimeline.VmTrack> vms, int limit) {
        if (vms.size() <= limit) {
            return vms;
        }
        Set<RunTimeline.VmTrack> keep = new java.util.HashSet<>(vms.stream()
                .sorted(java.util.Comparator.comparingInt((RunTimeline.VmTrack v) -> -v.resyncRequired.size())
                        .thenComparingInt(v -> -v.retries.size())
                        .thenComparingDouble(v -> -v.rpo.max())
                        .thenComparing(v -> v.vm))
                .limit(limit).toList());
        return vms.stream().filter(keep::contains).toList();
    }

    private static List<Map<String, Object>> legend(List<String> order, Set<String> seen, String prefix) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> all = new ArrayList<>(order);
        seen.stream().filter(s -> !order.contains(s)).forEach(all::add);
        for (String s : all) {
            if (seen.contains(s)) {
                out.add(row("name", s, "cls", prefix + Charts.slug(s)));
            }
        }
        return out;
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** An ISO time as {@code Mon 5 Jan 08:01:26} in the zone; unparseable text is shown as it is. */
    static String clock(String iso, ZoneId zone) {
        if (iso == null) {
            return "";
        }
        try {
            return TimeAxis.FULL.format(OffsetDateTime.parse(iso).atZoneSameInstant(zone));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    static String human(Duration d) {
        if (d == null) {
            return "";
        }
        long s = d.getSeconds();
        if (s < 60) {
            if (s < 10 && d.toMillis() % 1000 != 0) {
                return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
            }
            return s + "s";
        }
        StringBuilder sb = new StringBuilder();
        if (s >= 86400) {
            sb.append(s / 86400).append("d ");
        }
        if (s >= 3600 && s % 86400 / 3600 != 0) {
            sb.append(s % 86400 / 3600).append("h ");
        }
        if (s % 3600 / 60 != 0 || s < 3600) {
            sb.append(s % 3600 / 60).append("m");
        }
        if (s % 60 != 0 && s < 3600) {
            sb.append(' ').append(s % 60).append('s');
        }
        return sb.toString().trim();
    }

    /** Bits per second, in decimal units. */
    static final class Rate {
        private Rate() {}

        static String human(double bitsPerSecond) {
            return scaled(bitsPerSecond, 1000, new String[] {"bps", "Kbps", "Mbps", "Gbps", "Tbps"});
        }
    }

    /** Byte counts for people. */
    static final class Bytes {
        private Bytes() {}

        static String human(long bytes) {
            return scaled(bytes, 1024, new String[] {"B", "KiB", "MiB", "GiB", "TiB"});
        }
    }

    /** {@code value} in the largest of {@code units} (each {@code base} times the last) that keeps it at least 1; whole numbers in the first. */
    private static String scaled(double value, double base, String[] units) {
        double v = value;
        int u = 0;
        while (u < units.length - 1 && v >= base) {
            v /= base;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}
