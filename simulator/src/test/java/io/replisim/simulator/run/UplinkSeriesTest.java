package io.replisim.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.trace.TraceJson;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each VM's use of the uplink over time, as the fluid model allocated it: what the bins hold is
 * what the transfers carried, no bin holds more than the link could carry, failbacks are kept
 * apart from what is sent, and the same seed gives the same figures.
 */
class UplinkSeriesTest {
    private static final ObjectMapper JSON = TraceJson.mapper();

    record Run(RunRecord record, String trace) {}

    private static Run run(String name) throws Exception {
        // model fidelity: the same transfers as bytes, faster
        Scenario s = new ScenarioLoader().load(Path.of("../scenarios/library/" + name + ".yaml")).withFidelity(Fidelity.MODEL);
        StringWriter out = new StringWriter();
        RunRecord r = Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).trace(out));
        return new Run(r, out.toString());
    }

    /** Bytes in {@code bitsPerSecond}'s bins of {@code width}, the last as far as {@code end}. */
    private static double bytes(long[] bitsPerSecond, long width, long end) {
        double bits = 0;
        for (int b = 0; b < bitsPerSecond.length; b++) {
            bits += bitsPerSecond[b] * (Math.min(width, end - b * width) / 1e9);
        }
        return bits / 8;
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-vms-one-uplink", "throttled-work-hours", "bandwidth-profile", "failback"})
    void eachVmsBinsHoldWhatItsTransfersCarriedAndNoBinMoreThanTheLinkCould(String name) throws Exception {
        Run run = run(name);
        UplinkSeries uplink = run.record().uplink();
        long width = uplink.binWidth().toNanos();
        long end = run.record().simulated().toNanos();
        assertEquals((end + width - 1) / width, uplink.bins(), "the bins reach the end of the run, the drain included");
        Map<String, Long> carried = new HashMap<>();
        long failback = 0;
        for (String line : run.trace().lines().toList()) {
            JsonNode e = JSON.readTree(line);
            if (e.get("type").asText().equals("transfer.finished")) {
                if (e.get("kind").asText().equals("failback")) {
                    failback += e.get("bytes").asLong();
                } else {
                    carried.merge(e.get("vm").asText(), e.get("bytes").asLong(), Long::sum);
                }
            }
        }
        for (UplinkSeries.SiteUplink site : uplink.sites()) {
            for (int b = 0; b < uplink.bins(); b++) {
                long used = 0;
                for (UplinkSeries.VmUse vm : site.vms()) {
                    used += vm.sentBitsPerSecond()[b];
                }
                assertTrue(used + site.failbackBitsPerSecond()[b] <= site.capacityBitsPerSecond()[b],
                        name + " bin " + b + ": " + used + " bps sent, " + site.failbackBitsPerSecond()[b] + " brought back, "
                                + site.capacityBitsPerSecond()[b] + " available");
            }
            for (UplinkSeries.VmUse vm : site.vms()) {
                // rounded down to whole bits per second: at most a byte per bin lost
                double inBins = bytes(vm.sentBitsPerSecond(), width, end);
                long sent = carried.getOrDefault(vm.vm(), 0L);
                assertTrue(inBins <= sent && inBins >= sent - uplink.bins() * width / 8e9 - 1,
                        name + " " + vm.vm() + ": " + inBins + " bytes in the bins, " + sent + " carried");
            }
            assertEquals(failback, bytes(site.failbackBitsPerSecond(), width, end), uplink.bins() * width / 8e9 + 1,
                    name + ": what failbacks brought back");
        }
    }

    @Test
    void theSameSeedGivesTheSameFigures() throws Exception {
        UplinkSeries a = run("two-vms-one-uplink").record().uplink();
        UplinkSeries b = run("two-vms-one-uplink").record().uplink();
        assertEquals(a, b, "bin by bin, as a run record compares them");
        assertEquals(a.hashCode(), b.hashCode());
    }
}
