package io.replisim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The uplink chart draws what the fluid model allocated (the summary's {@code uplink} figures),
 * not each transfer's bytes spread over its duration: used never above available, a burst at
 * the rate the link carried it, failbacks apart from what is sent.
 */
class UplinkChartTest {

    @Test
    void noBinOfAConstrainedUplinkSharedBySixVmsShowsMoreUsedThanAvailable() throws Exception {
        RunOf run = RunOf.resource("shared-uplink.yaml");
        Charts.UplinkBins chart = Charts.uplinkBins(run.record().uplink(), run.record().vms(), run.record().simulated().toNanos());
        assertEquals(6, chart.stacks().size());
        double[] used = chart.tops()[chart.tops().length - 1];
        double busiest = 0;
        for (int b = 0; b < used.length; b++) {
            assertTrue(used[b] <= chart.capacity()[b], "bin " + b + ": " + used[b] + " bps used, " + chart.capacity()[b] + " available");
            for (int k = 1; k < chart.tops().length; k++) {
                assertTrue(chart.tops()[k][b] >= chart.tops()[k - 1][b], "the stacks nest");
            }
            if (chart.capacity()[b] > 0) {
                busiest = Math.max(busiest, used[b] / chart.capacity()[b]);
            }
        }
        assertTrue(busiest > 0.99, "the VMs saturated the link at times: " + busiest);
        String svg = Charts.uplink(run.timeline(), new TimeAxis(run.timeline().start(), run.timeline().zone()), chart);
        assertEquals(6, svg.split("class=\"area ", -1).length - 1, "an area per VM");
    }

    @Test
    void aBurstAfterAnOutageIsDrawnAtTheRateTheLinkCarriedIt() throws Exception {
        RunOf run = RunOf.resource("burst-after-outage.yaml");
        // the initial copy's transfer spans the outage: its bytes over its duration are a fraction of the link's rate
        JsonNode copy = run.trace().lines().map(RunOf::json).filter(e -> e.get("type").asText().equals("transfer.finished")
                && e.get("kind").asText().equals("initial")).findFirst().orElseThrow();
        double spread = copy.get("bytes").asLong() * 8 / (Duration.parse(copy.get("duration").asText()).toNanos() / 1e9);
        assertTrue(spread < 4e6, "spread over its duration, the copy would show " + spread + " bps");
        Charts.UplinkBins chart = Charts.uplinkBins(run.record().uplink(), run.record().vms(), run.record().simulated().toNanos());
        double peak = Arrays.stream(chart.tops()[0]).max().orElseThrow();
        assertEquals(20e6, peak, 1, "the link carried the copy at its full 20 Mbps once it was back");
        long outageFrom = Duration.ofMinutes(3).toNanos();
        long outageTo = Duration.ofMinutes(31).toNanos();
        for (int b = 0; b < chart.capacity().length; b++) {
            if (b * chart.width() >= outageFrom && (b + 1) * chart.width() <= outageTo) {
                assertEquals(0, chart.tops()[0][b], "nothing is drawn sent during the outage, bin " + b);
                assertEquals(0, chart.capacity()[b], "nor available, bin " + b);
            }
        }
    }

    @Test
    void aFailbackIsDrawnApartFromWhatIsSent() throws Exception {
        RunOf run = RunOf.library("failback");
        Charts.UplinkBins chart = Charts.uplinkBins(run.record().uplink(), run.record().vms(), run.record().simulated().toNanos());
        long failedBackAt = run.trace().lines().map(RunOf::json).filter(e -> e.get("type").asText().equals("transfer.started")
                && e.get("kind").asText().equals("failback")).findFirst().map(run::time).orElseThrow();
        int bin = (int) (failedBackAt / chart.width());
        assertTrue(chart.failback()[bin] > 0, "the failback's download is drawn");
        assertEquals(0, chart.tops()[0][bin], "and not stacked on the uploads: the VM sends nothing while failed over");
        String svg = Charts.uplink(run.timeline(), new TimeAxis(run.timeline().start(), run.timeline().zone()), chart);
        assertTrue(svg.contains("class=\"failback\""), "a line of its own");
    }
}
