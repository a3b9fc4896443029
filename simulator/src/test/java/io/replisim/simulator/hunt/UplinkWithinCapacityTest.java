package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code uplink-within-capacity}: on hand-made traces that hold and that break each part, and on
 * the real stack run on a scenario altered in test code (or with its claims altered on the way to
 * the trace) while the invariant judges the scenario as written.
 */
class UplinkWithinCapacityTest {
    private static final Invariant INVARIANT = new UplinkWithinCapacity();
    /** 20 Mbps: 2,500,000 bytes a second. */
    private static final long SECOND = 2_500_000;
    private static final long MIB = 1 << 20;

    private static List<Violation> check(Scenario scenario, List<TraceLine> trace) {
        return INVARIANT.check(new RunEvidence(scenario, trace, GroundTruth.NONE));
    }

    private static void holds(Scenario scenario, TraceBuilder trace) {
        assertEquals(List.of(), check(scenario, trace.build()));
    }

    /** Exactly one violation, at {@code seq}, for a reason mentioning {@code why}. */
    private static void violatedAt(Scenario scenario, TraceBuilder trace, long seq, String why) {
        List<Violation> found = check(scenario, trace.build());
        assertEquals(1, found.size(), found.toString());
        assertEquals(UplinkWithinCapacity.NAME, found.get(0).invariant());
        assertEquals(seq, found.get(0).seq(), found.toString());
        assertTrue(found.get(0).reason().contains(why), found.get(0).reason());
    }

    /** The run started with the uplink at 20 Mbps. */
    private static TraceBuilder started() {
        return new TraceBuilder().at(0, "run.started", "scenario", "tiny", "seed", 1)
                .at(0, "uplink.capacity", "site", "site1", "bitsPerSecond", 20_000_000, "reason", "start");
    }

    private static TraceBuilder log(TraceBuilder b, double from, double to, String vm, String disk, long bytes, String end) {
        String id = "log/" + vm + "/" + disk + "/1";
        return b.at(from, "transfer.started", "host", "hv01", "vm", vm, "disk", disk, "transfer", id, "kind", "log", "bytes", bytes)
                .at(to, end, "host", "hv01", "vm", vm, "disk", disk, "transfer", id, "kind", "log", "bytes", bytes);
    }

    private static Scenario oneVm(String uplink, String faults) {
        return oneVm("1h", uplink, faults);
    }

    private static Scenario oneVm(String duration, String uplink, String faults) {
        return Tiny.parse(Tiny.ONE_VM.formatted(duration).replace("uplink: { bandwidth: 20Mbps }", uplink) + faults);
    }

    @Nested
    class ToldCapacity {
        private final Scenario outage = oneVm("uplink: { bandwidth: 20Mbps }",
                "faults: [ { at: 30m, kind: network-outage, for: 10m } ]\n");

        @Test
        void holdsWhenEveryChangeIsToldWithTheScenariosValue() {
            holds(outage, started()
                    .at(1800, "uplink.capacity", "site", "site1", "bitsPerSecond", 0, "reason", "outage")
                    .at(2400, "uplink.capacity", "site", "site1", "bitsPerSecond", 20_000_000, "reason", "restored"));
        }

        @Test
        void failsWhenTheToldCapacityIsNotTheScenarios() {
            TraceBuilder b = new TraceBuilder().at(0, "run.started");
            long seq = b.next();
            violatedAt(Tiny.oneVm("1h"), b.at(0, "uplink.capacity", "site", "site1", "bitsPerSecond", 40_000_000,
                    "reason", "start"), seq, "the scenario gives 20000000 bit/s");
        }

        @Test
        void failsWhenAChangeIsNotTold() {
            TraceBuilder b = started();
            long seq = b.next();
            violatedAt(outage, b.at(1800, "uplink.capacity", "site", "site1", "bitsPerSecond", 0, "reason", "outage")
                    .at(2500, "vm.state", "host", "hv01", "vm", "app01"), seq, "no uplink.capacity tells it");
        }

        @Test
        void followsTheThrottlesWorkHoursInTheScenariosTimeZone() {
            // 08:00+01:00 is 07:00 in London: work hours start there at 09:00 local, 10:00+01:00
            Scenario throttled = Tiny.parse(Tiny.ONE_VM.formatted("4h")
                    .replace("uplink: { bandwidth: 20Mbps }", "uplink: { bandwidth: 20Mbps, throttle: { workHours: \"Mon-Fri 09:00-18:00\","
                            + " workHoursBandwidth: 1Mbps } }")
                    .replace("duration:", "timeZone: Europe/London\nduration:"));
            holds(throttled, started()
                    .at(7200, "uplink.capacity", "site", "site1", "bitsPerSecond", 1_000_000, "reason", "schedule"));
            TraceBuilder wrongHour = started();
            long seq = wrongHour.next();
            violatedAt(throttled, wrongHour.at(3600, "uplink.capacity", "site", "site1", "bitsPerSecond", 1_000_000,
                    "reason", "schedule"), seq, "the scenario gives 20000000 bit/s");
        }
    }

