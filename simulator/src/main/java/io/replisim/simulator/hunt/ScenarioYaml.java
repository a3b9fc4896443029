package io.replisim.simulator.hunt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.Count;
import io.replisim.simulator.scenario.DataRate;
import io.replisim.simulator.scenario.Expectation;
import io.replisim.simulator.scenario.FaultSpec;
import io.replisim.simulator.scenario.Policy;
import io.replisim.simulator.scenario.Resync;
import io.replisim.simulator.scenario.RpoBound;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.Site;
import io.replisim.simulator.scenario.Units;
import io.replisim.simulator.calendar.WeeklyHours;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Scenario} back as a scenario file, in the format {@code ScenarioLoader} reads
 * (scenarios/README.md): human units ({@code 5m}, {@code 64MiB}, {@code 20Mbps},
 * {@code 1MiB/min}), absent fields left out, and the same values once loaded back, so the same
 * seed gives the same run. A CSV profile's path is written as the scenario holds it.
 */
public final class ScenarioYaml {
    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private ScenarioYaml() {}

    /** The scenario file's text, after {@code comments} (each written as a {@code #} line). */
    public static String write(Scenario s, List<String> comments) {
        StringBuilder sb = new StringBuilder();
        for (String c : comments) {
            for (String line : c.split("\n", -1)) {
                sb.append(line.isEmpty() ? "#" : "# " + line).append('\n');
            }
        }
        try {
            sb.append(YAML.writeValueAsString(tree(s)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write scenario " + s.name() + " as YAML", e);
        }
        return sb.toString();
    }

    static Map<String, Object> tree(Scenario s) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "name", s.name());
        put(m, "seed", s.seed());
        put(m, "start", s.start() == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(s.start()));
        put(m, "timeZone", s.timeZone() == null ? null : s.timeZone().getId());
        put(m, "duration", duration(s.duration()));
        put(m, "fidelity", s.fidelity() == null ? null : s.fidelity().label());
        put(m, "policy", policy(s.policy()));
        put(m, "resync", resync(s.resync()));
        put(m, "site", site(s.site()));
        if (!s.faults().isEmpty()) {
            List<Object> faults = new ArrayList<>();
            for (FaultSpec f : s.faults()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                put(fm, "at", duration(f.at()));
                put(fm, "kind", f.kind());
                put(fm, "for", duration(f.lasting()));
                put(fm, "host", f.host());
                put(fm, "vm", f.vm());
                put(fm, "disk", f.disk());
                put(fm, "bytes", f.bytes() == null ? null : size(f.bytes().bytes()));
                put(fm, "requests", f.requests());
                faults.add(fm);
            }
            m.put("faults", faults);
        }
        if (!s.actions().isEmpty()) {
            List<Object> actions = new ArrayList<>();
            for (ActionSpec a : s.actions()) {
                Map<String, Object> am = new LinkedHashMap<>();
                put(am, "at", duration(a.at()));
                put(am, "do", a.action());
                put(am, "vm", a.vm());
                put(am, "recoveryPoint", a.recoveryPoint());
                put(am, "sync", a.sync());
                actions.add(am);
            }
            m.put("actions", actions);
        }
        if (!s.expect().isEmpty()) {
            List<Object> expect = new ArrayList<>();
            for (Expectation e : s.expect()) {
                expect.add(expectation(e));
            }
            m.put("expect", expect);
        }
        return m;
    }

    private static Map<String, Object> policy(Policy p) {
        if (p == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "copyFrequency", duration(p.copyFrequency()));
        put(m, "retention", duration(p.retention()));
        put(m, "appConsistentEvery", duration(p.appConsistentEvery()));
        put(m, "initialReplicationStart", p.initialReplicationStart());
        return m;
    }

    private static Map<String, Object> resync(Resync r) {
        if (r == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "officeHours", hours(r.officeHours()));
        put(m, "blockSize", r.blockSize() == null ? null : size(r.blockSize().bytes()));
        put(m, "automatic", r.automatic());
        return m;
    }

