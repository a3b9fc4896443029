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
        RunRecord b = new RunRecord(a.replisim(), a.traceFormat(), a.scenario(), a.seed(), a.fidelity(), a.azure(), a.start(), a.timeZone(), a.duration(),
                a.simulated(), a.events() + 1, a.passed(), List.of(changed), a.expectations(), a.jobs(), a.trace(), a.fleet(), a.uplink(), a.azuriteLauncher(), null);
        RunDiff.Result result = RunDiff.compare(folder("a", a, trace), folder("b", b, other));
        assertFalse(result.identical());
        List<String> lines = result.lines();
        assertEquals("trace: 1 of 2 differ (app01); the first difference of each:", lines.get(0));
        assertTrue(lines.get(1).startsWith("  app01: event "), lines.get(1));
        assertTrue(lines.get(2).startsWith("    both: {"), "the event before it, for context: " + lines.get(2));
        assertTrue(lines.get(3).startsWith("    A: {\"seq\":9,") && lines.get(3).contains("\"bytes\":500,"), lines.get(3));
        assertTrue(lines.get(4).startsWith("    B: {\"seq\":9,") && lines.get(4).contains("\"bytes\":501,"), lines.get(4));
        assertEquals(List.of("summary: 5 differences (A -> B)", "  events: 18 -> 19 (+1)", "  app01: finalState: Replicating -> Error",
                "  app01: bytesSent: 15000000 -> 15001000 (+1000)", "  app01: retries: 1 -> 3 (+2)", "  app01: rpo.p95: PT5M -> PT6M (+1m)"),
                lines.subList(5, lines.size()));
    }

    @Test
    void aShorterTraceDivergesWhereItEnds() throws Exception {
        String trace = RunTimelineTest.trace().text();
        String shorter = String.join("\n", trace.lines().limit(5).toList()) + "\n";
        RunRecord r = HtmlReportTest.record("s", "app01");
        RunDiff.Result result = RunDiff.compare(folder("a", r, trace), folder("b", r, shorter));
        assertEquals("trace: 2 of 2 differ (run, app01); the first difference of each:", result.lines().get(0));
        assertTrue(result.lines().stream().anyMatch(l -> l.startsWith("    B: (no more events after seq ")), result.lines().toString());
    }

    @Test
    void runsThatDifferOnlyInTheirSeedBehaveTheSame() throws Exception {
        String trace = RunTimelineTest.trace().text();
        String first = trace.lines().findFirst().orElseThrow();
        String reseeded = trace.replace(first, first.replaceFirst("\"seed\":\\d+", "\"seed\":7"));
        RunRecord r = HtmlReportTest.record("s", "app01");
        RunRecord b = new RunRecord(r.replisim(), r.traceFormat(), r.scenario(), 7, r.fidelity(), r.azure(), r.start(), r.timeZone(), r.duration(), r.simulated(),
                r.events(), r.passed(), r.vms(), r.expectations(), r.jobs(), r.trace(), r.fleet(), r.uplink(), r.azuriteLauncher(), null);
        RunDiff.Result result = RunDiff.compare(folder("a", r, trace), folder("b", b, reseeded));
        assertTrue(result.identical(), "the seed is the header, not behaviour: " + result.lines());
        assertTrue(result.lines().get(0).startsWith("trace: the same behaviour (18 events); only the header differs: seed "),
                result.lines().get(0));
        assertEquals("summary: identical", result.lines().get(1));
    }

    @Test
    void anEventAddedForOneVmDoesNotHideThatTheOthersBehavedAlike() throws Exception {
        String trace = RunTimelineTest.trace().text();
        List<String> lines = new java.util.ArrayList<>(trace.lines().toList());
        // a run-level event inserted early shifts every later sequence number: only the run differs
        lines.add(2, "{\"seq\":2,\"t\":\"2026-01-05T08:00:00+01:00\",\"type\":\"uplink.capacity\",\"site\":\"x\",\"bitsPerSecond\":1,\"reason\":\"extra\"}");
        String shifted = String.join("\n", lines) + "\n";
        RunRecord r = HtmlReportTest.record("s", "app01");
        RunDiff.Result result = RunDiff.compare(folder("a", r, trace), folder("b", r, shifted));
        assertEquals("trace: 1 of 2 differ (run); the first difference of each:", result.lines().get(0), result.lines().toString());
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
