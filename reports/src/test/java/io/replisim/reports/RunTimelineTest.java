package io.replisim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunTimelineTest {
    static final long S = 1_000_000_000L;

    /** One VM over ten minutes: IR, two transfers, three logs, a resync trigger, two recovery points, a fault. */
    static SyntheticTrace trace() {
        return new SyntheticTrace()
                .at(10, "vm.state", "host", "hv01", "vm", "app01", "from", "Not enabled", "to", "Ready for replication")
                .at(20, "ir.started", "host", "hv01", "vm", "app01", "diskBytes", 1_000_000)
                .at(50, "ir.finished", "host", "hv01", "vm", "app01", "bytesSent", 1_000_000, "duration", "PT30S")
                .at(50, "vm.state", "host", "hv01", "vm", "app01", "from", "Ready for replication", "to", "Replicating")
                .at(60, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "ir/app01/os",
                        "kind", "initial", "bytes", 7_500_000, "duration", "PT1M")
                .at(100, "log.switched", "host", "hv01", "vm", "app01", "disk", "os", "sequence", 1, "bytes", 1000, "records", 1)
                .at(120, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-1", "consistency", "crash",
                        "pointInTime", SyntheticTrace.time(100))
                .at(150, "transfer.finished", "host", "hv01", "vm", "app01", "disk", "os", "transfer", "log/app01/os/1",
                        "kind", "log", "bytes", 7_500_000, "duration", "PT1M")
                .at(200, "log.switched", "host", "hv01", "vm", "app01", "disk", "os", "sequence", 2, "bytes", 500, "records", 1)
                .at(250, "log.applied", "vm", "app01", "disk", "os", "sequence", 1, "records", 1, "bytes", 900, "applied", true)
                .at(300, "resync.required", "host", "hv01", "vm", "app01", "reason", "log-threshold", "logBytes", 500, "diskBytes", 1_000_000)
                .at(400, "log.switched", "host", "hv01", "vm", "app01", "disk", "os", "sequence", 3, "bytes", 300, "records", 1)
                .at(420, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-2", "consistency", "crash",
                        "pointInTime", SyntheticTrace.time(400), "rpo", "PT5M20S")
                .at(450, "log.applied", "vm", "app01", "disk", "os", "sequence", 3, "records", 1, "bytes", 300, "applied", true)
                .at(500, "fault.injected", "kind", "network-outage", "duration", "PT1H")
                .at(510, "retry.scheduled", "host", "hv01", "vm", "app01", "attempt", 1, "delay", "PT1M")
                .at(600, "run.finished", "passed", true, "expectationsFailed", 0);
    }

    @Test
    void stateBandsCoverTheRunFromTheFirstFromToTheEnd() throws Exception {
        RunTimeline t = trace().read();
        assertEquals(ZoneId.of("Europe/Amsterdam"), t.zone());
        assertEquals(600 * S, t.end());
        assertEquals(List.of(new RunTimeline.Band(0, 10 * S, "Not enabled"), new RunTimeline.Band(10 * S, 50 * S, "Ready for replication"),
                new RunTimeline.Band(50 * S, 600 * S, "Replicating")), t.vm("app01").states);
    }

    @Test
    void pendingBytesRunFromLogSwitchedToLogAppliedAndAResyncDiscardsThem() throws Exception {
        RunTimeline.VmTrack vm = trace().read().vm("app01");
        assertEquals(0, vm.pending.valueAt(99 * S), 0.0, "nothing sealed yet");
        assertEquals(1000, vm.pending.valueAt(100 * S));
        assertEquals(1500, vm.pending.valueAt(200 * S));
        assertEquals(500, vm.pending.valueAt(250 * S), "log 1 applied (its file size counts, not the payload)");
        assertEquals(0, vm.pending.valueAt(300 * S), "the resync discarded log 2");
        assertEquals(300, vm.pending.valueAt(400 * S));
        assertEquals(0, vm.pending.valueAt(599 * S));
        assertEquals(1500, vm.pending.max());
        assertTrue(vm.pending.step());
    }

    @Test
    void theThresholdIsTheWholeDiskDuringInitialReplicationAndHalfOfItAfter() throws Exception {
        RunTimeline.VmTrack vm = trace().read().vm("app01");
        assertEquals(1_000_000, vm.diskBytes);
        assertTrue(Double.isNaN(vm.threshold.valueAt(19 * S)));
        assertEquals(1_000_000, vm.threshold.valueAt(30 * S));
        assertEquals(500_000, vm.threshold.valueAt(50 * S));
        assertEquals(500_000, vm.threshold.valueAt(600 * S));
    }

    @Test
    void rpoIsTheAgeOfTheNewestPointInTimeAndDropsAtEachNewPoint() throws Exception {
        Series rpo = trace().read().vm("app01").rpo;
        assertFalse(rpo.step());
        // vertices: (120, 20s), (420, 320s) then (420, 20s), (600, 200s)
        assertEquals(4, rpo.size());
        assertEquals(120 * S, rpo.time(0));
        assertEquals(20 * S, rpo.value(0));
        assertEquals(420 * S, rpo.time(1));
        assertEquals(320 * S, rpo.value(1), "just before the second point: 420 s - 100 s, the rpo field of the event");
        assertEquals(20 * S, rpo.value(2));
        assertEquals(600 * S, rpo.time(3));
        assertEquals(200 * S, rpo.value(3));
    }

    @Test
    void faultsRetriesAndErrorsAreCollected() throws Exception {
        RunTimeline t = trace().read();
        assertEquals(List.of(new RunTimeline.Fault("network-outage", null, null, 500 * S, 600 * S, false)), t.faults());
        assertEquals(1, t.vm("app01").retries.size());
        assertEquals(1, t.resyncs().size());
        assertEquals("log-threshold", t.resyncs().get(0).reason);
    }

    @Test
    void aMalformedTraceLineIsReportedWithItsLineNumber() {
        SyntheticTrace bad = new SyntheticTrace();
        String text = bad.text() + "{not json\n";
        RunTimeline.TraceFormatException e = assertThrows(RunTimeline.TraceFormatException.class,
                () -> RunTimeline.read(new java.io.BufferedReader(new java.io.StringReader(text)), "trace.jsonl"));
        assertEquals("trace.jsonl:2: not a JSON object", e.getMessage());
        String noVm = new SyntheticTrace().at(1, "vm.state", "from", "a", "to", "b").text();
        e = assertThrows(RunTimeline.TraceFormatException.class,
                () -> RunTimeline.read(new java.io.BufferedReader(new java.io.StringReader(noVm)), "trace.jsonl"));
        assertEquals("trace.jsonl:2: vm.state without a vm", e.getMessage());
    }
}
