package io.replisim.hyperv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
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
    /** Chunks in key order; the first run of the first chunk always starts at sector 0. */
    private final ArrayList<Chunk> chunks = new ArrayList<>();
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
        chunks.add(first);
        runs = 1;
    }

    private ExtentMap(ExtentMap other) {
        this.sizeBytes = other.sizeBytes;
        this.sectors = other.sectors;
        // copy on write: both maps share the chunks until one of them changes a chunk
        chunks.ensureCapacity(other.chunks.size());
        for (Chunk c : other.chunks) {
            c.shared = true;
            chunks.add(c);
        }
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

    /** The version of the sector at {@code offset}; 0 if never written. */
    public long versionAt(long offset) {
        if (offset < 0 || offset >= sizeBytes) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside " + sizeBytes + " bytes");
        }
        return versionAtSector(offset / SECTOR);
    }

    /** Calls {@code consumer} for every written range, maximal and in offset order. */
    public void forEachExtent(ExtentConsumer consumer) {
        for (int ci = 0; ci < chunks.size(); ci++) {
            Chunk c = chunks.get(ci);
            for (int i = 0; i < c.n; i++) {
                if (c.versions[i] != 0) {
                    long end = i + 1 < c.n ? c.keys[i + 1] : ci + 1 < chunks.size() ? chunks.get(ci + 1).keys[0] : sectors;
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
        long bytes = 48 + 24 + 16 + 8L * chunks.size();
        for (Chunk c : chunks) {
            bytes += 32 + 2 * (16 + 8L * c.keys.length);
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
        Chunk c = chunks.get(chunkFor(sector));
        return c.versions[c.floor(sector)];
    }

    /** The last chunk whose first key is at most {@code key}; 0 if none is. */
    private int chunkFor(long key) {
        int lo = 0;
        int hi = chunks.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (chunks.get(mid).keys[0] <= key) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Removes every run starting in {@code [from, to]}. */
    private void removeKeys(long from, long to) {
        int ci = chunkFor(from);
        int touched = ci;
        while (ci < chunks.size()) {
            Chunk c = own(ci);
            int i = c.ceiling(from);
            int j = c.ceiling(to + 1);
            boolean keyBeyondRemains = j < c.n; // later chunks start beyond `to` too
            c.remove(i, j);
            runs -= j - i;
            if (c.n == 0) {
                chunks.remove(ci);
            } else {
                ci++;
            }
            if (keyBeyondRemains) {
                break;
            }
        }
        mergeAround(Math.min(touched, chunks.size() - 1));
    }

    private void insert(long key, long version) {
        if (chunks.isEmpty()) {
            chunks.add(new Chunk(4));
        }
        int ci = chunkFor(key);
        Chunk c = own(ci);
        if (c.n == MAX_RUNS) {
            Chunk upper = c.splitOffUpperHalf();
            chunks.add(ci + 1, upper);
            if (key > upper.keys[0]) {
                c = upper;
            }
        }
        c.insert(c.ceiling(key), key, version);
        runs++;
    }

    /** The chunk at {@code ci}, first copied if another map shares it (copy on write). */
    private Chunk own(int ci) {
        Chunk c = chunks.get(ci);
        if (c.shared) {
            c = c.copy();
            chunks.set(ci, c);
        }
        return c;
    }

    /** Merges small chunks around index {@code ci} into their neighbours, so removals leave no dust. */
    private void mergeAround(int ci) {
        for (int k = Math.max(0, ci - 1); k < Math.min(chunks.size() - 1, ci + 2); ) {
            Chunk a = chunks.get(k);
            Chunk b = chunks.get(k + 1);
            if ((a.n < MERGE_BELOW || b.n < MERGE_BELOW) && a.n + b.n <= MAX_RUNS * 3 / 4) {
                a = own(k);
                a.append(b);
                chunks.remove(k + 1);
            } else {
                k++;
            }
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
            Chunk c = new Chunk(Math.max(4, n));
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
            Chunk c = map.chunks.get(ci);
            if (i == c.n) {
                ci++;
                i = 0;
                c = map.chunks.get(ci);
            }
            version = c.versions[i];
            end = i + 1 < c.n ? c.keys[i + 1] : ci + 1 < map.chunks.size() ? map.chunks.get(ci + 1).keys[0] : map.sectors;
        }
    }
}
