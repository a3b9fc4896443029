package io.replisim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The report in a real browser: Debian's headless Chromium opens {@code report.html} of a fresh
 * run, every chart must have drawn, styled elements, the console must stay clean and nothing may
 * be fetched but the page itself. Screenshots stay in {@code target/browser/}. Skips without
 * {@code /usr/bin/chromium}; CI installs it ({@code .ci/run}).
 */
class ReportInBrowserTest {
    static final Path OUT = Path.of("target", "browser").toAbsolutePath();
    static final int WIDTH = 1400;
    static final int HEIGHT = 2000;

    /** Per chart: its size on screen, its drawn elements, and those left without the stylesheet's colours. */
    static final String CHECK = """
            JSON.stringify({
              scripts: document.scripts.length,
              charts: [...document.querySelectorAll('svg.chart')].map(svg => {
                const box = svg.getBoundingClientRect();
                const plot = svg.querySelector('g.plot');
                const shapes = plot ? [...plot.querySelectorAll('rect, path, line, circle, polygon, polyline')] : [];
                const drawn = shapes.filter(e => { const b = e.getBBox(); return b.width > 0 || b.height > 0; });
                const unstyled = [...svg.querySelectorAll('rect.band, path.area')]
                    .filter(e => getComputedStyle(e).fill === 'rgb(0, 0, 0)');
                return { chart: svg.dataset.chart, svg: svg.namespaceURI === 'http://www.w3.org/2000/svg',
                         width: box.width, height: box.height, drawn: drawn.length,
                         unstyled: unstyled.length, ticks: svg.querySelectorAll('text.tick-x').length };
              })
            })""";

    @BeforeEach
    void needsChromium() {
        Assumptions.assumeTrue(Chromium.available(), "no " + Chromium.BINARY + " (Debian package chromium)");
    }

    @Test
    void everyChartRendersInHeadlessChromiumWithoutConsoleErrorsOrRequests() throws Exception {
        Files.createDirectories(OUT);
        Scenario scenario;
        try (InputStream in = getClass().getResourceAsStream("browser-scenario.yaml")) {
            scenario = new ScenarioLoader().parse(Path.of("browser-scenario.yaml"), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        RunRecord record;
        try (Writer trace = Files.newBufferedWriter(OUT.resolve(RunReports.TRACE), StandardCharsets.UTF_8)) {
            record = Simulator.run(scenario, RunOptions.withSeed(scenario.effectiveSeed()).trace(trace));
        }
        RunReports.writeAll(record, OUT);
        Path page = OUT.resolve(RunReports.REPORT);

        try (Chromium chromium = new Chromium(WIDTH, HEIGHT, OUT.resolve("chromium.log"))) {
            String tab = chromium.open(page, WIDTH, HEIGHT);
            JsonNode result = new ObjectMapper().readTree(chromium.evaluate(tab, CHECK).asText());
            chromium.screenshot(tab, OUT.resolve("report.png"), false);
            chromium.screenshot(tab, OUT.resolve("report-full.png"), true);

            assertEquals(0, result.path("scripts").asInt(), "the page runs no script");
            List<String> charts = new ArrayList<>();
            for (JsonNode c : result.path("charts")) {
                String name = ReportInBrowserTest.svgWithASize(c);
                charts.add(name);
                assertTrue(c.path("drawn").asInt() > 0, name + " drew something: " + c);
                assertEquals(0, c.path("unstyled").asInt(), name + ": every band and area has its colour: " + c);
                assertTrue(c.path("ticks").asInt() >= 3, name + " has a time axis: " + c);
            }
            assertEquals(List.of("timeline", "uplink", "pending", "rpo", "pending", "rpo"), charts);
            assertEquals(List.of(), chromium.problems, "console errors or exceptions");
            assertEquals(List.of(), chromium.logErrors(), "errors in Chromium's log");
            assertEquals(List.of(page.toUri().toString()), chromium.requests, "the page fetches nothing but itself");
        }
        assertTrue(Files.size(OUT.resolve("report.png")) > 10_000);
    }

    /** A chart as the page checks found it: parsed as SVG and laid out with a size; its name. */
    static String svgWithASize(JsonNode chart) {
        String name = chart.path("chart").asText();
        assertTrue(chart.path("svg").asBoolean(), name + " is parsed as SVG");
        assertTrue(chart.path("width").asDouble() > 300 && chart.path("height").asDouble() > 100, name + " has a size: " + chart);
        return name;
    }

    @Test
    void theHarnessNoticesConsoleErrorsAndUncaughtExceptions() throws Exception {
        Files.createDirectories(OUT);
        Path broken = OUT.resolve("broken.html");
        Files.writeString(broken, "<!DOCTYPE html><title>broken</title><p>x</p>"
                + "<script>console.error('deliberate'); throw new Error('deliberate uncaught');</script>");
        try (Chromium chromium = new Chromium(800, 600, OUT.resolve("chromium-broken.log"))) {
            chromium.open(broken, 800, 600);
            String problems = String.join("\n", chromium.problems);
            assertTrue(problems.contains("console.error") && problems.contains("deliberate uncaught"), problems);
            assertFalse(chromium.logErrors().isEmpty(), "the log shows the uncaught error too");
        }
    }
}
