package io.replisim.azure.storage;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code memory} backend: one storage account held in memory.
 *
 * <p>Page blobs are stored sparsely as a map of fixed-size chunks, so a multi-TB blob with few
 * written pages costs little. Snapshots copy the chunk map, not the chunks: a chunk reachable from
 * a snapshot is marked shared and the base blob copies it before its next write to it.
 *
 * <p>Not thread-safe: a simulation run is single-threaded and owns its storage.
 */
public final class MemoryBlobStorage implements BlobStorage {

    /** Granularity of sparse storage; a write touching part of a chunk allocates all of it. */
    static final int CHUNK_SIZE = 64 * 1024;

    /** Azurite's well-known account name, used when none is given. */
    public static final String DEFAULT_ACCOUNT = "devstoreaccount1";

    private static final long MAX_DOWNLOAD_BYTES = Integer.MAX_VALUE - 8;

    private final String accountName;
    private final InstantSource clock;
    private final TreeMap<String, TreeMap<String, Blob>> containers = new TreeMap<>();

    public MemoryBlobStorage(InstantSource clock) {
        this(DEFAULT_ACCOUNT, clock);
    }

    public MemoryBlobStorage(String accountName, InstantSource clock) {
        this.accountName = Objects.requireNonNull(accountName, "accountName");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String accountName() {
        return accountName;
    }

    // --- containers ---------------------------------------------------------------------------

    @Override
    public void createContainer(String container) {
        BlobChecks.containerName(container);
        containers.computeIfAbsent(container, c -> new TreeMap<>());
    }

    @Override
    public boolean containerExists(String container) {
        return containers.containsKey(container);
    }

    @Override
    public void deleteContainer(String container) {
        if (containers.remove(container) == null) {
            throw containerNotFound(container);
        }
    }

    @Override
    public List<BlobItem> listBlobs(String container, String prefix) {
        TreeMap<String, Blob> blobs = container(container);
        String p = prefix == null ? "" : prefix;
        List<BlobItem> items = new ArrayList<>();
        for (Map.Entry<String, Blob> e : blobs.tailMap(p, true).entrySet()) {
            if (!e.getKey().startsWith(p)) {
                break;
            }
            Version v = e.getValue().current;
            items.add(new BlobItem(e.getKey(), v.type, v.size));
        }
        return items;
    }

    // --- page blobs ---------------------------------------------------------------------------

    @Override
    public void createPageBlob(String container, String blob, long sizeBytes) {
        TreeMap<String, Blob> blobs = container(container);
        BlobChecks.blobName(blob);
        BlobChecks.pageBlobSize(container, blob, sizeBytes);
        if (blobs.containsKey(blob)) {
            throw BlobChecks.blobAlreadyExists(container, blob);
        }
        blobs.put(blob, new Blob(Version.pageBlob(sizeBytes)));
    }

    @Override
    public void uploadPages(String container, String blob, long offset, byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        Version v = writablePageBlob(container, blob);
        checkPageRange(container, blob, v, offset, len);
        BlobChecks.putPageBodySize(container, blob, len);
        long pos = offset;
        int src = off;
        long end = offset + len;
        while (pos < end) {
            long chunkIndex = pos / CHUNK_SIZE;
            int inChunk = (int) (pos % CHUNK_SIZE);
            int n = (int) Math.min(CHUNK_SIZE - inChunk, end - pos);
            byte[] chunk = v.ownChunk(chunkIndex);
            System.arraycopy(data, src, chunk, inChunk, n);
            pos += n;
            src += n;
        }
        v.ranges.add(offset, end);
    }

    @Override
    public void clearPages(String container, String blob, long offset, long length) {
        Version v = writablePageBlob(container, blob);
        checkPageRange(container, blob, v, offset, length);
        long end = offset + length;
        v.ranges.remove(offset, end);
        long first = offset / CHUNK_SIZE;
        long last = (end - 1) / CHUNK_SIZE;
        for (Long index : new ArrayList<>(v.chunks.subMap(first, true, last, true).keySet())) {
            long chunkStart = index * CHUNK_SIZE;
            long chunkEnd = chunkStart + CHUNK_SIZE;
            if (!v.ranges.intersects(chunkStart, chunkEnd)) {
                v.chunks.remove(index); // nothing written left in it: free it
            } else {
                long from = Math.max(offset, chunkStart);
                long to = Math.min(end, chunkEnd);
                Arrays.fill(v.ownChunk(index), (int) (from - chunkStart), (int) (to - chunkStart), (byte) 0);
            }
        }
    }

    @Override
    public List<PageRange> getPageRanges(String container, String blob) {
        return getPageRanges(container, blob, null);
    }

    @Override
    public List<PageRange> getPageRanges(String container, String blob, String snapshot) {
        Version v = version(container, blob, snapshot);
        requireType(container, blob, v, BlobType.PAGE_BLOB);
        return v.ranges.toPageRanges();
    }

    // --- block blobs ----------------------------------------------------------------------------

    @Override
    public void uploadBlockBlob(String container, String blob, byte[] data) {
        TreeMap<String, Blob> blobs = container(container);
        BlobChecks.blobName(blob);
        Version v = Version.blockBlob(data.clone());
        Blob existing = blobs.get(blob);
        if (existing == null) {
            blobs.put(blob, new Blob(v));
        } else {
            existing.current = v; // Put Blob replaces content and metadata, keeps snapshots
        }
    }

    // --- any blob -----------------------------------------------------------------------------

    @Override
    public byte[] download(String container, String blob) {
        Version v = version(container, blob, null);
        if (v.size > MAX_DOWNLOAD_BYTES) {
            throw new IllegalArgumentException("blob " + container + "/" + blob + " of " + v.size
                    + " bytes is too large to download into one array; use downloadRange");
        }
        return v.read(0, (int) v.size);
    }

    @Override
    public byte[] downloadRange(String container, String blob, long offset, int length) {
        return downloadRange(container, blob, null, offset, length);
    }

    @Override
    public byte[] downloadRange(String container, String blob, String snapshot, long offset, int length) {
        Version v = version(container, blob, snapshot);
        if (length < 0 || offset < 0 || offset > v.size || (offset == v.size && length > 0)) {
            throw BlobChecks.invalidRange(container, blob, offset, length, v.size);
        }
        int n = (int) Math.min(length, v.size - offset);
        return v.read(offset, n);
    }

    @Override
    public long blobSize(String container, String blob) {
        return version(container, blob, null).size;
    }

    @Override
    public BlobType blobType(String container, String blob) {
        return version(container, blob, null).type;
    }

    @Override
    public boolean exists(String container, String blob) {
        TreeMap<String, Blob> blobs = containers.get(container);
        return blobs != null && blobs.containsKey(blob);
    }

    @Override
    public void deleteBlob(String container, String blob) {
        Blob b = blob(container, blob);
        if (!b.snapshots.isEmpty()) {
            throw new BlobStorageException(BlobErrorCode.SNAPSHOTS_PRESENT,
                    "This operation is not permitted because the blob has snapshots: " + container + "/" + blob);
        }
        containers.get(container).remove(blob);
    }

    @Override
    public void deleteBlobAndSnapshots(String container, String blob) {
        blob(container, blob);
        containers.get(container).remove(blob);
    }

    @Override
    public SortedMap<String, String> getMetadata(String container, String blob) {
        return getMetadata(container, blob, null);
    }

    @Override
    public SortedMap<String, String> getMetadata(String container, String blob, String snapshot) {
        return new TreeMap<>(version(container, blob, snapshot).metadata);
    }

    @Override
    public void setMetadata(String container, String blob, SortedMap<String, String> metadata) {
        Version v = blob(container, blob).current;
        TreeMap<String, String> checked = BlobChecks.metadata(metadata);
        v.metadata.clear();
        v.metadata.putAll(checked);
    }

    // --- snapshots ----------------------------------------------------------------------------

    @Override
    public String createSnapshot(String container, String blob) {
        return snapshot(container, blob, null);
    }

    @Override
    public String createSnapshot(String container, String blob, SortedMap<String, String> metadata) {
        return snapshot(container, blob, BlobChecks.metadata(metadata));
    }

    private String snapshot(String container, String blob, TreeMap<String, String> metadata) {
        Blob b = blob(container, blob);
        Instant now = clock.instant();
        Instant time = SnapshotIds.truncate(now);
        // two snapshots in the same tick (or a clock that went back) still get distinct, ordered ids
        if (b.lastSnapshot != null && !time.isAfter(b.lastSnapshot)) {
            time = b.lastSnapshot.plusNanos(SnapshotIds.TICK_NANOS);
        }
        b.lastSnapshot = time;
        String id = SnapshotIds.format(time);
        // as in REST, no metadata (an empty map sends no x-ms-meta-* header) keeps the blob's
        Version frozen = b.current.freeze(metadata != null && !metadata.isEmpty() ? metadata : null);
        b.snapshots.put(id, frozen);
        return id;
    }

    @Override
    public List<String> listSnapshots(String container, String blob) {
        return new ArrayList<>(blob(container, blob).snapshots.keySet());
    }

    @Override
    public void deleteSnapshot(String container, String blob, String snapshot) {
        Blob b = blob(container, blob);
        if (b.snapshots.remove(snapshot) == null) { // every id held is valid: only a miss needs parsing
            SnapshotIds.parse(snapshot);
            throw snapshotNotFound(container, blob, snapshot);
        }
    }

    // --- copy -----------------------------------------------------------------------------------

    @Override
    public void copyBlob(String sourceContainer, String sourceBlob, String sourceSnapshot, String targetContainer,
            String targetBlob) {
        Version source = version(sourceContainer, sourceBlob, sourceSnapshot);
        TreeMap<String, Blob> targets = container(targetContainer);
        BlobChecks.blobName(targetBlob);
        if (targets.containsKey(targetBlob)) {
            throw BlobChecks.blobAlreadyExists(targetContainer, targetBlob);
        }
        // shares the chunks copy-on-write, as snapshots do: copying a 4 TiB replica costs its chunk map
        targets.put(targetBlob, new Blob(source.freeze()));
    }

    // --- lookups and checks -------------------------------------------------------------------

    private TreeMap<String, Blob> container(String container) {
        TreeMap<String, Blob> blobs = containers.get(container);
        if (blobs == null) {
            throw containerNotFound(container);
        }
        return blobs;
    }

    private Blob blob(String container, String blob) {
        Blob b = container(container).get(blob);
        if (b == null) {
            throw BlobChecks.blobNotFound(container, blob);
        }
        return b;
    }

    private Version version(String container, String blob, String snapshot) {
        Blob b = blob(container, blob);
        if (snapshot == null) {
            return b.current;
        }
        SnapshotIds.parse(snapshot);
        Version v = b.snapshots.get(snapshot);
        if (v == null) {
            throw snapshotNotFound(container, blob, snapshot);
        }
        return v;
    }

    private Version writablePageBlob(String container, String blob) {
        Version v = blob(container, blob).current;
        requireType(container, blob, v, BlobType.PAGE_BLOB);
        v.unshare();
        return v;
    }

    private static void requireType(String container, String blob, Version v, BlobType type) {
        if (v.type != type) {
            throw new BlobStorageException(BlobErrorCode.INVALID_BLOB_TYPE,
                    "The blob type is invalid for this operation: " + container + "/" + blob + " is a " + v.type
                            + ", not a " + type);
        }
    }

    private static void checkPageRange(String container, String blob, Version v, long offset, long length) {
        if (offset < 0 || length <= 0 || offset % PAGE_SIZE != 0 || length % PAGE_SIZE != 0
                || offset + length > v.size) {
            throw BlobChecks.invalidPageRange(container, blob, offset, length, v.size);
        }
    }

    private static BlobStorageException containerNotFound(String container) {
        return BlobChecks.containerNotFound(container);
    }

    private static BlobStorageException snapshotNotFound(String container, String blob, String snapshot) {
        return new BlobStorageException(BlobErrorCode.BLOB_NOT_FOUND,
                "The specified blob does not exist: " + container + "/" + blob + "?snapshot=" + snapshot);
    }

    // --- state ----------------------------------------------------------------------------------

    /** A base blob and its snapshots. */
    private static final class Blob {
        Version current;
        /** In id order: a blob's snapshot ids only ever grow (see snapshot), so insertion order is theirs. */
        final Map<String, Version> snapshots = new LinkedHashMap<>();
        Instant lastSnapshot;

        Blob(Version current) {
            this.current = current;
        }
    }

    /** A chunk of page-blob content; once shared with a snapshot it is never written again. */
    private static final class Chunk {
        final byte[] bytes;
        boolean shared;

        Chunk(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /** The content of a blob or of one of its snapshots. */
    private static final class Version {
        final BlobType type;
        final long size;
        final byte[] block; // block blobs: never mutated once stored
        TreeMap<Long, Chunk> chunks; // page blobs: chunk index -> chunk
        PageRangeSet ranges;
        /**
         * Whether chunks and ranges are another version's too (a snapshot taken since the last
         * write): the writable version copies them first. A replica snapshotted every cycle but
         * rarely written (flow fidelity) keeps one map for all its snapshots. All chunks of a
         * shared map are marked shared.
         */
        boolean mapsShared;
        final TreeMap<String, String> metadata;

        private Version(BlobType type, long size, byte[] block, TreeMap<Long, Chunk> chunks, PageRangeSet ranges,
                TreeMap<String, String> metadata) {
            this.type = type;
            this.size = size;
            this.block = block;
            this.chunks = chunks;
            this.ranges = ranges;
            this.metadata = metadata;
        }

        static Version pageBlob(long size) {
            return new Version(BlobType.PAGE_BLOB, size, null, new TreeMap<>(), new PageRangeSet(), new TreeMap<>());
        }

        static Version blockBlob(byte[] data) {
            return new Version(BlobType.BLOCK_BLOB, data.length, data, null, null, new TreeMap<>());
        }

        /** A read-only copy sharing every chunk (and the maps of them); the base copies what it shares before writing it. */
        Version freeze() {
            return freeze(null);
        }

        /** A frozen copy, with {@code newMetadata} (owned by the copy from now on) or, if null, a copy of this one's. */
        Version freeze(TreeMap<String, String> newMetadata) {
            TreeMap<String, String> m = newMetadata != null ? newMetadata : new TreeMap<>(metadata);
            if (type == BlobType.BLOCK_BLOB) {
                return new Version(type, size, block, null, null, m);
            }
            if (!mapsShared) {
                for (Chunk c : chunks.values()) {
                    c.shared = true;
                }
                mapsShared = true;
            }
            Version frozen = new Version(type, size, null, chunks, ranges, m);
            frozen.mapsShared = true;
            return frozen;
        }

        /** Makes chunks and ranges this version's own before it changes them. */
        void unshare() {
            if (mapsShared) {
                chunks = new TreeMap<>(chunks);
                ranges = ranges.copy();
                mapsShared = false;
            }
        }

        /** The chunk at index, allocated or un-shared so that it may be written. */
        byte[] ownChunk(long index) {
            Chunk c = chunks.get(index);
            if (c == null) {
                c = new Chunk(new byte[CHUNK_SIZE]);
                chunks.put(index, c);
            } else if (c.shared) {
                c = new Chunk(c.bytes.clone());
                chunks.put(index, c);
            }
            return c.bytes;
        }

        byte[] read(long offset, int length) {
            if (type == BlobType.BLOCK_BLOB) {
                return Arrays.copyOfRange(block, (int) offset, (int) offset + length);
            }
            byte[] out = new byte[length];
            if (length == 0) {
                return out;
            }
            long end = offset + length;
            long first = offset / CHUNK_SIZE;
            long last = (end - 1) / CHUNK_SIZE;
            for (Map.Entry<Long, Chunk> e : chunks.subMap(first, true, last, true).entrySet()) {
                long chunkStart = e.getKey() * CHUNK_SIZE;
                long from = Math.max(offset, chunkStart);
                long to = Math.min(end, chunkStart + CHUNK_SIZE);
                System.arraycopy(e.getValue().bytes, (int) (from - chunkStart), out, (int) (from - offset),
                        (int) (to - from));
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return "MemoryBlobStorage[" + accountName + ", " + containers.size() + " containers]";
    }

    /** For tests: the number of chunks a page blob holds, to check sparseness. */
    int chunkCount(String container, String blob) {
        return version(container, blob, null).chunks.size();
    }
}
