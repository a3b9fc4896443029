package io.replisim.reports;

import io.replisim.simulator.replication.VmSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.UplinkSeries;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    static final String HOSTILE = "<script>alert(1)</script>";
    static final String QUOTES = "x\" onload=\"alert(2)";

    static RunRecord record(String scenario, String vm) {
        VmSummary.DiskCheck disk = new VmSummary.DiskCheck("os", 1 << 20, "sha256", "aa", "aa", true);
        VmSummary summary = new VmSummary("hv01", vm, "Replicating", "Normal", Duration.ofSeconds(50),
                1_000_000, 2, 1300, 15_000_000, 2, 0, 1, 1, 0, new VmSummary.Rpo(Duration.ofSeconds(20), Duration.ofSeconds(300),
                Duration.ofSeconds(320), Duration.ofSeconds(320), 10), List.of(disk));
        return new RunRecord("0.1.0-test", 1, scenario, 1, "bytes", "memory", "2026-01-05T08:00:00+01:00", "Europe/Amsterdam",
                Duration.ofMinutes(10), Duration.ofMinutes(10), 18, false, List.of(summary),
                List.of(new RunRecord.ExpectationResult(vm + " is Replicating by 1m", false, "detail " + QUOTES)),
                List.of(new RunRecord.JobRow("j1", "Enable <b>protection</b>", vm, "Succeeded", "2026-01-05T08:00:00+01:00", Duration.ofMinutes(1))), "full", null,
                uplink(Duration.ofSeconds(10), 60, vm), null, "replisim run scenarios/" + scenario + ".yaml --seed 1");
    }

    /** Uplink figures of {@code vms} on one site: each sends 1 Mbps of the 10 Mbps available, in {@code bins} bins of {@code width}. */
    static UplinkSeries uplink(Duration width, int bins, String... vms) {
        long[] capacity = new long[bins];
        long[] sent = new long[bins];
        java.util.Arrays.fill(capacity, 10_000_000);
        java.util.Arrays.fill(sent, 1_000_000);
        return new UplinkSeries(width, bins, List.of(new UplinkSeries.SiteUplink("site1", capacity, new long[bins],
                java.util.Arrays.stream(vms).map(vm -> new UplinkSeries.VmUse(vm, sent)).toList())));
    }

    static RunRecord withUplink(RunRecord r, Duration simulated, UplinkSeries uplink) {
        return new RunRecord(r.replisim(), r.traceFormat(), r.scenario(), r.seed(), r.fidelity(), r.azure(), r.start(), r.timeZone(),
                r.duration(), simulated, r.events(), r.passed(), r.vms(), r.expectations(), r.jobs(), r.trace(), r.fleet(), uplink,
                r.azuriteLauncher(), r.reproduce());
    }

    /** The synthetic trace with every VM name, fault kind and message made hostile. */
    static RunTimeline hostileTimeline() throws Exception {
        String text = RunTimelineTest.trace().text().replace("\"app01\"", "\"" + HOSTILE.replace("/", "\\/") + "\"")
                .replace("network-outage", "<img src=x onerror=alert(3)>");
        SyntheticTrace extra = new SyntheticTrace();
        return RunTimeline.read(new java.io.BufferedReader(new java.io.StringReader(text
                + extra.at(590, "error", "host", "hv01", "vm", HOSTILE, "code", "</svg><script>x</script>", "recoverable", true,
                        "message", QUOTES).text().lines().skip(1).findFirst().orElseThrow() + "\n")), "hostile");
    }

    @Test
    void aHostileVmNameIsEscapedInEveryChartAndTable() throws Exception {
        RunTimeline timeline = hostileTimeline();
        StringWriter out = new StringWriter();
        HtmlReport.render(record(HOSTILE, HOSTILE), timeline, null, out);
        String html = out.toString();
        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), "no script element anywhere");
        assertFalse(html.contains("<img"), "no injected element");
        assertFalse(html.contains("onload=\"alert"), "no injected attribute");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is shown, escaped");
        // every chart is well-formed XML: an escaped name cannot close an element early
        Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
        int charts = 0;
        while (svg.find()) {
            charts++;
            String chart = svg.group();
            assertTrue(chart.contains("&lt;script&gt;"), "the chart names the VM, escaped");
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(chart.getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals(4, charts, "timeline, uplink, pending, RPO");
    }

    @Test
    void theSvgWriterEscapesTextAndAttributes() {
        Svg svg = new Svg("test", 10, 10, HOSTILE);
        svg.text("text", HOSTILE, "class", QUOTES);
        String out = svg.finish();
        assertFalse(out.contains("<script"), out);
        assertTrue(out.contains("class=\"x&quot; onload=&quot;alert(2)\""), out);
    }

    @Test
    void withoutATraceThePageHasItsTablesAndSaysWhyChartsAreMissing() throws Exception {
        StringWriter out = new StringWriter();
        HtmlReport.render(record("quick", "app01"), null, "there is no trace.jsonl beside this page.", out);
        String html = out.toString();
        assertTrue(html.contains("Charts unavailable:</b> there is no trace.jsonl beside this page."), html);
        assertFalse(html.contains("<svg"));
        assertTrue(html.contains("<h2 id=\"jobs\">Jobs</h2>") && html.contains("Enable &lt;b&gt;protection&lt;/b&gt;"));
    }

    @Test
    void thePageAndJunitXmlNameTheVersionTheTraceFormatAndTheReproduceCommand() throws Exception {
        RunRecord run = record("quick", "app01");
        StringWriter html = new StringWriter();
        HtmlReport.render(run, null, null, html);
        assertTrue(html.toString().contains("replisim <code>0.1.0-test</code>, trace format 1 · reproduce: "
                + "<code>replisim run scenarios/quick.yaml --seed 1</code>"), html.toString());
        StringWriter xml = new StringWriter();
        JunitReport.render(run, xml);
        assertTrue(xml.toString().contains("<property name=\"replisim.version\" value=\"0.1.0-test\"/>"), xml.toString());
        assertTrue(xml.toString().contains("<property name=\"trace.format\" value=\"1\"/>"), xml.toString());
        assertTrue(xml.toString().contains("reproduce: replisim run scenarios/quick.yaml --seed 1"), xml.toString());
        assertFalse(xml.toString().contains("<scenario>"), "no placeholder for the path");
    }

    @Test
    void aSummaryWithoutUplinkFiguresSaysSoInsteadOfGuessingFromTheTrace() throws Exception {
        RunRecord old = withUplink(record("quick", "app01"), Duration.ofMinutes(10), null);
        StringWriter out = new StringWriter();
        HtmlReport.render(old, RunTimelineTest.trace().read(), null, out);
        String html = out.toString();
        assertTrue(html.contains("<b>Chart unavailable:</b> this run&#39;s summary.json has no uplink figures"), html);
        assertFalse(html.contains("data-chart=\"uplink\""));
    }

    @Test
    void thePageIsOfflineAndScriptFree() throws Exception {
        StringWriter out = new StringWriter();
        HtmlReport.render(record("quick", "app01"), RunTimelineTest.trace().read(), null, out);
        String html = out.toString();
        assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"), "a policy forbids fetching and scripts");
        assertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"), "no external URL");
        assertFalse(html.contains("https://"), "no external URL");
        assertFalse(html.contains("<script"));
    }

    @Test
    void aRunOfManyVmsChartsTheMostEventfulOnesAndSaysSo() throws Exception {
        SyntheticTrace trace = new SyntheticTrace();
        for (int i = 0; i < 100; i++) {
            String vm = String.format(Locale.ROOT, "vm%03d", i);
            trace.at(1, "vm.state", "host", "hv01", "vm", vm, "from", "Not enabled", "to", "Replicating")
                    .at(2, "ir.started", "host", "hv01", "vm", vm, "diskBytes", 1000);
        }
        trace.at(5, "resync.required", "host", "hv01", "vm", "vm077", "reason", "log-threshold", "logBytes", 500, "diskBytes", 1000)
                .at(10, "run.finished", "passed", true, "expectationsFailed", 0);
        StringWriter out = new StringWriter();
        HtmlReport.render(record("synthetic", "vm000"), trace.read(), null, out);
        String html = out.toString();
        assertEquals(HtmlReport.CHARTED_VMS, count(html, "data-chart=\"pending\""));
        assertTrue(html.contains("Showing 16 of 100 VMs: those with the most resyncs"), "per-VM note");
        assertTrue(html.contains("Showing 60 of 100 VMs"), "timeline note");
        assertTrue(html.contains("<h3>vm077 "), "the VM that needed a resync is charted");
    }

    @Test
    void everyChartOfALongBusyRunStaysWithinThePointBudget() throws Exception {
        // three VMs, a log, a transfer and a recovery point every 30 s for two days
        SyntheticTrace trace = new SyntheticTrace();
        String[] vms = {"app01", "db01", "web01"};
        for (String vm : vms) {
            trace.at(0, "ir.started", "host", "hv01", "vm", vm, "diskBytes", 1 << 30);
        }
        for (int cycle = 1; cycle <= 2 * 24 * 120; cycle++) {
            double t = cycle * 30.0;
            // health flaps every cycle: the timeline must coalesce its bands
            trace.at(t, "vm.health", "host", "hv01", "vm", "app01", "from", cycle % 2 == 0 ? "Warning" : "Normal",
                    "to", cycle % 2 == 0 ? "Normal" : "Warning");
            for (String vm : vms) {
                trace.at(t, "log.switched", "host", "hv01", "vm", vm, "disk", "os", "sequence", cycle, "bytes", 1000 + cycle % 97, "records", 1)
                        .at(t + 5, "transfer.finished", "host", "hv01", "vm", vm, "disk", "os", "transfer", "log/" + cycle,
                                "kind", "log", "bytes", 1000 + cycle % 97, "duration", "PT5S")
                        .at(t + 6, "log.applied", "vm", vm, "disk", "os", "sequence", cycle, "records", 1, "bytes", 900, "applied", true)
                        .at(t + 6, "recovery-point.created", "vm", vm, "recoveryPoint", "rp-" + cycle, "consistency", "crash",
                                "pointInTime", SyntheticTrace.time(t));
            }
        }
        StringWriter out = new StringWriter();
        Duration twoDays = Duration.ofDays(2);
        RunRecord run = withUplink(record("synthetic", "app01"), twoDays, uplink(Duration.ofMinutes(10), 288, vms));
        HtmlReport.render(run, trace.read(), null, out);
        Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(out.toString());
        int charts = 0;
        while (svg.find()) {
            charts++;
            int points = 0;
            Matcher d = Pattern.compile(" d=\"([^\"]*)\"").matcher(svg.group());
            while (d.find()) {
                points += d.group(1).replaceAll("[^ML]", "").length();
            }
            assertTrue(points <= 2100, "chart " + charts + " has " + points + " points");
            assertTrue(count(svg.group(), "<rect") <= 2 * Charts.WIDE, "chart " + charts + " has at most two rects a pixel");
        }
        assertEquals(1 + 1 + 2 * vms.length, charts);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void durationsReadLikePeopleWriteThem() {
        assertEquals("2.5s", HtmlReport.human(Duration.ofMillis(2500)));
        assertEquals("1m 30s", HtmlReport.human(Duration.ofSeconds(90)));
        assertEquals("2h", HtmlReport.human(Duration.ofHours(2)));
        assertEquals("1d 3h 5m", HtmlReport.human(Duration.ofMinutes(27 * 60 + 5)));
    }
}
