package io.replisim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.sweep.LocalEngine;
import io.replisim.simulator.sweep.Sweep;
import io.replisim.simulator.sweep.SweepResults;
import io.replisim.simulator.sweep.SweepRow;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A sweep's report in headless Chromium: every figure's chart is SVG, has a size, draws a dot per run and a line per series. */
class SweepReportInBrowserTest {
    static final String CHECK = """
            JSON.stringify({
              scripts: document.scripts.length,
              rows: document.querySelectorAll('tbody tr').length,
              charts: [...document.querySelectorAll('svg.chart')].map(svg => {
                const box = svg.getBoundingClientRect();
                const visible = e => { const b = e.getBBox(); return b.width > 0 || b.height > 0; };
                return { chart: svg.dataset.chart, svg: svg.namespaceURI === 'http://www.w3.org/2000/svg',
                         width: box.width, height: box.height,
                         dots: [...svg.querySelectorAll('circle')].filter(visible).length,
                         lines: [...svg.querySelectorAll('path')].filter(visible).length,
                         ticks: svg.querySelectorAll('text.tick-x').length };
              })
            })""";

    @Test
    void everyFigureIsDrawnAgainstTheGridInHeadlessChromium() throws Exception {
        Assumptions.assumeTrue(Chromium.available(), "no " + Chromium.BINARY + " (Debian package chromium)");
        Path dir = ReportInBrowserTest.OUT.resolve("sweep");
        Files.createDirectories(dir);
        try (InputStream in = getClass().getResourceAsStream("browser-scenario.yaml")) {
            Files.write(dir.resolve("base.yaml"), in.readAllBytes());
        }
        Files.writeString(dir.resolve("sweep.yaml"), "scenario: base.yaml\ngrid:\n  site.uplink.bandwidth: [5Mbps, 10Mbps, 20Mbps]\n"
                + "  policy.copyFrequency: [30s, 5m]\n  fidelity: [model]\nseeds: 2\n");
        Sweep sweep = Sweep.load(dir.resolve("sweep.yaml"));
        Files.deleteIfExists(dir.resolve(SweepResults.RESULTS));
        List<SweepRow> rows = SweepResults.run(sweep, dir, new LocalEngine(2, null), SweepResults.Progress.NONE);
        Path page = dir.resolve("report.html");
        Files.writeString(page, SweepReport.render(sweep, rows));

        try (Chromium chromium = new Chromium(1400, 1600, dir.resolve("chromium.log"))) {
            String tab = chromium.open(page, 1400, 1600);
            JsonNode result = new ObjectMapper().readTree(chromium.evaluate(tab, CHECK).asText());
            chromium.screenshot(tab, dir.resolve("sweep-report.png"), true);
            assertEquals(0, result.path("scripts").asInt(), "the page runs no script");
            assertEquals(12, result.path("rows").asInt(), "a table row per run");
            List<String> charts = new ArrayList<>();
            for (JsonNode c : result.path("charts")) {
                String name = ReportInBrowserTest.svgWithASize(c);
                charts.add(name);
                assertEquals(3, c.path("ticks").asInt() - 1, name + ": a tick per bandwidth and the axis' name: " + c);
                assertTrue(c.path("lines").asInt() >= 2, name + ": a line per copy frequency: " + c);
                assertTrue(c.path("dots").asInt() >= 6, name + ": a dot per run drawn: " + c);
            }
            assertTrue(charts.containsAll(List.of("sweep-rpo-p95", "sweep-rpo-max", "sweep-ir-end", "sweep-bytes-sent")), charts.toString());
            assertEquals(List.of(), chromium.problems, "console errors or exceptions");
            assertEquals(List.of(page.toUri().toString()), chromium.requests, "the page fetches nothing but itself");
        }
    }
}