    private static Map<String, Object> site(Site site) {
        if (site == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "kind", site.kind() == null ? null : site.kind() == Site.Kind.VMM_CLOUD ? "vmm-cloud" : "hyperv-site");
        put(m, "name", site.name());
        Site.Uplink u = site.uplink();
        if (u != null) {
            Map<String, Object> um = new LinkedHashMap<>();
            put(um, "bandwidth", u.bandwidth() == null ? null : u.bandwidth().toString());
            put(um, "profile", u.profile());
            if (!u.schedule().isEmpty()) {
                List<Object> schedule = new ArrayList<>();
                for (Site.ScheduledBandwidth b : u.schedule()) {
                    Map<String, Object> bm = new LinkedHashMap<>();
                    put(bm, "hours", hours(b.hours()));
                    put(bm, "bandwidth", b.bandwidth() == null ? null : b.bandwidth().toString());
                    schedule.add(bm);
                }
                um.put("schedule", schedule);
            }
            Site.Throttle t = u.throttle();
            if (t != null) {
                Map<String, Object> tm = new LinkedHashMap<>();
                put(tm, "workHours", hours(t.workHours()));
                put(tm, "workHoursBandwidth", t.workHoursBandwidth() == null ? null : t.workHoursBandwidth().toString());
                put(tm, "offHoursBandwidth", t.offHoursBandwidth() == null ? null : t.offHoursBandwidth().toString());
                um.put("throttle", tm);
            }
            put(um, "latency", duration(u.latency()));
            put(um, "uploadThreads", u.uploadThreads());
            m.put("uplink", um);
        }
        if (site.hosts() != null) {
            List<Object> hosts = new ArrayList<>();
            for (Site.Host h : site.hosts()) {
                Map<String, Object> hm = new LinkedHashMap<>();
                put(hm, "name", h.name());
                put(hm, "volume", h.volume() == null ? null : size(h.volume().bytes()));
                put(hm, "memory", h.memory() == null ? null : size(h.memory().bytes()));
                List<Object> vms = new ArrayList<>();
                for (Site.Vm v : h.vms()) {
                    Map<String, Object> vm = new LinkedHashMap<>();
                    put(vm, "name", v.name());
                    List<Object> disks = new ArrayList<>();
                    for (Site.Disk d : v.disks()) {
                        Map<String, Object> dm = new LinkedHashMap<>();
                        put(dm, "name", d.name());
                        put(dm, "size", d.size() == null ? null : size(d.size().bytes()));
                        put(dm, "used", d.used() == null ? null : size(d.used().bytes()));
                        Site.Churn c = d.churn();
                        if (c != null) {
                            Map<String, Object> cm = new LinkedHashMap<>();
                            put(cm, "rate", c.rate() == null ? null : rate(c.rate()));
                            put(cm, "profile", c.profile());
                            put(cm, "ioSize", c.ioSize() == null ? null : size(c.ioSize().bytes()));
                            if (!c.ioSizes().isEmpty()) {
                                List<Object> mix = new ArrayList<>();
                                for (Site.IoSizeShare share : c.ioSizes()) {
                                    Map<String, Object> sm = new LinkedHashMap<>();
                                    put(sm, "size", share.size() == null ? null : size(share.size().bytes()));
                                    put(sm, "weight", share.weight());
                                    mix.add(sm);
                                }
                                cm.put("ioSizes", mix);
                            }
                            put(cm, "hotspot", c.hotspot());
                            put(cm, "hotShare", c.hotShare());
                            if (c.zipf() != null) {
                                Map<String, Object> zm = new LinkedHashMap<>();
                                put(zm, "exponent", c.zipf().exponent());
                                put(zm, "range", c.zipf().range() == null ? null : size(c.zipf().range().bytes()));
                                cm.put("zipf", zm);
                            }
                            if (!c.hourly().isEmpty()) {
                                cm.put("hourly", new ArrayList<>(c.hourly()));
                            }
                            if (!c.bursts().isEmpty()) {
                                List<Object> bursts = new ArrayList<>();
                                for (Site.Burst b : c.bursts()) {
                                    Map<String, Object> bm = new LinkedHashMap<>();
                                    put(bm, "name", b.name());
                                    put(bm, "at", b.at());
                                    put(bm, "for", duration(b.lasting()));
                                    put(bm, "rate", b.rate() == null ? null : rate(b.rate()));
                                    put(bm, "days", b.days());
                                    bursts.add(bm);
                                }
                                cm.put("bursts", bursts);
                            }
                            dm.put("churn", cm);
                        }
                        disks.add(dm);
                    }
                    vm.put("disks", disks);
                    vms.add(vm);
                }
                hm.put("vms", vms);
                hosts.add(hm);
            }
            m.put("hosts", hosts);
        }
        return m;
    }

