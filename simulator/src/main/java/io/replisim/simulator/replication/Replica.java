package io.replisim.simulator.replication;

import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.DiskRecoveryPoint;
import io.replisim.azure.storage.PageWrite;
import io.replisim.azure.storage.ReplicaDisk;
import io.replisim.hyperv.BlockContent;
import io.replisim.hyperv.CorruptLogException;
import io.replisim.hyperv.DiskView;
import io.replisim.hyperv.ExtentMap;
import io.replisim.hyperv.Fidelity;
import io.replisim.hyperv.HrlReader;
import io.replisim.hyperv.HrlRecord;
import io.replisim.hyperv.LoggedWrite;
import io.replisim.hyperv.SealedLog;
import io.replisim.hyperv.VirtualDisk;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;

/**
 * A disk's replica in Azure as the stack sees it, in every fidelity: {@link Bytes} keeps the
 * data in the page blob; {@link Model} keeps the page blob (footer, snapshots) but its content as
 * an extent map of versions, so a multi-TB disk costs kilobytes; {@link Flow} keeps the version
 * the replica reached (the count of the source's writes it holds). All touch the storage account
 * at the same moments, so storage faults strike them the same way.
 */
abstract sealed class Replica {
    final ReplicaDisk disk;
    final long size;
    final UUID diskId;

    private Replica(ReplicaDisk disk, long size, UUID diskId) {
        this.disk = disk;
        this.size = size;
        this.diskId = diskId;
    }

    static Replica create(BlobStorage storage, String container, String blob, DiskReplication d, Instant created,
                          Fidelity fidelity) {
        VirtualDisk source = d.source;
        ReplicaDisk disk = ReplicaDisk.create(storage, container, blob, source.id(), source.sizeBytes(), created);
        return switch (fidelity) {
            case BYTES -> new Bytes(disk, source.sizeBytes(), source.id());
            case MODEL -> new Model(disk, source.sizeBytes(), source.id());
            case FLOW -> new Flow(disk, source.sizeBytes(), source.id(), d);
        };
    }

    /**
     * The 4 KiB blocks whose content {@code source} changed since {@code cut} (what a failover
     * to a point of that cut loses): compared block by block, or, in flow fidelity, from the
     * workload's locality model.
     */
    long blocksChangedSince(VirtualDisk source, ExtentMap cut) {
        return source.contentVersions().countDifferingBlocks(cut, BlockContent.BLOCK_SIZE);
    }

    /** An initial-replication piece arrived: {@code n} bytes at {@code offset} of the frozen source. */
    abstract void copy(DiskView frozen, long offset, long n) throws IOException;

    /** The vault applies an uploaded log (in order; a log applied already is skipped). */
    abstract boolean apply(SealedLog log, byte[] uploaded) throws CorruptLogException;

    /** Resync: the blocks of {@code blockSize} where the frozen source and this replica differ, as {offset, length}. */
    abstract List<long[]> differingBlocks(DiskView frozen, long blockSize) throws IOException;

    /** A recovery point: the blob's snapshot, plus the content versions in model fidelity. */
    abstract Point createRecoveryPoint(boolean appConsistent);

    void deleteRecoveryPoint(Point p) {
        disk.deleteRecoveryPoint(p.snapshot());
    }

    /** A digest of the content to compare with the source's (its SHA-256, or its versions' fingerprint). */
    abstract String digest();

    /**
     * Whether a failed-over copy of point {@code p} (in {@code failedOver}) holds exactly the
     * source's content as of {@code cut}: by the point's versions here (content-free replicas
     * hold no bytes, but read the copy's metadata as the check would), byte for byte in bytes fidelity.
     */
    boolean verify(Point p, ReplicaDisk failedOver, ExtentMap cut, long contentSeed) {
        failedOver.storage().getMetadata(failedOver.container(), failedOver.blobName());
        return p.versions().equals(cut);
    }

    // Failback works on the on-premises disk and the failover VM's disk, not on the replica; it is
    // here because how disks are compared and copied is what tells the fidelities apart.

    /**
     * Failback: the blocks of {@code blockSize}, as {offset, length}, where the on-premises disk
     * and the failover VM's disk {@code copy} (whose content is {@code copyVersions}) differ.
     */
    abstract List<long[]> blocksDifferingFrom(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long blockSize)
            throws IOException;

