package io.replisim.reports;

import io.replisim.simulator.replication.VmSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.run.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDiffTest {
    @TempDir
    Path tmp;

    Path folder(String name, RunRecord record, String trace) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunReports.TRACE), trace);
        RunReports.writeSummary(record, dir.resolve(RunReports.SUMMARY));
        return dir;
    }

    @Test
    void identicalRunsSayIdentical() throws Exception {
        String trace = RunTimelineTest.trace().text();
        RunRecord r = HtmlReportTest.record("s", "app01");
        RunDiff.Result result = RunDiff.compare(folder("a", r, trace), folder("b", r, trace));
        assertTrue(result.identical(), result.lines().toString());
        assertEquals(List.of("trace: identical (18 events)", "summary: identical"), result.lines());
    }

    @Test
    void theFirstDivergingEventAndTheSummaryDeltasArePrinted() throws Exception {
        String trace = RunTimelineTest.trace().text();
        String other = trace.replace("\"bytes\":500,", "\"bytes\":501,");
        RunRecord a = HtmlReportTest.record("s", "app01");
        VmSummary vm = a.vms().get(0);
        VmSummary changed = new VmSummary(vm.host(), vm.vm(), "Error", vm.finalHealth(), vm.timeToReplicating(),
                vm.initialReplicationBytes(), vm.logsShipped(), vm.logBytesShipped(), vm.bytesSent() + 1000, vm.recoveryPoints(),
                vm.errors(), vm.retries() + 2, vm.resyncs(), vm.resyncBytesSent(),
                new VmSummary.Rpo(vm.rpo().p50(), Duration.ofSeconds(360), vm.rpo().p99(), vm.rpo().max(), vm.rpo().samples()), vm.disks());
        RunRecord b = new RunRecord(a.scenario(), a.seed(), a.fidelity(), a.azure(), a.start(), a.timeZone(), a.duration(),
                a.simulated(), a.events() + 1, a.passed(), List.of(changed), a.expectations(), a.jobs(), a.trace(), a.fleet());
        RunDiff.Result result = RunDiff.compare(folder("a", a, trace), folder("b", b, other));
        assertFalse(result.identical());
        List<String> lines = result.lines();
        assertEquals("trace: first difference at seq 9 (line 10)", lines.get(0));
        assertTrue(lines.get(1).startsWith("  A: {\"seq\":9,") && lines.get(1).contains("\"bytes\":500,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("  B: {\"seq\":9,") && lines.get(2).contains("\"bytes\":501,"), lines.get(2));
        assertEquals(List.of("summary: 5 differences (A -> B)", "  events: 18 -> 19 (+1)", "  app01: finalState: Replicating -> Error",
                "  app01: bytesSent: 15000000 -> 15001000 (+1000)", "  app01: retries: 1 -> 3 (+2)", "  app01: rpo.p95: PT5M -> PT6M (+1m)"),
                lines.subList(3, lines.size()));
    }

    @Test
    void aShorterTraceDivergesWhereItEnds() throws Exception {
        String trace = RunTimelineTest.trace().text();
        String shorter = String.join("\n", trace.lines().limit(5).toList()) + "\n";
        RunRecord r = HtmlReportTest.record("s", "app01");
        RunDiff.Result result = RunDiff.compare(folder("a", r, trace), folder("b", r, shorter));
        assertEquals("trace: first difference at seq 5 (line 6)", result.lines().get(0));
        assertEquals("  B: (the trace ends after seq 4)", result.lines().get(2));
    }

    @Test
    void aFolderWithoutTheRunFilesIsRefusedWithAClearMessage() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        RunFolderException e = assertThrows(RunFolderException.class, () -> RunDiff.compare(empty, empty));
        assertEquals(empty + ": no summary.json (expected a run folder written by 'replisim run')", e.getMessage());
        e = assertThrows(RunFolderException.class, () -> RunDiff.compare(tmp.resolve("nope"), empty));
        assertEquals(tmp.resolve("nope") + ": not a folder", e.getMessage());
        Path broken = folder("broken", HtmlReportTest.record("s", "app01"), "");
        Files.writeString(broken.resolve(RunReports.SUMMARY), "{\"scenario\": ");
        e = assertThrows(RunFolderException.class, () -> RunDiff.compare(broken, broken));
        assertTrue(e.getMessage().startsWith(broken.resolve(RunReports.SUMMARY) + ": not a run summary"), e.getMessage());
    }
}
