package io.replisim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.plan.PlanInput;
import io.replisim.simulator.plan.PlanLoader;
import io.replisim.simulator.plan.PlanResult;
import io.replisim.simulator.plan.Planner;
import io.replisim.simulator.plan.WhatIf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A plan's report in headless Chromium, with a what-if: every chart is SVG with a size and draws
 * its bars, lines and waves; the tables list the sites, the VMs and the waves; nothing is fetched.
 */
class PlanReportInBrowserTest {
    static final String CHECK = """
            JSON.stringify({
              scripts: document.scripts.length,
              headings: [...document.querySelectorAll('h2')].map(h => h.textContent),
              siteRows: document.querySelectorAll('tr.fleet').length,
              cells: [...document.querySelectorAll('td')].map(td => td.textContent),
              charts: [...document.querySelectorAll('svg.chart')].map(svg => {
                const box = svg.getBoundingClientRect();
                const visible = e => { const b = e.getBBox(); return b.width > 0 || b.height > 0; };
                return { chart: svg.dataset.chart, svg: svg.namespaceURI === 'http://www.w3.org/2000/svg',
                         width: box.width, height: box.height,
                         bars: [...svg.querySelectorAll('rect.bar')].filter(visible).length,
                         lines: [...svg.querySelectorAll('path')].filter(visible).length };
              })
            })""";

    @Test
    void thePlanAndAWhatIfAreDrawnInHeadlessChromium() throws Exception {
        Assumptions.assumeTrue(Chromium.available(), "no " + Chromium.BINARY + " (Debian package chromium)");
        Path dir = ReportInBrowserTest.OUT.resolve("plan");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("inventory.csv"), """
                vm,host,site,disk,provisioned,used,churn_avg,churn_peak
                app1,hv1,north,os,64,8,0.2,1.0
                app2,hv1,north,os,64,12,0.4,2.0
                sql1,hv2,north,data,128,20,1.0,4.0
                web1,hv3,south,os,64,10,0.1,0.5
                web2,hv3,south,os,64,10,0.3,0.9
                """);
        Files.writeString(dir.resolve("plan.yaml"), """
                name: browser
                start: 2026-03-02T00:00:00+01:00
                timeZone: Europe/Paris
                horizon: 12h
                inventory: inventory.csv
                targetRpo: 15m
                seeds: 2
                sites:
                  - { name: north, uplink: { bandwidth: 40Mbps } }
                  - { name: south, uplink: { bandwidth: 10Mbps } }
                initialReplication: { window: 2h }
                search: { horizon: 12h }
                """);
        PlanInput input = PlanLoader.load(dir.resolve("plan.yaml"));
        List<PlanResult> cases = List.of(Planner.plan(input, "plan", new Planner.Options(2, l -> {})),
                Planner.plan(WhatIf.parse("bandwidth=x2").apply(input), "bandwidth=x2", new Planner.Options(2, l -> {})));
        Path page = dir.resolve("report.html");
        Files.writeString(page, PlanReport.render(cases));

        try (Chromium chromium = new Chromium(1400, 1600, dir.resolve("chromium.log"))) {
            String tab = chromium.open(page, 1400, 1600);
            JsonNode result = new ObjectMapper().readTree(chromium.evaluate(tab, CHECK).asText());
            chromium.screenshot(tab, dir.resolve("plan-report.png"), true);
            assertEquals(0, result.path("scripts").asInt(), "the page runs no script");
            List<String> headings = new ArrayList<>();
            result.path("headings").forEach(h -> headings.add(h.asText()));
            assertEquals(List.of("Side by side", "The plan", "What if bandwidth=x2"), headings);
            assertEquals(4, result.path("siteRows").asInt(), "a fleet row in each case's sites and storage tables");
            List<String> cells = new ArrayList<>();
            result.path("cells").forEach(c -> cells.add(c.asText()));
            assertTrue(cells.containsAll(List.of("north", "south", "fleet", "sql1", "web2")), cells.toString());
            List<String> charts = new ArrayList<>();
            for (JsonNode c : result.path("charts")) {
                String name = ReportInBrowserTest.svgWithASize(c);
                charts.add(name);
                if (name.startsWith("plan-needed")) {
                    assertTrue(c.path("bars").asInt() >= 3 * 4 + 4, name + ": per site and the fleet, the rule of thumb and three targets, and the legend: " + c);
                } else if (name.startsWith("plan-waves")) {
                    assertTrue(c.path("bars").asInt() >= 2, name + ": a bar per wave: " + c);
                } else {
                    assertTrue(c.path("lines").asInt() >= 1, name + ": something drawn: " + c);
                }
            }
            for (String chart : List.of("plan-needed-plan", "plan-needed-bandwidth-x2", "plan-vm-rpo-plan", "plan-waves-plan",
                    "fleet-uplink", "plan-uplink-plan-north", "plan-uplink-plan-south", "fleet-rpo", "fleet-health")) {
                assertTrue(charts.contains(chart), chart + " in " + charts);
            }
            assertEquals(List.of(), chromium.problems, "console errors or exceptions");
            assertEquals(List.of(page.toUri().toString()), chromium.requests, "the page fetches nothing but itself");
        }
    }
}