    /**
     * Failback: a block of {@code copy} (whose content is {@code copyVersions}) arrived and is
     * restored into the on-premises disk (the tracker is off), keeping the copy's versions.
     */
    abstract void restoreBlock(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long offset, int length)
            throws IOException;

    /** Failback: whether the on-premises disk now holds the content of {@code copy}. */
    abstract boolean matchesCopy(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long blockSize)
            throws IOException;

    /** After a failback: the replica stops any copy it was making (replication restarts with reprotect). */
    void settleAfterFailback() {
    }

    /** Every block of a disk of {@code size}, as {offset, length}: a full failback. */
    static List<long[]> allBlocks(long size, long blockSize) {
        List<long[]> blocks = new ArrayList<>();
        for (long offset = 0; offset < size; offset += blockSize) {
            blocks.add(new long[] {offset, Math.min(blockSize, size - offset)});
        }
        return blocks;
    }

    /** A recovery point of one disk. */
    record Point(DiskRecoveryPoint snapshot, ExtentMap versions) {}

    /**
     * The pieces of an initial copy that arrived, for the content-free replicas, which take the
     * frozen source's content once every piece did.
     */
    static final class Arrivals {
        final DiskView frozen;
        final long chunk;
        private final long pieces;
        private final BitSet arrived = new BitSet();
        private int count;

        Arrivals(DiskView frozen, long size) {
            this.frozen = frozen;
            this.chunk = Timings.irChunkBytes(size);
            this.pieces = (size + chunk - 1) / chunk;
        }

        /** Notes the piece at {@code offset}; true once every piece arrived. */
        boolean arrive(long offset) {
            if (!arrived.get((int) (offset / chunk))) {
                arrived.set((int) (offset / chunk));
                count++;
            }
            return count == pieces;
        }

        boolean has(long offset) {
            return arrived.get((int) (offset / chunk));
        }

        long bytesArrived() {
            return count * chunk;
        }
    }

    /** Real bytes in the page blob. */
    static final class Bytes extends Replica {
        Bytes(ReplicaDisk disk, long size, UUID diskId) {
            super(disk, size, diskId);
        }

        @Override
        void copy(DiskView frozen, long offset, long n) throws IOException {
            byte[] chunk = new byte[(int) Math.min(n, Timings.IR_CHUNK_BYTES)];
            for (long at = offset; at < offset + n; at += chunk.length) {
                int len = (int) Math.min(chunk.length, offset + n - at);
                frozen.read(at, chunk, 0, len);
                disk.writeData(at, chunk, 0, len);
            }
        }

        @Override
        boolean apply(SealedLog log, byte[] uploaded) throws CorruptLogException {
            HrlReader reader = HrlReader.read(uploaded);
            List<PageWrite> writes = new ArrayList<>(reader.records().size());
            for (HrlRecord r : reader.records()) {
                writes.add(new PageWrite(r.offset(), r.payload()));
            }
            return disk.applyLog(reader.sequence(), writes);
        }

        @Override
        List<long[]> differingBlocks(DiskView frozen, long blockSize) throws IOException {
            List<long[]> blocks = new ArrayList<>();
            for (long offset = 0; offset < size; offset += blockSize) {
                int n = (int) Math.min(blockSize, size - offset);
                byte[] source = new byte[n];
                frozen.read(offset, source, 0, n);
                if (!Arrays.equals(source, disk.readData(offset, n))) {
                    blocks.add(new long[] {offset, n});
                }
            }
            return blocks;
        }

        @Override
        Point createRecoveryPoint(boolean appConsistent) {
            return new Point(disk.createRecoveryPoint(appConsistent), null);
        }

        @Override
        String digest() {
            return disk.sha256();
        }

        @Override
        boolean verify(Point p, ReplicaDisk failedOver, ExtentMap cut, long contentSeed) {
            byte[] expected = new byte[BlockContent.BLOCK_SIZE];
            for (long offset = 0; offset < size; offset += BlockContent.BLOCK_SIZE) {
                long version = cut.versionAt(offset);
                if (version == 0) {
                    Arrays.fill(expected, (byte) 0);
                } else {
                    BlockContent.fill(contentSeed, diskId, offset / BlockContent.BLOCK_SIZE, version, expected, 0);
                }
                if (!Arrays.equals(expected, failedOver.readData(offset, BlockContent.BLOCK_SIZE))) {
                    return false;
                }
            }
            return true;
        }
        @Override
        List<long[]> blocksDifferingFrom(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long blockSize)
                throws IOException {
            List<long[]> blocks = new ArrayList<>();
            for (long[] block : allBlocks(size, blockSize)) {
                if (!sameBytes(onPrem, copy, block[0], (int) block[1])) {
                    blocks.add(block);
                }
            }
            return blocks;
        }

