package io.replisim.simulator.replication;

import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.DiskRecoveryPoint;
import io.replisim.azure.storage.PageWrite;
import io.replisim.azure.storage.ReplicaDisk;
import io.replisim.hyperv.BlockContent;
import io.replisim.hyperv.CorruptLogException;
import io.replisim.hyperv.DiskView;
import io.replisim.hyperv.ExtentMap;
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
 * A disk's replica in Azure as the stack sees it, in either fidelity: {@link Bytes} keeps the
 * data in the page blob; {@link Model} keeps the page blob (footer, snapshots) but its content as
 * an extent map of versions, so a multi-TB disk costs kilobytes. Both touch the storage account
 * at the same moments, so storage faults strike both the same way.
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

    static Replica create(BlobStorage storage, String container, String blob, VirtualDisk source, Instant created,
                          boolean model) {
        ReplicaDisk disk = ReplicaDisk.create(storage, container, blob, source.id(), source.sizeBytes(), created);
        return model ? new Model(disk, source.sizeBytes(), source.id()) : new Bytes(disk, source.sizeBytes(), source.id());
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

    /** A digest of the content to compare with the source's {@link #sourceDigest}. */
    abstract String digest();

    abstract String sourceDigest(VirtualDisk source) throws IOException;

    /** How digests are taken: {@code sha256} of the bytes, or of the {@code extent-versions}. */
    abstract String method();

    /**
     * Whether a failed-over copy of point {@code p} (in {@code failedOver}) holds exactly the
     * source's content as of {@code cut}: byte for byte, or by extent versions.
     */
    abstract boolean verify(Point p, ReplicaDisk failedOver, ExtentMap cut, long contentSeed);

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
        String sourceDigest(VirtualDisk source) throws IOException {
            return source.sha256();
        }

        @Override
        String method() {
            return "sha256";
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
        /** During initial replication: the pieces that arrived, and how many. */
        private BitSet arrived;
        private int arrivedCount;
        private DiskView copying;
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
            if (copying != frozen) {
                copying = frozen;
                copyingVersions = frozen.contentVersions();
                arrived = new BitSet();
                arrivedCount = 0;
            }
            long chunk = Timings.irChunkBytes(size);
            if (!arrived.get((int) (offset / chunk))) {
                arrived.set((int) (offset / chunk));
                arrivedCount++;
            }
            if (arrivedCount == (size + chunk - 1) / chunk) {
                versions = copyingVersions;
                copying = null;
                copyingVersions = null;
                arrived = null;
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
                    if (arrived.get((int) (at / chunk))) {
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
            arrived = null;
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
        String sourceDigest(VirtualDisk source) {
            return source.contentFingerprint();
        }

        @Override
        String method() {
            return "extent-versions";
        }

        @Override
        boolean verify(Point p, ReplicaDisk failedOver, ExtentMap cut, long contentSeed) {
            failedOver.storage().getMetadata(failedOver.container(), failedOver.blobName());
            return p.versions().equals(cut);
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
            arrived = null;
        }

        static byte[] emptyUpload() {
            return EMPTY;
        }
    }
}
