package io.replisim.azure.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.replisim.azure.ManualClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class MemoryBlobStoragePropertyTest {
    /** Spans several storage chunks, with a partial last chunk. */
    private static final int PAGES = (3 * MemoryBlobStorage.CHUNK_SIZE + 4096) / 512;

    /** A Put Page (update or clear) of {@code count} pages from {@code page}, content derived from {@code seed}. */
    record Op(int page, int count, int seed, boolean clear) {
        @Override
        public String toString() {
            return (clear ? "clear " : "write ") + page + "+" + count + (clear ? "" : " seed " + seed);
        }
    }

    /** Mostly short runs of pages (edges of ranges are where bugs hide), some long ones; a third are clears. */
    private static Gen<Op> ops() {
        Gen<Integer> counts = integers().between(1, 4).mix(integers().between(1, 300), 30);
        return integers().between(0, PAGES - 1).zip(counts, integers().all(), integers().between(0, 2),
                (page, count, seed, kind) -> new Op(page, Math.min(count, PAGES - page), seed, kind == 0));
    }

    @Test
    void randomPageWritesReadBackEqualToAByteArrayModel() {
        qt().withFixedSeed(20260105L).withExamples(500)
                .forAll(lists().of(ops()).ofSizeBetween(1, 25))
                .checkAssert(MemoryBlobStoragePropertyTest::checkAgainstModel);
    }

    private static void checkAgainstModel(List<Op> ops) {
        MemoryBlobStorage storage = new MemoryBlobStorage(ManualClock.at("2026-01-05T07:00:00Z"));
        storage.createContainer("disks");
        storage.createPageBlob("disks", "b", (long) PAGES * 512);
        byte[] model = new byte[PAGES * 512];
        boolean[] written = new boolean[PAGES];
        String snapshot = null;
        byte[] modelAtSnapshot = null;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            int offset = op.page() * 512;
            int length = op.count() * 512;
            if (op.clear()) {
                storage.clearPages("disks", "b", offset, length);
                Arrays.fill(model, offset, offset + length, (byte) 0);
                Arrays.fill(written, op.page(), op.page() + op.count(), false);
            } else {
                byte[] data = new byte[length + 512];
                for (int j = 0; j < data.length; j++) {
                    data[j] = (byte) (op.seed() * 31 + j * 7 + (j >> 9));
                }
                storage.uploadPages("disks", "b", offset, data, 512, length); // from an offset into the array
                System.arraycopy(data, 512, model, offset, length);
                Arrays.fill(written, op.page(), op.page() + op.count(), true);
            }
            if (i == ops.size() / 2) {
                snapshot = storage.createSnapshot("disks", "b");
                modelAtSnapshot = model.clone();
            }
        }
        assertArrayEquals(model, storage.download("disks", "b"));
        assertEquals(ranges(written), storage.getPageRanges("disks", "b"));
        assertArrayEquals(modelAtSnapshot, storage.downloadRange("disks", "b", snapshot, 0, model.length));
    }

    private static List<PageRange> ranges(boolean[] written) {
        List<PageRange> ranges = new ArrayList<>();
        int p = 0;
        while (p < written.length) {
            if (!written[p]) {
                p++;
                continue;
            }
            int start = p;
            while (p < written.length && written[p]) {
                p++;
            }
            ranges.add(new PageRange(start * 512L, p * 512L - 1));
        }
        return ranges;
    }
}