    private static Map<String, Object> expectation(Expectation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "vm", e.vm());
        put(m, "state", e.state());
        put(m, "after", duration(e.after()));
        put(m, "by", duration(e.by()));
        put(m, "health", e.health());
        put(m, "at", duration(e.at()));
        put(m, "replicaMatchesSource", e.replicaMatchesSource());
        put(m, "resyncs", count(e.resyncs()));
        put(m, "retries", count(e.retries()));
        put(m, "errors", count(e.errors()));
        RpoBound rpo = e.rpo();
        if (rpo != null) {
            Map<String, Object> rm = new LinkedHashMap<>();
            put(rm, "p50", duration(rpo.p50()));
            put(rm, "p95", duration(rpo.p95()));
            put(rm, "p99", duration(rpo.p99()));
            put(rm, "max", duration(rpo.max()));
            m.put("rpo", rm);
        }
        put(m, "noDataLoss", e.noDataLoss());
        put(m, "maxDataLoss", duration(e.maxDataLoss()));
        put(m, "maxBytesSent", e.maxBytesSent() == null ? null : size(e.maxBytesSent().bytes()));
        return m;
    }

    private static Object count(Count c) {
        if (c == null) {
            return null;
        }
        if (c.atLeast() != null && c.atLeast().equals(c.atMost())) {
            return c.atLeast();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "atLeast", c.atLeast());
        put(m, "atMost", c.atMost());
        return m;
    }

    private static String duration(Duration d) {
        return d == null ? null : Units.formatDuration(d);
    }

    /**
     * A write rate as text that reads back as exactly the same bytes per second (the loader rounds
     * down), in human units: per second, else per minute, else per hour, the first that takes a
     * size of at most four digits in KiB, MiB or GiB ({@code 512KiB/min} for 8738 B/s); failing
     * that, the text with the fewest digits.
     */
    static String rate(DataRate rate) {
        long bps = rate.bytesPerSecond();
        long[] per = {1, 60, 3600};
        String[] names = {"s", "min", "h"};
        long[] units = {1L << 30, 1L << 20, 1L << 10, 1};
        String fallback = size(bps) + "/s";
        for (int i = 0; i < per.length; i++) {
            if (bps > Long.MAX_VALUE / per[i] - (1L << 30)) {
                continue;
            }
            long total = bps * per[i];
            String best = null;
            for (long unit : units) {
                long size = (total + unit - 1) / unit * unit;
                if (size / per[i] != bps) {
                    continue;
                }
                String text = size(size) + "/" + names[i];
                if (unit > 1 && digits(text) <= 4 && (best == null || digits(text) < digits(best))) {
                    best = text;
                }
                if (digits(text) < digits(fallback)) {
                    fallback = text;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return fallback;
    }

    /**
     * A size exactly as the loader reads it back: the largest binary unit that divides it
     * ({@code 64MiB}, {@code 1034KiB}, {@code 1000B}). ({@link Units#formatSize} rounds for people.)
     */
    static String size(long bytes) {
        return Units.exactSize(bytes);
    }

    private static int digits(String text) {
        int n = 0;
        for (int i = 0; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            n++;
        }
        return n;
    }

    /** Weekly hours as the loader reads them, consecutive days as ranges: {@code Mon-Fri 09:00-18:00}. */
    static String hours(WeeklyHours h) {
        if (h == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        DayOfWeek[] days = DayOfWeek.values();
        int i = 0;
        while (i < days.length) {
            if (!h.days().contains(days[i])) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < days.length && h.days().contains(days[j + 1])) {
                j++;
            }
            String first = days[i].getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            String last = days[j].getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            parts.add(i == j ? first : j == i + 1 ? first + "," + last : first + "-" + last);
            i = j + 1;
        }
        return String.join(",", parts) + " " + h.from() + "-" + (h.untilMidnight() ? "24:00" : h.to().toString());
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
