package io.replisim.hyperv;

import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * A sealed {@code .hrl} log waiting on its volume until it is acknowledged.
 *
 * @param vmName      the VM whose disk it belongs to
 * @param diskName    the disk's name
 * @param diskId      the disk's id, also written in the log's header
 * @param sequence    the log sequence number, 1 for a disk's first log
 * @param path        the file, in the disk's folder
 * @param sizeBytes   the file's size, close marker included
 * @param recordCount the number of write records
 */
public record SealedLog(String vmName, String diskName, UUID diskId, long sequence, Path path, long sizeBytes,
        long recordCount) {

    public SealedLog {
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(diskName, "diskName");
        Objects.requireNonNull(diskId, "diskId");
        Objects.requireNonNull(path, "path");
    }
}