        @Override
        void restoreBlock(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long offset, int length)
                throws IOException {
            onPrem.restore(offset, copy.readData(offset, length), 0, length, copyVersions);
        }

        @Override
        boolean matchesCopy(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long blockSize) throws IOException {
            for (long[] block : allBlocks(size, blockSize)) {
                if (!sameBytes(onPrem, copy, block[0], (int) block[1])) {
                    return false;
                }
            }
            return true;
        }

        private static boolean sameBytes(VirtualDisk onPrem, ReplicaDisk copy, long offset, int n) throws IOException {
            byte[] local = new byte[n];
            onPrem.read(offset, local, 0, n);
            return Arrays.equals(local, copy.readData(offset, n));
        }
    }

    /** Content versions only: the page blob holds no data, just its footer and snapshots. */
    static final class Model extends Replica {
        private static final byte[] EMPTY = new byte[0];
        private ExtentMap versions;
        /** During initial replication: the pieces that arrived. */
        private Arrivals copying;
        /** The frozen source's versions, taken when the copy began: the checkpoint may be merged before it ends. */
        private ExtentMap copyingVersions;
        private long lastApplied = -1;

        Model(ReplicaDisk disk, long size, UUID diskId) {
            super(disk, size, diskId);
            this.versions = new ExtentMap(size);
        }

        @Override
        void copy(DiskView frozen, long offset, long n) {
            disk.storage().getMetadata(disk.container(), disk.blobName()); // the request the bytes would ride on
            if (copying == null || copying.frozen != frozen) {
                copying = new Arrivals(frozen, size);
                copyingVersions = frozen.contentVersions();
            }
            if (copying.arrive(offset)) {
                versions = copyingVersions;
                copying = null;
                copyingVersions = null;
            }
        }

        /** The content now: mid-copy, only the pieces that arrived hold the source's versions. */
        private ExtentMap current() {
            if (copying == null) {
                return versions;
            }
            ExtentMap partial = new ExtentMap(size);
            long chunk = Timings.irChunkBytes(size);
            copyingVersions.forEachExtent((offset, length, version) -> {
                for (long at = offset; at < offset + length; ) {
                    long chunkEnd = Math.min(offset + length, (at / chunk + 1) * chunk);
                    if (copying.has(at)) {
                        partial.assign(at, chunkEnd - at, version);
                    }
                    at = chunkEnd;
                }
            });
            return partial;
        }

        @Override
        boolean apply(SealedLog log, byte[] uploaded) throws CorruptLogException {
            log.checkSealed();
            if (log.sequence() <= lastApplied) {
                return false;
            }
            for (LoggedWrite w : log.writes()) {
                versions.assign(w.offset(), w.length(), w.version());
            }
            lastApplied = log.sequence();
            return true;
        }

        @Override
        List<long[]> differingBlocks(DiskView frozen, long blockSize) {
            versions = current();
            copying = null;
            pendingBlocks.clear();
            List<long[]> blocks = new ArrayList<>();
            // the checkpoint does not change while the resync runs: note each block's differences now
            frozen.contentVersions().forEachDifference(versions, (offset, length, a, b) -> {
                for (long block = offset / blockSize; block <= (offset + length - 1) / blockSize; block++) {
                    long start = block * blockSize;
                    long from = Math.max(offset, start);
                    long to = Math.min(offset + length, start + blockSize);
                    List<long[]> changes = pendingBlocks.get(start);
                    if (changes == null) {
                        changes = new ArrayList<>();
                        pendingBlocks.put(start, changes);
                        blocks.add(new long[] {start, Math.min(blockSize, size - start)});
                    }
                    changes.add(new long[] {from, to - from, a});
                }
            });
            return blocks;
        }

        /** Per differing block (by offset): the ranges to take the source's versions, noted when compared. */
        private final java.util.Map<Long, List<long[]>> pendingBlocks = new java.util.HashMap<>();