    @Nested
    class WithinCapacity {
        @Test
        void holdsForTransfersAtTheLinksPace() {
            long disk = 16 * MIB; // 6.7108864 s at 20 Mbps
            holds(Tiny.oneVm("1h"), started()
                    .at(60, "transfer.started", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "ir/app01/os",
                            "kind", "initial", "bytes", disk)
                    .at(60 + 6.7108864 / 2, "transfer.progress", "host", "hv01", "vm", "app01", "disk", "os",
                            "transfer", "ir/app01/os", "kind", "initial", "bytesDone", disk / 2, "bytes", disk)
                    .at(60 + 6.7108864, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "os",
                            "transfer", "ir/app01/os", "kind", "initial", "bytes", disk, "duration", "PT6.7108864S"));
        }

        @Test
        void failsWhenADisksBytesArriveFasterThanTheLinkCarries() {
            TraceBuilder b = started().at(60, "transfer.started", "host", "hv01", "vm", "app01", "disk", "os",
                    "transfer", "ir/app01/os", "kind", "initial", "bytes", 16 * MIB);
            long seq = b.next();
            // half the disk in 2 s: 8 MiB where 5,000,000 bytes fit
            violatedAt(Tiny.oneVm("1h"), b.at(62, "transfer.progress", "host", "hv01", "vm", "app01", "disk", "os",
                    "transfer", "ir/app01/os", "kind", "initial", "bytesDone", 8 * MIB, "bytes", 16 * MIB), seq,
                    "lets it carry 5000000 bytes");
        }

        @Test
        void failsWhenBytesFlowDuringAnOutage() {
            Scenario outage = oneVm("uplink: { bandwidth: 20Mbps }", "faults: [ { at: 30m, kind: network-outage, for: 10m } ]\n");
            TraceBuilder cut = started().at(1799, "transfer.started", "host", "hv01", "vm", "app01", "disk", "os",
                    "transfer", "log/app01/os/1", "kind", "log", "bytes", SECOND)
                    .at(1800, "uplink.capacity", "site", "site1", "bitsPerSecond", 0, "reason", "outage");
            holds(outage, cut.at(1800, "transfer.failed", "host", "hv01", "vm", "app01", "disk", "os",
                    "transfer", "log/app01/os/1", "kind", "log", "bytes", SECOND, "reason", "NetworkError"));
            TraceBuilder through = started().at(1799, "transfer.started", "host", "hv01", "vm", "app01", "disk", "os",
                    "transfer", "log/app01/os/1", "kind", "log", "bytes", 2 * SECOND)
                    .at(1800, "uplink.capacity", "site", "site1", "bitsPerSecond", 0, "reason", "outage");
            long seq = through.next();
            List<Violation> found = check(outage, through.at(1801, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "os",
                    "transfer", "log/app01/os/1", "kind", "log", "bytes", 2 * SECOND).build());
            assertTrue(found.stream().anyMatch(v -> v.seq() == seq && v.reason().contains("lets it carry 2500000 bytes")),
                    found.toString());
        }

        @Test
        void countsTheRequestsLatencyBeforeTheBytesFlow() {
            Scenario slow = oneVm("uplink: { bandwidth: 20Mbps, latency: 1s }", "");
            holds(slow, log(started(), 100, 102, "app01", "os", SECOND, "transfer.finished"));
            TraceBuilder early = started();
            long seq = early.next() + 1;
            violatedAt(slow, log(early, 100, 101, "app01", "os", SECOND, "transfer.finished"), seq, "lets it carry 0 bytes");
        }
    }

    @Nested
    class FairShares {
        private final Scenario twoVms = Tiny.twoVms("1h", "");

        @Test
        void holdsWhenConcurrentLogsShareTheLinkEqually() {
            // both at half the link until app01's 2.5 MB are in (2 s); then app02 alone for its last 2.5 MB
            TraceBuilder b = started();
            b.at(100, "transfer.started", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "log/app01/os/1",
                    "kind", "log", "bytes", SECOND);
            holds(twoVms, log(b, 100, 103, "app02", "os", 2 * SECOND, "transfer.finished")
                    .at(102, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "log/app01/os/1",
                            "kind", "log", "bytes", SECOND));
        }

        @Test
        void failsWhenOneFlowTakesMoreThanItsShare() {
            // the link is fully used (part 2 holds), but app02 went first
            TraceBuilder b = started();
            b.at(100, "transfer.started", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "log/app01/os/1",
                    "kind", "log", "bytes", SECOND);
            long seq = b.next() + 1;
            violatedAt(twoVms, log(b, 100, 102, "app02", "os", 2 * SECOND, "transfer.finished")
                    .at(103, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "log/app01/os/1",
                            "kind", "log", "bytes", SECOND), seq, "still had 2500000 bytes to deliver");
        }

