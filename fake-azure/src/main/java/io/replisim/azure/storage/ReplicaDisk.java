package io.replisim.azure.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A replicated disk as Azure keeps it: a fixed VHD in a page blob, i.e. the disk's bytes at
 * [0, size) and the VHD footer in the last 512 bytes. Recovery points are blob snapshots.
 *
 * <p>The sequence of the last applied replication log is kept in the blob's metadata, so the
 * state survives in the storage account itself (as with any backend) and applying a log twice,
 * e.g. after a retried transfer, changes nothing.
 */
public final class ReplicaDisk {

    /** Blob metadata: sequence of the newest replication log applied to the replica. */
    public static final String LAST_APPLIED_LOG_KEY = "replisim_last_applied_log";
    /** Snapshot metadata: {@code crash} or {@code app}. */
    public static final String CONSISTENCY_KEY = "replisim_consistency";

    private static final int PAGE = BlobStorage.PAGE_SIZE;
    private static final int MAX_PUT = BlobStorage.MAX_PUT_PAGE_BYTES;

    private final BlobStorage storage;
    private final String container;
    private final String blobName;
    private final FixedVhd footer;

    private ReplicaDisk(BlobStorage storage, String container, String blobName, FixedVhd footer) {
        this.storage = storage;
        this.container = container;
        this.blobName = blobName;
        this.footer = footer;
    }

    /**
     * Creates the page blob (disk size + 512 bytes) in {@code container} (created if missing) and
     * writes the fixed VHD footer at its end. {@code diskSizeBytes} must be a positive multiple of 512.
     */
    public static ReplicaDisk create(BlobStorage storage, String container, String blobName, UUID diskId,
            long diskSizeBytes, Instant created) {
        Objects.requireNonNull(storage, "storage");
        if (diskSizeBytes <= 0 || diskSizeBytes % PAGE != 0
                || diskSizeBytes > BlobStorage.MAX_PAGE_BLOB_BYTES - FixedVhd.FOOTER_SIZE) {
            throw new IllegalArgumentException("disk size " + diskSizeBytes
                    + " must be a positive multiple of 512 of at most 8 TiB - 512 bytes");
        }
        FixedVhd footer = FixedVhd.of(diskSizeBytes, diskId, created);
        storage.createContainer(container);
        storage.createPageBlob(container, blobName, diskSizeBytes + FixedVhd.FOOTER_SIZE);
        byte[] bytes = footer.toBytes();
        storage.uploadPages(container, blobName, diskSizeBytes, bytes, 0, bytes.length);
        return new ReplicaDisk(storage, container, blobName, footer);
    }

    /** Opens an existing replica, reading and verifying its footer. */
    public static ReplicaDisk open(BlobStorage storage, String container, String blobName) {
        long blobSize = storage.blobSize(container, blobName);
        if (blobSize < FixedVhd.FOOTER_SIZE) {
            throw new InvalidVhdException(container + "/" + blobName + " of " + blobSize + " bytes has no VHD footer");
        }
        FixedVhd footer = FixedVhd.parse(
                storage.downloadRange(container, blobName, blobSize - FixedVhd.FOOTER_SIZE, FixedVhd.FOOTER_SIZE));
        if (footer.currentSize() != blobSize - FixedVhd.FOOTER_SIZE) {
            throw new InvalidVhdException("VHD footer of " + container + "/" + blobName + " says " + footer.currentSize()
                    + " bytes but the blob holds " + (blobSize - FixedVhd.FOOTER_SIZE));
        }
        return new ReplicaDisk(storage, container, blobName, footer);
    }

    /** The storage account holding the replica. */
    public BlobStorage storage() {
        return storage;
    }

    public String container() {
        return container;
    }

    public String blobName() {
        return blobName;
    }

    public UUID diskId() {
        return footer.uniqueId();
    }

    /** The disk's size in bytes (the blob is 512 bytes larger). */
    public long sizeBytes() {
        return footer.currentSize();
    }

    public FixedVhd footer() {
        return footer;
    }

    /** Writes {@code data[off, off+len)} at disk byte {@code offset}; any alignment is accepted. */
    public void writeData(long offset, byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        checkRange(offset, len);
        long pos = offset;
        int src = off;
        long end = offset + len;
        while (pos < end) {
            long pageStart = pos - pos % PAGE;
            if (pos != pageStart || end - pos < PAGE) {
                // a partial page: Put Page only takes whole pages, so merge with what is there
                byte[] page = storage.downloadRange(container, blobName, pageStart, PAGE);
                int n = (int) (Math.min(pageStart + PAGE, end) - pos);
                System.arraycopy(data, src, page, (int) (pos - pageStart), n);
                storage.uploadPages(container, blobName, pageStart, page, 0, PAGE);
                pos += n;
                src += n;
            } else {
                int n = (int) Math.min(end - end % PAGE - pos, MAX_PUT);
                storage.uploadPages(container, blobName, pos, data, src, n);
                pos += n;
                src += n;
            }
        }
    }

    public void writeData(long offset, byte[] data) {
        writeData(offset, data, 0, data.length);
    }

    /** Reads disk bytes; unwritten ranges read as zeros. */
    public byte[] readData(long offset, int length) {
        checkRange(offset, length);
        return storage.downloadRange(container, blobName, offset, length);
    }

    /** Reads disk bytes as they were at a recovery point. */
    public byte[] readData(DiskRecoveryPoint point, long offset, int length) {
        checkRange(offset, length);
        return storage.downloadRange(container, blobName, point.snapshot(), offset, length);
    }

    /** SHA-256 of the disk's bytes (not the footer), lowercase hex. */
    public String sha256() {
        return sha256Of(null);
    }

