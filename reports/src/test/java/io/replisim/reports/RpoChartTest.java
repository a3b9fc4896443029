package io.replisim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.replication.VmSummary;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-VM RPO chart and the RPO table measure the same thing (HtmlReport.RPO_DEFINITION): on
 * runs with failovers the chart's peak is the table's max, and the time the chart spends at or
 * below the table's p95 is about 95% of the time it draws.
 */
class RpoChartTest {

    @ParameterizedTest
    @ValueSource(strings = {"failback", "planned-failover", "unplanned-failover", "test-failover", "outage-resync"})
    void theChartsPeakIsTheTablesMaxAndItsValuesAgreeWithTheP95(String scenario) throws Exception {
        RunOf run = RunOf.library(scenario);
        for (VmSummary vm : run.record().vms()) {
            Series chart = run.timeline().vm(vm.vm()).rpo;
            assertEquals(vm.rpo().max().toNanos(), (long) chart.max(), scenario + " " + vm.vm() + ": the chart's peak is the table's max");
            double below = shareAtOrBelow(chart, vm.rpo().p95().toNanos());
            assertEquals(0.95, below, 0.02, scenario + " " + vm.vm() + ": the share of the drawn time at or below p95 " + vm.rpo().p95());
        }
        StringWriter out = new StringWriter();
        HtmlReport.render(run.record(), run.timeline(), null, out);
        String html = out.toString();
        for (VmSummary vm : run.record().vms()) {
            String max = HtmlReport.human(vm.rpo().max());
            assertTrue(html.contains("RPO: peak " + max + "."), "the chart's caption says the peak: " + max);
            assertTrue(html.contains("<td class=\"num\">" + max + "</td></tr>"), "the table's max: " + max);
        }
        assertEquals(2, html.split("class=\"note rpo-definition\"", -1).length - 1, "the definition beside the charts and the table");
    }

    @ParameterizedTest
    @ValueSource(strings = {"failback", "unplanned-failover"})
    void noRpoIsDrawnWhileTheVmIsFailedOver(String scenario) throws Exception {
        RunOf run = RunOf.library(scenario);
        RunTimeline.VmTrack vm = run.timeline().vms().iterator().next();
        RunTimeline.Band failedOver = vm.states.stream().filter(b -> b.value().equals("Failover complete")).findFirst().orElseThrow();
        long middle = (failedOver.from() + failedOver.to()) / 2;
        assertTrue(Double.isNaN(vm.rpo.valueAt(middle)), "a gap while failed over");
        assertTrue(Double.isNaN(vm.rpo.valueAt(run.timeline().end())), "nothing after the workload stopped");
    }

    /** The share of the time the linear series spends at or below {@code limit}, over the time it is drawn (gaps left out). */
    private static double shareAtOrBelow(Series s, double limit) {
        double drawn = 0;
        double below = 0;
        for (int i = 0; i + 1 < s.size(); i++) {
            double a = s.value(i);
            double b = s.value(i + 1);
            double span = s.time(i + 1) - s.time(i);
            if (Double.isNaN(a) || Double.isNaN(b) || span == 0) {
                continue;
            }
            drawn += span;
            if (Math.max(a, b) <= limit) {
                below += span;
            } else if (Math.min(a, b) < limit) {
                below += span * (limit - Math.min(a, b)) / Math.abs(b - a);
            }
        }
        return below / drawn;
    }
}