        /** Resync: a differing block arrived; it now holds the frozen source's versions. */
        void copyBlock(long offset, long length) {
            disk.storage().getMetadata(disk.container(), disk.blobName());
            for (long[] c : pendingBlocks.remove(offset)) {
                versions.assign(c[0], c[1], c[2]);
            }
        }

        @Override
        Point createRecoveryPoint(boolean appConsistent) {
            return new Point(disk.createRecoveryPoint(appConsistent), current().copy());
        }

        @Override
        String digest() {
            return current().fingerprint();
        }

        @Override
        List<long[]> blocksDifferingFrom(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long blockSize) {
            copy.storage().getMetadata(copy.container(), copy.blobName()); // the request the checksums would ride on
            java.util.TreeSet<Long> starts = new java.util.TreeSet<>();
            onPrem.contentVersions().forEachDifference(copyVersions, (offset, length, a, b) -> {
                for (long block = offset / blockSize; block <= (offset + length - 1) / blockSize; block++) {
                    starts.add(block * blockSize);
                }
            });
            List<long[]> blocks = new ArrayList<>();
            for (long start : starts) {
                blocks.add(new long[] {start, Math.min(blockSize, size - start)});
            }
            return blocks;
        }

        /** Model disks keep no bytes: the block is restored as zeros, dropped, with the copy's versions. */
        @Override
        void restoreBlock(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long offset, int length)
                throws IOException {
            copy.storage().getMetadata(copy.container(), copy.blobName());
            if (zeros.length < length) {
                zeros = new byte[length];
            }
            onPrem.restore(offset, zeros, 0, length, copyVersions);
        }

        private byte[] zeros = new byte[0];

        /** Without bytes: the on-premises disk holds the copy's versions everywhere. */
        @Override
        boolean matchesCopy(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long blockSize) {
            copy.storage().getMetadata(copy.container(), copy.blobName());
            return onPrem.contentVersions().equals(copyVersions);
        }

        @Override
        void settleAfterFailback() {
            versions = current();
            copying = null;
        }

        static byte[] emptyUpload() {
            return EMPTY;
        }
    }

    /**
     * Flow fidelity: the version the replica reached, one for the whole disk (the count of the
     * source's writes it holds). What differs between two versions is the distinct blocks their
     * writes touched, from the workload's locality model; initial replication and resync send
     * their blocks in at most {@value Timings#IR_MAX_CHUNKS} pieces, as initial replication does.
     */
    static final class Flow extends Replica {
        private final DiskReplication source;
        private long version;
        private long lastApplied = -1;
        /** During initial replication: the pieces that arrived, and the version they bring. */
        private Arrivals copying;
        private long copyingVersion;
        /** During a resync: the version the differing blocks bring, and how many bytes are still to come. */
        private long syncingVersion;
        private long syncingBytesLeft;
        /**
         * After a failback, until reprotect compares: the on-premises disk's version before the
         * failback restored it (its writes go on from there), and the failover copy's version, the
         * content it holds since. Flow versions count writes along one history, so what the old
         * replica and the failed-back disk differ by is the writes between the replica and the copy
         * (the failover lost the rest) plus those made on-premises since, not their versions' distance.
         */
        private long beforeFailback = -1;
        private long failedBackTo = -1;

        Flow(ReplicaDisk disk, long size, UUID diskId, DiskReplication source) {
            super(disk, size, diskId);
            this.source = source;
        }

        private static long versionOf(ExtentMap map) {
            return map.versionAt(0);
        }

        private ExtentMap map(long v) {
            ExtentMap m = new ExtentMap(size);
            if (v > 0) {
                m.assign(0, size, v);
            }
            return m;
        }

        @Override
        void copy(DiskView frozen, long offset, long n) {
            disk.storage().getMetadata(disk.container(), disk.blobName()); // the request the bytes would ride on
            if (copying == null || copying.frozen != frozen) {
                copying = new Arrivals(frozen, size);
                copyingVersion = versionOf(frozen.contentVersions());
            }
            if (copying.arrive(offset)) {
                version = copyingVersion;
                copying = null;
            }
        }

        @Override
        boolean apply(SealedLog log, byte[] uploaded) throws CorruptLogException {
            log.checkSealed();
            if (log.sequence() <= lastApplied) {
                return false;
            }
            if (log.recordCount() > 0) {
                version = log.lastVersion();
            }
            lastApplied = log.sequence();
            return true;
        }