        @Test
        void failsWhenAFlowEndsLaterThanItsShareDeliveredIt() {
            TraceBuilder b = started();
            long seq = b.next() + 1;
            violatedAt(twoVms, log(b, 100, 105, "app01", "os", SECOND, "transfer.failed"), seq, "had delivered it by");
            holds(twoVms, log(started(), 100, 100.5, "app01", "os", SECOND, "transfer.failed"));
        }

        @Test
        void givesAVmsLogsNoMoreThanItsUploadThreads() {
            Scenario oneThread = Tiny.parse(Tiny.ONE_VM.formatted("1h").replace("bandwidth: 20Mbps", "bandwidth: 20Mbps, uploadThreads: 1")
                    .replace("disks: [ { name: os, size: 16MiB, churn: { rate: 256KiB/min } } ]",
                            "disks: [ { name: os, size: 16MiB }, { name: data, size: 16MiB } ]"));
            TraceBuilder inTurn = started();
            inTurn.at(100, "transfer.started", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "log/app01/os/1",
                    "kind", "log", "bytes", SECOND);
            inTurn.at(100, "transfer.started", "host", "hv01", "vm", "app01", "disk", "data", "transfer", "log/app01/data/1",
                    "kind", "log", "bytes", SECOND);
            TraceBuilder together = started();
            together.at(100, "transfer.started", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "log/app01/os/1",
                    "kind", "log", "bytes", SECOND);
            together.at(100, "transfer.started", "host", "hv01", "vm", "app01", "disk", "data", "transfer", "log/app01/data/1",
                    "kind", "log", "bytes", SECOND);
            holds(oneThread, inTurn
                    .at(101, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "log/app01/os/1",
                            "kind", "log", "bytes", SECOND)
                    .at(102, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "data", "transfer", "log/app01/data/1",
                            "kind", "log", "bytes", SECOND));
            long seq = together.next();
            violatedAt(oneThread, together
                    .at(102, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "log/app01/os/1",
                            "kind", "log", "bytes", SECOND)
                    .at(102, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "data", "transfer", "log/app01/data/1",
                            "kind", "log", "bytes", SECOND), seq, "had delivered it by");
        }

        private TraceBuilder initialCopy(TraceBuilder b, double from, double to) {
            return b.at(from, "transfer.started", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "ir/app01/os",
                            "kind", "initial", "bytes", 16 * MIB)
                    .at(to, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "ir/app01/os",
                            "kind", "initial", "bytes", 16 * MIB);
        }

        @Test
        void sendsADisksPiecesOnTheUploadThreadsEachAfterTheLatency() {
            // four 4 MiB pieces one after another, each 1 s of latency and 1.6777216 s of bytes
            Scenario oneThread = oneVm("uplink: { bandwidth: 20Mbps, latency: 1s, uploadThreads: 1 }", "");
            holds(oneThread, initialCopy(started(), 60, 60 + 4 * 2.6777216));
            TraceBuilder latencyOnce = started();
            long seq = latencyOnce.next() + 1;
            violatedAt(oneThread, initialCopy(latencyOnce, 60, 61 + 4 * 1.6777216), seq, "still had 5000000 bytes");
        }

        @Test
        void failsWhenADisksCopyEndsLaterThanItsShareDeliveredIt() {
            TraceBuilder late = started();
            long seq = late.next() + 1;
            violatedAt(Tiny.oneVm("1h"), initialCopy(late, 60, 70), seq, "had delivered it by");
        }

        @Test
        void letsAFlowCarryTheLagOfAPieceFlowItShared() {
            // app01's 1 GiB copy, alone at 20 Mbps until 400 s, then beside app02's 100 MB log:
            // exactly, the copy ends at 458.9934592 s, the log at 469.4967296 s. The stack's rounding
            // may end the copy 600 bits (60 µs at its share) late; the log, half the link meanwhile,
            // then ends 600 bits (30 µs) late too: more than the log's own life allows, not more than
            // the period's. A millisecond late is beyond both.
            Scenario big = Tiny.parse(Tiny.TWO_VMS.formatted("1h").replace("bandwidth: 20Mbps", "bandwidth: 20Mbps, latency: 0s, uploadThreads: 1")
                    .replace("disks: [ { name: os, size: 16MiB, churn: { rate: 256KiB/min } } ]",
                            "disks: [ { name: os, size: 1GiB, churn: { rate: 256KiB/min } } ]"));
            double copyEnd = 458.9934592 + 60e-6;
            for (double lateBy : new double[] {30e-6, 1e-3}) {
                TraceBuilder b = started()
                        .at(0, "transfer.started", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "ir/app01/os",
                                "kind", "initial", "bytes", 1024 * MIB)
                        .at(400, "transfer.started", "host", "hv01", "vm", "app02", "disk", "os", "transfer", "log/app02/os/1",
                                "kind", "log", "bytes", 40 * SECOND)
                        .at(copyEnd, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "ir/app01/os",
                                "kind", "initial", "bytes", 1024 * MIB);
                long seq = b.next();
                b.at(469.4967296 + lateBy, "transfer.finished", "host", "hv01", "vm", "app02", "disk", "os",
                        "transfer", "log/app02/os/1", "kind", "log", "bytes", 40 * SECOND);
                if (lateBy < 1e-3) {
                    holds(big, b);
                } else {
                    violatedAt(big, b, seq, "had delivered it by");
                }
            }
        }

