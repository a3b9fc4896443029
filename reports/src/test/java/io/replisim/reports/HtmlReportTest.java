package io.replisim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.run.RunRecord;
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
        RunRecord.DiskCheck disk = new RunRecord.DiskCheck("os", 1 << 20, "sha256", "aa", "aa", true);
        RunRecord.VmSummary summary = new RunRecord.VmSummary("hv01", vm, "Replicating", "Normal", Duration.ofSeconds(50),
                1_000_000, 2, 1300, 15_000_000, 2, 0, 1, 1, 0, new RunRecord.Rpo(Duration.ofSeconds(20), Duration.ofSeconds(300),
                Duration.ofSeconds(320), Duration.ofSeconds(320), 10), List.of(disk));
        return new RunRecord(scenario, 1, "bytes", "memory", "2026-01-05T08:00:00+01:00", "Europe/Amsterdam",
                Duration.ofMinutes(10), Duration.ofMinutes(10), 18, false, List.of(summary),
                List.of(new RunRecord.ExpectationResult(vm + " is Replicating by 1m", false, "detail " + QUOTES)),
                List.of(new RunRecord.JobRow("j1", "Enable <b>protection</b>", vm, "Succeeded", "2026-01-05T08:00:00+01:00", Duration.ofMinutes(1))));
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
    void durationsReadLikePeopleWriteThem() {
        assertEquals("2.5s", HtmlReport.human(Duration.ofMillis(2500)));
        assertEquals("1m 30s", HtmlReport.human(Duration.ofSeconds(90)));
        assertEquals("2h", HtmlReport.human(Duration.ofHours(2)));
        assertEquals("1d 3h 5m", HtmlReport.human(Duration.ofMinutes(27 * 60 + 5)));
    }
}
