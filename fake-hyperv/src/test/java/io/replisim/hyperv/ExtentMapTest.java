package io.replisim.hyperv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.replisim.hyperv.ExtentMap.Extent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class ExtentMapTest {

    private static final int SECTORS = 600; // several chunks of runs

    record Assign(int sector, int sectors, int version) {}

    /** One int a step keeps generation cheap: sector, length and version are its digits. */
    private static Gen<Assign> assigns() {
        return integers().between(0, SECTORS * 40 * 13 - 1).map(x -> {
            int s = x % SECTORS;
            int n = 1 + x / SECTORS % 40;
            return new Assign(s, Math.min(n, SECTORS - s), x / SECTORS / 40);
        });
    }

    @Test
    void aMapAgreesWithASectorArrayWhateverTheAssignments() {
        qt().withFixedSeed(7L).withExamples(100).forAll(lists().of(assigns()).ofSizeBetween(0, 200))
                .checkAssert(ops -> {
                    ExtentMap map = new ExtentMap(SECTORS * 512L);
                    long[] model = new long[SECTORS];
                    for (Assign a : ops) {
                        map.assign(a.sector() * 512L, a.sectors() * 512L, a.version());
                        for (int i = a.sector(); i < a.sector() + a.sectors(); i++) {
                            model[i] = a.version();
                        }
                    }
                    for (int i = 0; i < SECTORS; i++) {
                        assertEquals(model[i], map.versionAt(i * 512L), "sector " + i + " after " + ops);
                    }
                    assertEquals(runsOf(model), map.extents(), "maximal extents after " + ops);
                    // Canonical: rebuilt from its extents, the map is equal and fingerprints alike.
                    ExtentMap rebuilt = new ExtentMap(SECTORS * 512L);
                    for (Extent e : map.extents()) {
                        rebuilt.assign(e.offset(), e.length(), e.version());
                    }
                    assertEquals(map, rebuilt);
                    assertEquals(map.fingerprint(), rebuilt.fingerprint());
                    assertEquals(map, map.copy());
                });
    }

    @Test
    void aMapOfHundredsOfChunksAgreesWithASectorArrayAndItsCopies() {
        // thousands of runs: chunks split, fill, shrink and merge, and writes take both the
        // within-one-chunk path and the general one; a copy taken half-way must not move
        qt().withFixedSeed(13L).withExamples(15).forAll(integers().between(1, Integer.MAX_VALUE)).checkAssert(seed -> {
            int sectors = 40_000;
            SplittableRandom random = new SplittableRandom(seed);
            ExtentMap map = new ExtentMap(sectors * 512L);
            long[] model = new long[sectors];
            ExtentMap copy = null;
            long[] copyModel = null;
            for (int step = 1; step <= 8000; step++) {
                // mostly short writes (many runs), now and then a long one (removes whole chunks)
                int n = random.nextInt(50) == 0 ? 1 + random.nextInt(6000) : 1 + random.nextInt(8);
                int at = random.nextInt(sectors - n + 1);
                long version = random.nextInt(10) == 0 ? random.nextInt(3) : step;
                apply(map, model, new Assign(at, n, (int) version));
                if (step == 4000) {
                    copy = map.copy();
                    copyModel = model.clone();
                }
            }
            assertEquals(runsOf(model), map.extents());
            assertEquals(runsOf(copyModel), copy.extents());
            for (int probe = 0; probe < 2000; probe++) {
                int sector = random.nextInt(sectors);
                assertEquals(model[sector], map.versionAt(sector * 512L), "sector " + sector);
            }
        });
    }

    @Test
    void copiesShareNothingVisibleWhateverIsChangedAfterwards() {
        // copies share chunks until written (copy on write): a copy must not see later writes to
        // the original, nor the original those to the copy
        qt().withFixedSeed(11L).withExamples(100).forAll(lists().of(assigns()).ofSizeBetween(0, 200),
                        lists().of(assigns()).ofSizeBetween(0, 100), lists().of(assigns()).ofSizeBetween(0, 100))
                .checkAssert((before, toOriginal, toCopy) -> {
                    ExtentMap map = new ExtentMap(SECTORS * 512L);
                    long[] model = new long[SECTORS];
                    for (Assign a : before) {
                        apply(map, model, a);
                    }
                    ExtentMap copy = map.copy();
                    long[] copyModel = model.clone();
                    ExtentMap second = copy.copy();
                    long[] secondModel = model.clone();
                    for (Assign a : toOriginal) {
                        apply(map, model, a);
                    }
                    for (Assign a : toCopy) {
                        apply(copy, copyModel, a);
                    }
                    assertEquals(runsOf(model), map.extents());
                    assertEquals(runsOf(copyModel), copy.extents());
                    assertEquals(runsOf(secondModel), second.extents());
                });
    }

    @Test
    void aRangeCopiedFromAnotherMapTakesItsVersionsRunByRun() {
        qt().withFixedSeed(17L).withExamples(200).forAll(lists().of(assigns()).ofSizeBetween(0, 150),
                        lists().of(assigns()).ofSizeBetween(0, 150), assigns())
                .checkAssert((intoOps, fromOps, range) -> {
                    ExtentMap into = new ExtentMap(SECTORS * 512L);
                    long[] intoModel = new long[SECTORS];
                    ExtentMap from = new ExtentMap(SECTORS * 512L);
                    long[] fromModel = new long[SECTORS];
                    intoOps.forEach(a -> apply(into, intoModel, a));
                    fromOps.forEach(a -> apply(from, fromModel, a));
                    // a wider range than assigns() gives: up to the whole disk
                    int start = range.sector();
                    int n = Math.min(SECTORS - start, range.sectors() * (1 + range.version() * 5));
                    into.assignFrom(from, start * 512L, n * 512L);
                    System.arraycopy(fromModel, start, intoModel, start, n);
                    assertEquals(runsOf(intoModel), into.extents());
                    assertEquals(runsOf(fromModel), from.extents(), "the source map is unchanged");
                    // copying a range of a map onto itself changes nothing
                    into.assignFrom(into, start * 512L, n * 512L);
                    assertEquals(runsOf(intoModel), into.extents());
                });
    }

    private static void apply(ExtentMap map, long[] model, Assign a) {
        map.assign(a.sector() * 512L, a.sectors() * 512L, a.version());
        for (int i = a.sector(); i < a.sector() + a.sectors(); i++) {
            model[i] = a.version();
        }
    }

    @Test
    void differencesAreTheRangesWhereVersionsDisagree() {
        ExtentMap a = new ExtentMap(64 * 512L);
        ExtentMap b = new ExtentMap(64 * 512L);
        a.assign(0, 8 * 512, 1);
        b.assign(0, 8 * 512, 1);
        a.assign(10 * 512, 4 * 512, 2);
        b.assign(12 * 512, 4 * 512, 3);
        List<long[]> diffs = new ArrayList<>();
        a.forEachDifference(b, (o, l, x, y) -> diffs.add(new long[] {o / 512, l / 512, x, y}));
        assertEquals(List.of("10+2 2/0", "12+2 2/3", "14+2 0/3"),
                diffs.stream().map(d -> d[0] + "+" + d[1] + " " + d[2] + "/" + d[3]).toList());
        assertEquals(1, a.countDifferingBlocks(b, 8 * 512), "sectors 10-15 are all in block 1");
        assertEquals(2, a.countDifferingBlocks(b, 4 * 512));
        assertNotEquals(a.fingerprint(), b.fingerprint());
        b.assign(12 * 512, 4 * 512, 0);
        b.assign(10 * 512, 4 * 512, 2);
        assertEquals(a, b);
        assertEquals(0, a.countDifferingBlocks(b, 512));
    }

    @Test
    void memoryGrowsWithTheWrittenRangesNotWithTheDiskSize() {
        long tib = 1L << 40;
        ExtentMap empty = new ExtentMap(64 * tib);
        assertTrue(empty.estimatedMemoryBytes() < 1024, "an empty 64 TiB map: " + empty.estimatedMemoryBytes());
        ExtentMap map = new ExtentMap(2 * tib);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 1; i <= 100_000; i++) {
            map.assign(random.nextLong(2 * tib / 65536) * 65536, 65536, i);
        }
        assertTrue(map.runCount() <= 200_001, "runs " + map.runCount());
        double perRun = (double) map.estimatedMemoryBytes() / map.runCount();
        assertTrue(perRun < 32, "bytes per run " + perRun);
        // Rewriting everything as one range collapses the map back to a run or two.
        map.assign(0, 2 * tib, 100_001);
        assertEquals(1, map.runCount());
        assertTrue(map.estimatedMemoryBytes() < 1024, "collapsed: " + map.estimatedMemoryBytes());
    }

    @Test
    void rangesMustBeSectorAlignedAndInside() {
        ExtentMap map = new ExtentMap(4096);
        assertThrows(IllegalArgumentException.class, () -> map.assign(100, 512, 1));
        assertThrows(IllegalArgumentException.class, () -> map.assign(3584, 1024, 1));
        assertThrows(IllegalArgumentException.class, () -> map.assign(0, 512, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> map.versionAt(4096));
        assertThrows(IllegalArgumentException.class, () -> new ExtentMap(1000));
    }

    private static List<Extent> runsOf(long[] model) {
        List<Extent> runs = new ArrayList<>();
        for (int i = 0; i < model.length; ) {
            int j = i;
            while (j < model.length && model[j] == model[i]) {
                j++;
            }
            if (model[i] != 0) {
                runs.add(new Extent(i * 512L, (j - i) * 512L, model[i]));
            }
            i = j;
        }
        return runs;
    }
}
