package io.replisim.hyperv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Which version of its content each 512-byte sector of a disk holds: a step function from
 * sector to version, where 0 means never written. A disk keeps one in both fidelities (every
 * write assigns its range the disk's next version), and a sealed log's
 * {@link SealedLog#writes()} replayed with {@link #assign} onto a copy of the map taken when
 * logging started reproduces it; so a replica can be verified by {@link #fingerprint()} without
 * any payload.
 *
 * <p>Canonical: adjacent runs always differ in version, so two maps are equal (and have the same
 * fingerprint) exactly when every sector has the same version, whatever the writes that built
 * them. Compact: runs are kept in chunked primitive arrays, about 20 bytes a run, so memory
 * grows with the number of distinct written ranges, never with the disk's size.
 */
public final class ExtentMap {

    public static final int SECTOR = 512;

    /** A written range: {@code length} bytes at {@code offset}, all at {@code version} (positive). */
    public record Extent(long offset, long length, long version) {}

    /** Receives written ranges in ascending offset order. */
    @FunctionalInterface
    public interface ExtentConsumer {
        void accept(long offset, long length, long version);
    }

    /** Receives the ranges where two maps differ, with each map's version there (0: never written). */
    @FunctionalInterface
    public interface DifferenceConsumer {
        void accept(long offset, long length, long thisVersion, long otherVersion);
    }

    /** Runs per chunk before it splits; small enough that inserts copy little, large enough to amortize headers. */
    private static final int MAX_RUNS = 64;
    /** A chunk this small is merged into a neighbour when they fit together. */
    private static final int MERGE_BELOW = MAX_RUNS / 4;

    private final long sizeBytes;
    private final long sectors;
    /**
     * Chunks in key order, the first {@code chunkCount} slots used; the first run of the first
     * chunk always starts at sector 0. {@code firstKeys[i]} mirrors {@code chunks[i].keys[0]} so
     * finding a chunk is a binary search over one primitive array, not a walk through objects
     * scattered on the heap (on maps of many runs that walk was the model fidelity's hot spot).
     */
    private Chunk[] chunks;
    private long[] firstKeys;
    private int chunkCount;
    private long runs;

    /** A map of a never-written disk of {@code sizeBytes} (a positive multiple of 512). */
    public ExtentMap(long sizeBytes) {
        if (sizeBytes <= 0 || sizeBytes % SECTOR != 0) {
            throw new IllegalArgumentException("size must be a positive multiple of 512, got " + sizeBytes);
        }
        this.sizeBytes = sizeBytes;
        this.sectors = sizeBytes / SECTOR;
        Chunk first = new Chunk(4);
        first.insert(0, 0, 0);
        chunks = new Chunk[4];
        firstKeys = new long[4];
        addChunk(0, first);
        runs = 1;
    }

    private ExtentMap(ExtentMap other) {
        this.sizeBytes = other.sizeBytes;
        this.sectors = other.sectors;
        // copy on write: both maps share the chunks until one of them changes a chunk
        int capacity = Math.max(4, other.chunkCount + other.chunkCount / 4);
        this.chunks = new Chunk[capacity];
        this.firstKeys = new long[capacity];
        for (int i = 0; i < other.chunkCount; i++) {
            other.chunks[i].shared = true;
        }
        System.arraycopy(other.chunks, 0, chunks, 0, other.chunkCount);
        System.arraycopy(other.firstKeys, 0, firstKeys, 0, other.chunkCount);
        this.chunkCount = other.chunkCount;
        this.runs = other.runs;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** An independent copy. */
    public ExtentMap copy() {
        return new ExtentMap(this);
    }

    /**
     * Gives {@code [offset, offset + length)} the version {@code version}; 0 marks it never
     * written (as a revert to an earlier, emptier state does).
     */
    public void assign(long offset, long length, long version) {
        if (offset < 0 || length <= 0 || offset % SECTOR != 0 || length % SECTOR != 0 || offset > sizeBytes - length) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") must be sector-aligned and"
                    + " within " + sizeBytes + " bytes");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, got " + version);
        }
        long a = offset / SECTOR;
        long b = a + length / SECTOR;
        if (assignWithinOneChunk(a, b, version)) {
            return;
        }
        long after = b < sectors ? versionAtSector(b) : -1;
        long before = a > 0 ? versionAtSector(a - 1) : -1;
        removeKeys(a, b);
        if (a == 0 || before != version) {
            insert(a, version);
        }
        if (b < sectors && after != version) {
            insert(b, after);
        }
    }

    /**
     * Gives {@code [offset, offset + length)} the versions {@code from} (a map of the same size,
     * possibly this one) has there, run by run: a range copied from another copy of the disk.
     */
    public void assignFrom(ExtentMap from, long offset, long length) {
        if (from.sizeBytes != sizeBytes) {
            throw new IllegalArgumentException("cannot copy versions from a map of " + from.sizeBytes + " bytes into one of "
                    + sizeBytes);
        }
        if (offset < 0 || length <= 0 || offset % SECTOR != 0 || length % SECTOR != 0 || offset > sizeBytes - length) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") must be sector-aligned and"
                    + " within " + sizeBytes + " bytes");
        }
        long a = offset / SECTOR;
        long b = a + length / SECTOR;
        // read the runs first: assigning may change `from` when it is this map
        List<long[]> runs = new ArrayList<>();
        int ci = from.chunkFor(a);
        Chunk c = from.chunks[ci];
        int i = c.floor(a);
        for (long pos = a; pos < b; ) {
            long next = i + 1 < c.n ? c.keys[i + 1] : ci + 1 < from.chunkCount ? from.firstKeys[ci + 1] : sectors;
            long end = Math.min(next, b);
            runs.add(new long[] {pos, end, c.versions[i]});
            pos = end;
            if (++i == c.n) {
                ci++;
                i = 0;
                c = ci < from.chunkCount ? from.chunks[ci] : null;
            }
        }
        for (long[] run : runs) {
            assign(run[0] * SECTOR, (run[1] - run[0]) * SECTOR, run[2]);
        }
    }

    /** The version of the sector at {@code offset}; 0 if never written. */
    public long versionAt(long offset) {
        if (offset < 0 || offset >= sizeBytes) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside " + sizeBytes + " bytes");
        }
        return versionAtSector(offset / SECTOR);
    }

    /** Calls {@code consumer} for every written range, maximal and in offset order. */
    public void forEachExtent(ExtentConsumer consumer) {
        for (int ci = 0; ci < chunkCount; ci++) {
            Chunk c = chunks[ci];
            for (int i = 0; i < c.n; i++) {
                if (c.versions[i] != 0) {
                    long end = i + 1 < c.n ? c.keys[i + 1] : ci + 1 < chunkCount ? firstKeys[ci + 1] : sectors;
                    consumer.accept(c.keys[i] * SECTOR, (end - c.keys[i]) * SECTOR, c.versions[i]);
                }
            }
        }
    }

    /** The written ranges, in offset order. For small maps and tests; large ones use {@link #forEachExtent}. */
    public List<Extent> extents() {
        List<Extent> out = new ArrayList<>();
        forEachExtent((offset, length, version) -> out.add(new Extent(offset, length, version)));
        return out;
    }

    /** The number of maximal written ranges. */
    public long extentCount() {
        long[] n = {0};
        forEachExtent((o, l, v) -> n[0]++);
        return n[0];
    }

    /** Bytes ever written and not reverted to unwritten. */
    public long writtenBytes() {
        long[] n = {0};
        forEachExtent((o, l, v) -> n[0] += l);
        return n[0];
    }

    /** The runs kept, written or not: what memory grows with. */
    public long runCount() {
        return runs;
    }

    /** An estimate of the heap this map occupies (arrays, chunk objects, the chunk list). */
    public long estimatedMemoryBytes() {
        long bytes = 56 + 2 * 16 + 16L * chunks.length;
        for (int i = 0; i < chunkCount; i++) {
            bytes += 32 + 2 * (16 + 8L * chunks[i].keys.length);
        }
        return bytes;
    }

    /**
     * Calls {@code consumer} for every range where this map and {@code other} (of the same size)
     * hold different versions, in offset order: what a block comparison would find different.
     */
    public void forEachDifference(ExtentMap other, DifferenceConsumer consumer) {
        if (other.sizeBytes != sizeBytes) {
            throw new IllegalArgumentException("cannot compare a map of " + sizeBytes + " bytes with one of "
                    + other.sizeBytes);
        }
        Cursor x = new Cursor(this);
        Cursor y = new Cursor(other);
        long pos = 0;
        while (pos < sectors) {
            long end = Math.min(x.end, y.end);
            if (x.version != y.version) {
                consumer.accept(pos * SECTOR, (end - pos) * SECTOR, x.version, y.version);
            }
            pos = end;
            if (pos == sectors) {
                break;
            }
            if (x.end == end) {
                x.next();
            }
            if (y.end == end) {
                y.next();
            }
        }
    }

    /** How many {@code blockBytes}-sized blocks hold at least one sector whose versions differ. */
    public long countDifferingBlocks(ExtentMap other, long blockBytes) {
        if (blockBytes <= 0 || blockBytes % SECTOR != 0) {
            throw new IllegalArgumentException("block size must be a positive multiple of 512, got " + blockBytes);
        }
        long[] state = {0, -1}; // count, last block counted
        forEachDifference(other, (offset, length, a, b) -> {
            long first = Math.max(offset / blockBytes, state[1] + 1);
            long last = (offset + length - 1) / blockBytes;
            if (last >= first) {
                state[0] += last - first + 1;
                state[1] = last;
            }
        });
        return state[0];
    }

    /**
     * SHA-256, as lowercase hex, of the size and every written range (offset, length, version,
     * little-endian longs): equal exactly when the maps are equal.
     */
    public String fingerprint() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(sizeBytes).flip();
        digest.update(b);
        forEachExtent((offset, length, version) -> {
            b.clear();
            b.putLong(offset).putLong(length).putLong(version).flip();
            digest.update(b);
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ExtentMap m) || m.sizeBytes != sizeBytes || m.runs != runs) {
            return false;
        }
        boolean[] same = {true};
        forEachDifference(m, (offset, length, a, b) -> same[0] = false);
        return same[0];
    }

    @Override
    public int hashCode() {
        long[] h = {Long.hashCode(sizeBytes)};
        forEachExtent((offset, length, version) -> h[0] = 31 * (31 * (31 * h[0] + offset) + length) + version);
        return Long.hashCode(h[0]);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ExtentMap{").append(sizeBytes).append(" bytes");
        int[] shown = {0};
        forEachExtent((offset, length, version) -> {
            if (shown[0]++ < 8) {
                s.append(", [").append(offset).append(", +").append(length).append(")=v").append(version);
            }
        });
        if (shown[0] > 8) {
            s.append(", ... ").append(shown[0] - 8).append(" more");
        }
        return s.append('}').toString();
    }

    // ---- the chunked run list -------------------------------------------------------------

    private long versionAtSector(long sector) {
        Chunk c = chunks[chunkFor(sector)];
        return c.versions[c.floor(sector)];
    }

    /** The last chunk whose first key is at most {@code key}; 0 if none is. */
    private int chunkFor(long key) {
        long[] first = firstKeys;
        int lo = 0;
        int hi = chunkCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (first[mid] <= key) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * {@link #assign} of sectors {@code [a, b)} when sector {@code a - 1} (or {@code a}, at the
     * start) and {@code b} fall in one chunk with room for the result, as nearly every write's
     * do: one chunk search and two key searches instead of a search per step. Returns false,
     * changing nothing, when the general path must run.
     */
    private boolean assignWithinOneChunk(long a, long b, long version) {
        int ci = chunkFor(a > 0 ? a - 1 : 0);
        if (ci + 1 < chunkCount && firstKeys[ci + 1] <= b) {
            return false;
        }
        Chunk c = chunks[ci];
        int i = c.ceiling(a); // the first run starting at or after a; i - 1 holds sector a - 1
        int j = c.ceiling(b + 1); // j - 1 holds sector b
        long before = a > 0 ? c.versions[i - 1] : -1;
        long after = b < sectors ? c.versions[j - 1] : -1;
        boolean startsRun = a == 0 || before != version;
        boolean endsRun = b < sectors && after != version;
        int added = (startsRun ? 1 : 0) + (endsRun ? 1 : 0);
        if (c.n - (j - i) + added > MAX_RUNS) {
            return false;
        }
        c = own(ci);
        c.splice(i, j, added);
        if (startsRun) {
            c.keys[i] = a;
            c.versions[i] = version;
        }
        if (endsRun) {
            c.keys[i + added - 1] = b;
            c.versions[i + added - 1] = after;
        }
        runs += added - (j - i);
        firstKeys[ci] = c.keys[0];
        if (c.n < MERGE_BELOW && c.n + (j - i) - added >= MERGE_BELOW) {
            // only as it shrinks past the threshold: retrying on every write to a small chunk
            // whose neighbours are full would cost a neighbour lookup each time
            mergeAround(ci);
        }
        return true;
    }

    /** Removes every run starting in {@code [from, to]}. */
    private void removeKeys(long from, long to) {
        int ci = chunkFor(from);
        int touched = ci;
        while (ci < chunkCount) {
            Chunk c = own(ci);
            int i = c.ceiling(from);
            int j = c.ceiling(to + 1);
            boolean keyBeyondRemains = j < c.n; // later chunks start beyond `to` too
            c.remove(i, j);
            runs -= j - i;
            if (c.n == 0) {
                removeChunk(ci);
            } else {
                firstKeys[ci] = c.keys[0];
                ci++;
            }
            if (keyBeyondRemains) {
                break;
            }
        }
        mergeAround(Math.min(touched, chunkCount - 1));
    }

    private void insert(long key, long version) {
        if (chunkCount == 0) {
            addChunk(0, new Chunk(4));
            firstKeys[0] = key;
        }
        int ci = chunkFor(key);
        Chunk c = own(ci);
        if (c.n == MAX_RUNS) {
            Chunk upper = c.splitOffUpperHalf();
            addChunk(ci + 1, upper);
            if (key > upper.keys[0]) {
                c = upper;
                ci++;
            }
        }
        c.insert(c.ceiling(key), key, version);
        firstKeys[ci] = c.keys[0];
        runs++;
    }

    /** The chunk at {@code ci}, first copied if another map shares it (copy on write). */
    private Chunk own(int ci) {
        Chunk c = chunks[ci];
        if (c.shared) {
            c = c.copy();
            chunks[ci] = c;
        }
        return c;
    }

    /** Merges small chunks around index {@code ci} into their neighbours, so removals leave no dust. */
    private void mergeAround(int ci) {
        for (int k = Math.max(0, ci - 1); k < Math.min(chunkCount - 1, ci + 2); ) {
            Chunk a = chunks[k];
            Chunk b = chunks[k + 1];
            if ((a.n < MERGE_BELOW || b.n < MERGE_BELOW) && a.n + b.n <= MAX_RUNS * 3 / 4) {
                a = own(k);
                a.append(b);
                removeChunk(k + 1);
            } else {
                k++;
            }
        }
    }

    /** Puts {@code c} (not empty, or about to get its first key) at index {@code at}. */
    private void addChunk(int at, Chunk c) {
        if (chunkCount == chunks.length) {
            int capacity = chunks.length + (chunks.length >> 1) + 1;
            chunks = Arrays.copyOf(chunks, capacity);
            firstKeys = Arrays.copyOf(firstKeys, capacity);
        }
        System.arraycopy(chunks, at, chunks, at + 1, chunkCount - at);
        System.arraycopy(firstKeys, at, firstKeys, at + 1, chunkCount - at);
        chunks[at] = c;
        firstKeys[at] = c.n > 0 ? c.keys[0] : 0;
        chunkCount++;
    }

    private void removeChunk(int at) {
        System.arraycopy(chunks, at + 1, chunks, at, chunkCount - at - 1);
        System.arraycopy(firstKeys, at + 1, firstKeys, at, chunkCount - at - 1);
        chunks[--chunkCount] = null;
        if (chunks.length > 8 && chunkCount < chunks.length / 4) {
            chunks = Arrays.copyOf(chunks, chunks.length / 2);
            firstKeys = Arrays.copyOf(firstKeys, firstKeys.length / 2);
        }
    }

    /** Up to {@link #MAX_RUNS} runs in key order, in arrays that grow and shrink by halves. */
    private static final class Chunk {
        long[] keys;
        long[] versions;
        int n;
        /** Referenced by more than one map (or once was): copied before any change. */
        boolean shared;

        Chunk(int capacity) {
            keys = new long[capacity];
            versions = new long[capacity];
        }

        Chunk copy() {
            // copied to be changed: room for the write's two new runs, or the change would copy again
            Chunk c = new Chunk(Math.max(4, n + 2));
            System.arraycopy(keys, 0, c.keys, 0, n);
            System.arraycopy(versions, 0, c.versions, 0, n);
            c.n = n;
            return c;
        }

        /** The index of the last key at most {@code key}; the chunk's first key must be at most it. */
        int floor(long key) {
            int i = ceiling(key + 1) - 1;
            return Math.max(i, 0);
        }

        /** The index of the first key at least {@code key}, or {@code n}. */
        int ceiling(long key) {
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (keys[mid] < key) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        void insert(int at, long key, long version) {
            if (n == keys.length) {
                resize(keys.length * 2);
            }
            System.arraycopy(keys, at, keys, at + 1, n - at);
            System.arraycopy(versions, at, versions, at + 1, n - at);
            keys[at] = key;
            versions[at] = version;
            n++;
        }

        /** Replaces entries {@code [from, to)} with {@code count} slots for the caller to fill. */
        void splice(int from, int to, int count) {
            int newN = n - (to - from) + count;
            if (newN > keys.length) {
                resize(Integer.highestOneBit(newN) * 2);
            }
            System.arraycopy(keys, to, keys, from + count, n - to);
            System.arraycopy(versions, to, versions, from + count, n - to);
            n = newN;
            if (keys.length > 8 && n < keys.length / 4) {
                resize(keys.length / 2);
            }
        }

        void remove(int from, int to) {
            if (to <= from) {
                return;
            }
            System.arraycopy(keys, to, keys, from, n - to);
            System.arraycopy(versions, to, versions, from, n - to);
            n -= to - from;
            if (keys.length > 8 && n < keys.length / 4) {
                resize(keys.length / 2);
            }
        }

        Chunk splitOffUpperHalf() {
            int keep = n / 2;
            Chunk upper = new Chunk(Math.max(4, Integer.highestOneBit(n - keep) * 2));
            System.arraycopy(keys, keep, upper.keys, 0, n - keep);
            System.arraycopy(versions, keep, upper.versions, 0, n - keep);
            upper.n = n - keep;
            n = keep;
            return upper;
        }

        void append(Chunk other) {
            if (n + other.n > keys.length) {
                resize(Integer.highestOneBit(n + other.n) * 2);
            }
            System.arraycopy(other.keys, 0, keys, n, other.n);
            System.arraycopy(other.versions, 0, versions, n, other.n);
            n += other.n;
        }

        private void resize(int capacity) {
            long[] k = new long[capacity];
            long[] v = new long[capacity];
            System.arraycopy(keys, 0, k, 0, n);
            System.arraycopy(versions, 0, v, 0, n);
            keys = k;
            versions = v;
        }
    }

    /** Walks the runs (written or not) of a map in order. */
    private static final class Cursor {
        private final ExtentMap map;
        private int ci;
        private int i = -1;
        long end;
        long version;

        Cursor(ExtentMap map) {
            this.map = map;
            next();
        }

        void next() {
            i++;
            Chunk c = map.chunks[ci];
            if (i == c.n) {
                ci++;
                i = 0;
                c = map.chunks[ci];
            }
            version = c.versions[i];
            end = i + 1 < c.n ? c.keys[i + 1] : ci + 1 < map.chunkCount ? map.firstKeys[ci + 1] : map.sectors;
        }
    }
}
