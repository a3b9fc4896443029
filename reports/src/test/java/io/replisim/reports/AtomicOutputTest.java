package io.replisim.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatFailsLeavesOnlyAPartialFileAndTheEarlierFileIntact() throws Exception {
        Path target = dir.resolve("trace.jsonl");
        Files.writeString(target, "the earlier run\n");
        assertThrows(IOException.class, () -> AtomicOutput.write(target, w -> {
            w.write("half a line");
            throw new IOException("No space left on device");
        }));
        assertEquals("the earlier run\n", Files.readString(target));
        assertEquals("half a line", Files.readString(dir.resolve("trace.jsonl.partial")));
    }

    @Test
    void aCommittedWriteReplacesTheFileAndLeavesNoPartial() throws Exception {
        Path target = dir.resolve("summary.json");
        Files.writeString(target, "old");
        AtomicOutput.write(target, w -> w.write("new"));
        assertEquals("new", Files.readString(target));
        assertFalse(Files.exists(dir.resolve("summary.json.partial")));
        try (AtomicOutput out = AtomicOutput.open(dir.resolve("report.html"))) {
            out.writer().write("x");
            assertFalse(Files.exists(dir.resolve("report.html")), "not there before the commit");
            out.commit();
        }
        assertTrue(Files.exists(dir.resolve("report.html")));
    }
}
