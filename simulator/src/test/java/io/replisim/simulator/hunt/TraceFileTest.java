package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFileTest {

    @TempDir
    Path tmp;

    /** A trace that breaks two invariants, with a non-ASCII name, blank lines and no final newline. */
    private static String jsonl() {
        List<TraceLine> lines = new TraceBuilder()
                .at(0, "run.started", "scenario", "café-ø", "seed", 1)
                .at(10, "job.started", "vm", "app01", "job", "j1", "name", "Enable protection")
                .at(20, "log.applied", "vm", "app01", "disk", "os", "sequence", 3, "applied", true)
                .at(30, "failover.finished", "vm", "app01", "kind", "unplanned", "recoveryPoint", "rp-1",
                        "dataLoss", "PT1M", "blocksLost", 2, "verified", false)
                .build();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            s.append(lines.get(i).text()).append(i == 1 ? "\n\n  \n" : i < lines.size() - 1 ? "\n" : "");
        }
        return s.toString();
    }

    @Test
    void readsTheSameLinesAsParsingTheWholeTextAcrossSegments() throws IOException {
        String text = jsonl();
        Path file = Files.writeString(tmp.resolve("trace.jsonl"), text, StandardCharsets.UTF_8);
        List<TraceLine> expected = TraceLine.parse(text);
        // segments of 1 MiB (one) and of a little more than the longest line (several)
        for (long segment : new long[] {1 << 20, 260}) {
            List<TraceLine> lines = new TraceFile(file, segment);
            assertEquals(expected.size(), lines.size(), "segment " + segment);
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(expected.get(i).text(), lines.get(i).text(), "line " + i + ", segment " + segment);
                assertEquals(expected.get(i).seq(), lines.get(i).seq());
            }
            assertEquals("café-ø", lines.get(0).str("scenario"));
            assertSame(lines.get(2), lines.get(2), "a line asked for again comes from the cache");
        }
    }

    @Test
    void checkingTheFileFindsWhatCheckingTheTextFinds() throws IOException {
        String text = jsonl();
        Path file = Files.writeString(tmp.resolve("trace.jsonl"), text, StandardCharsets.UTF_8);
        List<Violation> fromText = Invariants.all().check(InvariantsTest.SCENARIO, text);
        assertFalse(fromText.isEmpty());
        assertTrue(fromText.stream().anyMatch(v -> v.invariant().equals(NoDataLoss.NAME)), fromText.toString());
        assertEquals(fromText, Invariants.all().check(InvariantsTest.SCENARIO, file, GroundTruth.NONE));
    }

    @Test
    void anEmptyFileHasNoLinesAndALineLongerThanASegmentIsRefused() throws IOException {
        assertEquals(0, new TraceFile(Files.writeString(tmp.resolve("empty.jsonl"), ""), 64).size());
        Path longLine = Files.writeString(tmp.resolve("long.jsonl"), jsonl());
        IOException e = assertThrows(IOException.class, () -> new TraceFile(longLine, 64));
        assertTrue(e.getMessage().contains("longer than 64 bytes"), e.getMessage());
    }
}
