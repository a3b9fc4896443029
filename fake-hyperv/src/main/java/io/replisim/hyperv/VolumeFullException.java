package io.replisim.hyperv;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A write did not fit on a host volume: NTFS's ERROR_DISK_FULL. The operation that throws it
 * changed nothing (a guest write is neither applied to the disk nor logged).
 */
public final class VolumeFullException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String volumeName;

    VolumeFullException(String volumeName, long capacityBytes, long freeBytes, Path file, Throwable cause) {
        super("There is not enough space on the disk. Volume " + volumeName + " (capacity " + capacityBytes
                + " bytes, " + freeBytes + " bytes free) cannot hold the write to " + file, cause);
        this.volumeName = volumeName;
    }

    /** The name of the full volume, as in its {@link VolumeConfig}. */
    public String volumeName() {
        return volumeName;
    }
}