        @Test
        void leavesAPeriodWithADisksPiecesUnjudged() {
            // app02's initial copy sends part of its disk (its used bytes): its pieces' sizes are not known
            TraceBuilder b = started();
            b.at(100, "transfer.started", "host", "hv01", "vm", "app02", "disk", "os", "transfer", "ir/app02/os",
                    "kind", "initial", "bytes", 2 * SECOND);
            holds(twoVms, log(b, 100, 101.5, "app01", "os", SECOND, "transfer.finished")
                    .at(103, "transfer.finished", "host", "hv01", "vm", "app02", "disk", "os", "transfer", "ir/app02/os",
                            "kind", "initial", "bytes", 2 * SECOND, "duration", "PT3S"));
        }
    }

    /** The real stack, broken in test code: run on an altered scenario (or its claims altered), judged on the scenario as written. */
    @Nested
    class OnABrokenStack {
        private static final String WORK_HOURS_THROTTLE =
                "uplink: { bandwidth: 20Mbps, throttle: { workHours: \"Mon-Fri 08:00-18:00\", workHoursBandwidth: 2Mbps } }";

        private List<Violation> judged(Scenario written, Scenario run, UnaryOperator<String> claims) throws IOException {
            StringWriter out = new StringWriter();
            Simulator.run(run, RunOptions.withSeed(7).trace(claims == null ? out : new TraceAltering(out, claims)));
            return check(written, TraceLine.parse(out.toString()));
        }

        private void holdsButFailsAltered(Scenario written, Scenario altered, UnaryOperator<String> claims, String why)
                throws IOException {
            assertEquals(List.of(), judged(written, written, null), "the stack as it is keeps the invariant");
            List<Violation> found = judged(written, altered, claims);
            assertFalse(found.isEmpty(), "the broken stack goes unnoticed");
            assertTrue(found.stream().anyMatch(v -> v.reason().contains(why)), found.toString());
        }

        @Test
        void aStackThatSendsAtTwiceTheBandwidth() throws IOException {
            holdsButFailsAltered(Tiny.oneVm("30m"), oneVm("30m", "uplink: { bandwidth: 40Mbps }", ""), null, "but the scenario lets it carry");
        }

        @Test
        void aStackThatIgnoresTheThrottle() throws IOException {
            holdsButFailsAltered(oneVm("30m", WORK_HOURS_THROTTLE, ""), Tiny.oneVm("30m"), null, "but the scenario lets it carry");
        }

        @Test
        void aStackThatSendsThroughAnOutage() throws IOException {
            String outage = "faults: [ { at: 10m, kind: network-outage, for: 15m } ]\n";
            holdsButFailsAltered(oneVm("30m", "uplink: { bandwidth: 20Mbps }", outage), Tiny.oneVm("30m"), null, "but the scenario lets it carry");
        }

        @Test
        void aStackThatSkipsTheRequestsLatency() throws IOException {
            // the initial copy's first pieces flow 2 s early
            holdsButFailsAltered(oneVm("30m", "uplink: { bandwidth: 20Mbps, latency: 2s }", ""), Tiny.oneVm("30m"), null,
                    "but the scenario lets it carry");
        }

        @Test
        void aStackThatClaimsItsLogsArrivedSooner() throws IOException {
            Scenario written = Tiny.twoVms("30m", "");
            holdsButFailsAltered(written, written, line -> line.contains("\"type\":\"transfer.finished\"")
                    && line.contains("\"kind\":\"log\"") ? earlier(line, Duration.ofMillis(20)) : line, "still had");
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The trace line with its time and duration {@code by} less. */
    private static String earlier(String line, Duration by) {
        try {
            ObjectNode o = (ObjectNode) JSON.readTree(line);
            o.put("t", OffsetDateTime.parse(o.get("t").asText()).minus(by).toString());
            o.put("duration", Duration.parse(o.get("duration").asText()).minus(by).toString());
            return o.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