    /** SHA-256 of the disk's bytes at a recovery point, lowercase hex. */
    public String sha256(DiskRecoveryPoint point) {
        return sha256Of(point.snapshot());
    }

    private String sha256Of(String snapshot) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        long size = sizeBytes();
        byte[] zeros = new byte[1024 * 1024];
        long pos = 0;
        // hash gaps without downloading them: they read as zeros anyway
        for (PageRange r : storage.getPageRanges(container, blobName, snapshot)) {
            if (r.start() >= size) {
                break;
            }
            pos = hashZeros(digest, zeros, pos, r.start());
            long end = Math.min(r.end() + 1, size);
            while (pos < end) {
                int n = (int) Math.min(end - pos, MAX_PUT);
                digest.update(snapshot == null ? storage.downloadRange(container, blobName, pos, n)
                        : storage.downloadRange(container, blobName, snapshot, pos, n));
                pos += n;
            }
        }
        hashZeros(digest, zeros, pos, size);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long hashZeros(MessageDigest digest, byte[] zeros, long from, long to) {
        long pos = from;
        while (pos < to) {
            int n = (int) Math.min(to - pos, zeros.length);
            digest.update(zeros, 0, n);
            pos += n;
        }
        return pos;
    }

    /**
     * Applies a replication log: its writes in order, then records {@code logSequence} in the blob
     * metadata. A log whose sequence is not above the last applied one is ignored (returns false),
     * so redelivered or stale logs cannot roll the replica back. If a write fails midway the
     * sequence is not recorded and applying the log again redoes all of it, which is safe because
     * the writes are replayed in the same order.
     */
    public boolean applyLog(long logSequence, Iterable<PageWrite> writes) {
        if (logSequence < 0) {
            throw new IllegalArgumentException("log sequence " + logSequence + " is negative");
        }
        OptionalLong last = lastAppliedLogSequence();
        if (last.isPresent() && logSequence <= last.getAsLong()) {
            return false;
        }
        for (PageWrite w : writes) {
            writeData(w.offset(), w.data(), 0, w.data().length);
        }
        SortedMap<String, String> metadata = storage.getMetadata(container, blobName);
        metadata.put(LAST_APPLIED_LOG_KEY, Long.toString(logSequence));
        storage.setMetadata(container, blobName, metadata);
        return true;
    }

    /** Sequence of the newest log applied, empty if none was. */
    public OptionalLong lastAppliedLogSequence() {
        return lastApplied(storage.getMetadata(container, blobName));
    }

    /** Snapshots the blob as a recovery point. */
    public DiskRecoveryPoint createRecoveryPoint(boolean appConsistent) {
        TreeMap<String, String> metadata = new TreeMap<>(storage.getMetadata(container, blobName));
        metadata.put(CONSISTENCY_KEY, appConsistent ? "app" : "crash");
        String snapshot = storage.createSnapshot(container, blobName, metadata);
        return recoveryPoint(snapshot, metadata);
    }

    /** The disk's recovery points, oldest first. */
    public List<DiskRecoveryPoint> recoveryPoints() {
        List<DiskRecoveryPoint> points = new ArrayList<>();
        for (String snapshot : storage.listSnapshots(container, blobName)) {
            points.add(recoveryPoint(snapshot, storage.getMetadata(container, blobName, snapshot)));
        }
        return points;
    }

    /** Deletes a recovery point's snapshot (retention pruning, or after a resync). */
    public void deleteRecoveryPoint(DiskRecoveryPoint point) {
        storage.deleteSnapshot(container, blobName, point.snapshot());
    }

    /**
     * Copies the disk as it was at a recovery point into a new page blob (Copy Blob of the
     * point's snapshot; {@code targetContainer} is created if missing) and opens the copy: what a
     * failover does to give an Azure VM its disks. The copy carries the snapshot's metadata.
     */
    public ReplicaDisk copyRecoveryPoint(DiskRecoveryPoint point, String targetContainer, String targetBlob) {
        return copySnapshot(point.snapshot(), targetContainer, targetBlob);
    }

    /** As {@link #copyRecoveryPoint}, from a snapshot id (as a vault recovery point records it). */
    public ReplicaDisk copySnapshot(String snapshot, String targetContainer, String targetBlob) {
        Objects.requireNonNull(snapshot, "snapshot");
        storage.createContainer(targetContainer);
        storage.copyBlob(container, blobName, snapshot, targetContainer, targetBlob);
        return open(storage, targetContainer, targetBlob);
    }

    /** Writes the whole blob, i.e. a fixed VHD file's bytes (disk, then footer), to {@code out}. */
    public void exportVhd(OutputStream out) throws IOException {
        long blobSize = sizeBytes() + FixedVhd.FOOTER_SIZE;
        for (long pos = 0; pos < blobSize; pos += MAX_PUT) {
            out.write(storage.downloadRange(container, blobName, pos, (int) Math.min(MAX_PUT, blobSize - pos)));
        }
    }

    private DiskRecoveryPoint recoveryPoint(String snapshot, SortedMap<String, String> metadata) {
        return new DiskRecoveryPoint(snapshot, SnapshotIds.parse(snapshot), lastApplied(metadata),
                "app".equals(metadata.get(CONSISTENCY_KEY)));
    }

    private static OptionalLong lastApplied(SortedMap<String, String> metadata) {
        String value = metadata.get(LAST_APPLIED_LOG_KEY);
        return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > sizeBytes()) {
            throw new IndexOutOfBoundsException("range offset " + offset + " length " + length
                    + " is outside disk " + container + "/" + blobName + " of " + sizeBytes() + " bytes");
        }
    }

    @Override
    public String toString() {
        return "ReplicaDisk[" + container + "/" + blobName + ", " + sizeBytes() + " bytes, " + diskId() + "]";
    }
}
