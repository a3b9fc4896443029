package io.replisim.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.trace.TraceJson;
import io.replisim.simulator.trace.TraceLevel;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fleet's figures over time, gathered while the run goes, against what the full trace of the
 * same run says: health and RPO bin by bin, bytes sent in all, and never more sent than the
 * uplink could carry.
 */
class FleetSeriesTest {
    private static final ObjectMapper JSON = TraceJson.mapper();

    record Event(long t, JsonNode e) {}

    /** A run's full trace and its fleet figures (from a run without a trace), bins of {@code width} to {@code end}. */
    record Run(List<Event> trace, FleetSeries fleet, long width, long end) {}

    private static Run run(String name) throws Exception {
        Scenario s = new ScenarioLoader().load(Path.of("../scenarios/library/" + name + ".yaml")).withFidelity(Fidelity.MODEL); // model: the same events, faster
        StringWriter out = new StringWriter();
        // a full trace and the fleet figures: a run without a full trace always has them
        RunRecord full = Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).trace(out).traceLevel(TraceLevel.FULL));
        RunRecord none = Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).traceLevel(TraceLevel.NONE));
        List<Event> events = new ArrayList<>();
        Instant start = null;
        for (String line : out.toString().lines().toList()) {
            JsonNode e = JSON.readTree(line);
            Instant t = OffsetDateTime.parse(e.get("t").asText()).toInstant();
            start = start == null ? t : start;
            events.add(new Event(Duration.between(start, t).toNanos(), e));
        }
        return new Run(events, none.fleet(), none.fleet().binWidth().toNanos(), full.duration().toNanos());
    }

    private static long nanos(JsonNode e, String field, Instant start) {
        return Duration.between(start, OffsetDateTime.parse(e.get(field).asText()).toInstant()).toNanos();
    }

    @ParameterizedTest
    @ValueSource(strings = {"outage-short", "outage-resync", "vm-not-found"})
    void oneVmsHealthAndRpoPerBinAreWhatItsTraceSays(String name) throws Exception {
        Run run = run(name);
        List<Event> trace = run.trace();
        FleetSeries fleet = run.fleet();
        long width = run.width();
        long end = run.end();
        assertEquals((end + width - 1) / width, fleet.bins());
        Instant start = OffsetDateTime.parse(trace.get(0).e().get("t").asText()).toInstant();
        // health: the time in each health per bin, from vm.health
        double[][] health = new double[3][fleet.bins()];
        int level = 0;
        long since = 0;
        // resyncing: the time spent requiring or running a resync per bin, from vm.state
        double[] resyncing = new double[fleet.bins()];
        List<String> resyncStates = List.of("Resynchronization required", "Resynchronizing", "Resynchronization suspended");
        long resyncSince = -1;
        List<String> names = List.of("Normal", "Warning", "Critical");
        List<long[]> points = new ArrayList<>(); // (created, pointInTime)
        for (Event ev : trace) {
            String type = ev.e().get("type").asText();
            if (type.equals("vm.health")) {
                add(health[level], since, ev.t(), width, end);
                level = names.indexOf(ev.e().get("to").asText());
                since = ev.t();
            } else if (type.equals("vm.state")) {
                boolean resync = resyncStates.contains(ev.e().get("to").asText());
                if (resync && resyncSince < 0) {
                    resyncSince = ev.t();
                } else if (!resync && resyncSince >= 0) {
                    add(resyncing, resyncSince, ev.t(), width, end);
                    resyncSince = -1;
                }
            } else if (type.equals("recovery-point.created")) {
                points.add(new long[] {ev.t(), nanos(ev.e(), "pointInTime", start)});
            }
        }
        add(health[level], since, end, width, end);
        if (resyncSince >= 0) {
            add(resyncing, resyncSince, end, width, end);
        }
        assertEquals(name.equals("outage-resync"), java.util.Arrays.stream(resyncing).sum() > 0, "a resync where the scenario has one");
        for (int b = 0; b < fleet.bins(); b++) {
            long w = Math.min(width, end - b * width);
            assertEquals(health[0][b] / w, fleet.vmsNormal()[b], 0.006, "Normal in bin " + b);
            assertEquals(health[1][b] / w, fleet.vmsWarning()[b], 0.006, "Warning in bin " + b);
            assertEquals(health[2][b] / w, fleet.vmsCritical()[b], 0.006, "Critical in bin " + b);
            assertEquals(resyncing[b] / w, fleet.vmsResyncing()[b], 0.006, "resyncing in bin " + b);
            // RPO: the sawtooth's highest value in the bin, at a point's creation or at the bin's end
            long bs = b * width;
            long be = Math.min(end, bs + width);
            long newest = -1;
            double max = -1;
            for (long[] p : points) {
                if (p[0] > be) {
                    break;
                }
                if (p[0] > bs && newest >= 0) {
                    max = Math.max(max, p[0] - newest);
                }
                if (p[0] < be) {
                    newest = Math.max(newest, p[1]);
                }
            }
            if (newest >= 0) {
                max = Math.max(max, be - newest);
            }
            long expected = max < 0 ? -1 : Math.round(max / 1e9);
            assertEquals(expected, fleet.rpoMaxSeconds()[b], 1, "RPO in bin " + b);
            assertEquals(fleet.rpoMaxSeconds()[b], fleet.rpoP50Seconds()[b], "one VM: its RPO is the median");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-vms-one-uplink", "throttled-work-hours", "bandwidth-profile", "outage-resync"})
    void theUplinkSentWhatTheTransfersCarriedAndNeverMoreThanItCould(String name) throws Exception {
        Run run = run(name);
        FleetSeries fleet = run.fleet();
        long width = run.width();
        long end = run.end();
        double sent = 0;
        for (FleetSeries.SiteUse site : fleet.sites()) {
            for (int b = 0; b < fleet.bins(); b++) {
                long w = Math.min(width, end - b * width);
                sent += site.sentBitsPerSecond()[b] * (w / 1e9) / 8;
                assertTrue(site.sentBitsPerSecond()[b] <= site.capacityBitsPerSecond()[b],
                        "bin " + b + ": " + site.sentBitsPerSecond()[b] + " bps sent, " + site.capacityBitsPerSecond()[b] + " available");
            }
        }
        // transfers that ended by the end of the duration count whole; those in flight then, in part
        double done = 0;
        double straddling = 0;
        for (Event ev : run.trace()) {
            if (ev.e().get("type").asText().equals("transfer.finished")) {
                long took = Duration.parse(ev.e().get("duration").asText()).toNanos();
                long bytes = ev.e().get("bytes").asLong();
                if (ev.t() <= end) {
                    done += bytes;
                } else if (ev.t() - took < end) {
                    straddling += bytes;
                }
            }
        }
        assertTrue(sent >= done * 0.999 - 1e4 && sent <= (done + straddling) * 1.001 + 1e4,
                name + ": " + sent + " bytes in the bins, " + done + " finished by the end, " + straddling + " in flight then");
    }

    /** Adds the time of [from, to) that falls in each bin of {@code width}, up to {@code end}. */
    private static void add(double[] into, long from, long to, long width, long end) {
        for (long t = from; t < Math.min(to, end); ) {
            int b = (int) (t / width);
            long binEnd = Math.min(Math.min(to, end), (b + 1) * width);
            into[b] += binEnd - t;
            t = binEnd;
        }
    }
}
