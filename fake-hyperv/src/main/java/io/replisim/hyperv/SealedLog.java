package io.replisim.hyperv;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A sealed {@code .hrl} log waiting on its volume until it is acknowledged. In bytes fidelity
 * {@link #path()} is a real file that {@link HrlReader} reads; in model fidelity there is no
 * file, and {@link #writes()} is the content. Sizes and counts are the same in both.
 *
 * @param vmName        the VM whose disk it belongs to
 * @param diskName      the disk's name
 * @param diskId        the disk's id, also written in the log's header
 * @param sequence      the log sequence number, 1 for a disk's first log
 * @param path          the file, in the disk's folder (model fidelity: where it would be)
 * @param sizeBytes     the file's size, close marker included ({@code docs/hrl-format.md})
 * @param recordCount   the number of write records
 * @param fidelity      whether {@link #path()} holds the log's bytes
 * @param sealedCleanly false when the log ends without a close marker (a failed log write, a
 *                      crash): it must not be applied, and resynchronization is required
 * @param writes        the records without payload, in the order they must be applied (none in
 *                      flow fidelity, where a log holds counts only)
 * @param lastVersion   the disk's content version its last record gave (flow fidelity: what
 *                      applying the log brings a replica to); 0 if the log holds no record
 */
public record SealedLog(String vmName, String diskName, UUID diskId, long sequence, Path path, long sizeBytes,
        long recordCount, Fidelity fidelity, boolean sealedCleanly, List<LoggedWrite> writes, long lastVersion) {

    public SealedLog {
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(diskName, "diskName");
        Objects.requireNonNull(diskId, "diskId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(fidelity, "fidelity");
        Objects.requireNonNull(writes, "writes");
    }

    /** A cleanly sealed bytes-fidelity log whose writes are not known (read from elsewhere). */
    public SealedLog(String vmName, String diskName, UUID diskId, long sequence, Path path, long sizeBytes,
            long recordCount) {
        this(vmName, diskName, diskId, sequence, path, sizeBytes, recordCount, Fidelity.BYTES, true, List.of(), 0);
    }

    /** Its file name, {@code <disk>-<sequence>.hrl}: {@code path().getFileName()} without asking the file system. */
    public String fileName() {
        return ActiveLog.fileName(diskName, sequence);
    }

    /**
     * The bytes its write records carry: the sum of its writes' lengths, or in flow fidelity
     * (no write list) what its size leaves after the header, the records' heads and checksums
     * and the close marker.
     */
    public long payloadBytes() {
        if (fidelity != Fidelity.FLOW) {
            long sum = 0;
            for (LoggedWrite w : writes) {
                sum += w.length();
            }
            return sum;
        }
        long framing = HrlFormat.HEADER_SIZE + recordCount * (HrlFormat.WRITE_HEAD_SIZE + HrlFormat.CRC_SIZE)
                + (sealedCleanly ? HrlFormat.CLOSE_SIZE : 0);
        return Math.max(0, sizeBytes - framing);
    }

    /**
     * Fails as {@link HrlReader} would on the file if the log was not sealed cleanly: the check
     * the replication stack makes before applying a log, in either fidelity.
     */
    public void checkSealed() throws CorruptLogException {
        if (!sealedCleanly) {
            throw new CorruptLogException("Corrupt replication log " + path + " at byte " + sizeBytes
                    + ": no close marker after " + recordCount + " records: the log was not sealed cleanly");
        }
    }
}