        /** The distinct blocks of {@code blockSize} that {@code writes} of the source touched, as the locality model has them. */
        private long distinct(long writes, long blockSize) {
            long total = (size + blockSize - 1) / blockSize;
            if (source.workload != null) {
                return source.workload.distinctBlocks(writes, blockSize);
            }
            // no workload (only offline changes): 64 KiB writes anywhere, one block each at most
            return Math.min(total, Math.abs(writes));
        }

        /** {@code blocks} of {@code blockSize} as at most {@link Timings#IR_MAX_CHUNKS} pieces of whole blocks. */
        private List<long[]> pieces(long blocks, long blockSize) {
            List<long[]> pieces = new ArrayList<>();
            long bytes = Math.min(size, blocks * blockSize);
            long per = Math.min(Math.max(1, (blocks + Timings.IR_MAX_CHUNKS - 1) / Timings.IR_MAX_CHUNKS) * blockSize,
                    Math.max(blockSize, (1L << 30) / blockSize * blockSize)); // a piece is at most 1 GiB
            for (long at = 0; at < bytes; at += per) {
                pieces.add(new long[] {at, Math.min(per, bytes - at)});
            }
            return pieces;
        }

        @Override
        List<long[]> differingBlocks(DiskView frozen, long blockSize) {
            long target = versionOf(frozen.contentVersions());
            long blocks;
            if (copying != null) { // initial replication cut short: what did not arrive, and what changed since
                long missing = size - copying.bytesArrived();
                blocks = Math.min((size + blockSize - 1) / blockSize,
                        (Math.max(0, missing) + blockSize - 1) / blockSize + distinct(Math.abs(target - copyingVersion), blockSize));
                copying = null;
            } else if (failedBackTo >= 0) {
                long since = Math.max(0, target - Math.max(beforeFailback, failedBackTo)); // written on-premises since
                blocks = distinct(Math.abs(version - failedBackTo) + since, blockSize);
            } else {
                blocks = distinct(Math.abs(target - version), blockSize);
            }
            beforeFailback = -1;
            failedBackTo = -1;
            List<long[]> pieces = pieces(blocks, blockSize);
            syncingVersion = target;
            syncingBytesLeft = pieces.stream().mapToLong(p -> p[1]).sum();
            if (syncingBytesLeft == 0) {
                version = target;
            }
            return pieces;
        }

        /** Resync: a piece of the differing blocks arrived; with the last, the replica is at the checkpoint's version. */
        void copyBlock(long offset, long length) {
            disk.storage().getMetadata(disk.container(), disk.blobName());
            syncingBytesLeft -= length;
            if (syncingBytesLeft <= 0) {
                version = syncingVersion;
            }
        }

        @Override
        Point createRecoveryPoint(boolean appConsistent) {
            return new Point(disk.createRecoveryPoint(appConsistent), map(version));
        }

        @Override
        String digest() {
            return map(copying != null ? 0 : version).fingerprint();
        }

        @Override
        long blocksChangedSince(VirtualDisk s, ExtentMap cut) {
            return distinct(Math.abs(versionOf(s.contentVersions()) - versionOf(cut)), BlockContent.BLOCK_SIZE);
        }

        @Override
        List<long[]> blocksDifferingFrom(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long blockSize) {
            copy.storage().getMetadata(copy.container(), copy.blobName());
            beforeFailback = versionOf(onPrem.contentVersions());
            return pieces(distinct(Math.abs(versionOf(onPrem.contentVersions()) - versionOf(copyVersions)), blockSize), blockSize);
        }

        @Override
        void restoreBlock(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long offset, int length)
                throws IOException {
            copy.storage().getMetadata(copy.container(), copy.blobName());
            if (beforeFailback < 0) { // a full failback compares nothing first
                beforeFailback = versionOf(onPrem.contentVersions());
            }
            onPrem.restore(offset, new byte[512], 0, 512, copyVersions); // flow disks take the copy's version whole
        }

        @Override
        boolean matchesCopy(VirtualDisk onPrem, ReplicaDisk copy, ExtentMap copyVersions, long blockSize) {
            copy.storage().getMetadata(copy.container(), copy.blobName());
            failedBackTo = versionOf(copyVersions); // called as the failback ends: the disk holds the copy's content
            return onPrem.contentVersions().equals(copyVersions);
        }
    }
}
