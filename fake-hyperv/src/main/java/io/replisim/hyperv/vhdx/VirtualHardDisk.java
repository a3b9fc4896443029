package io.replisim.hyperv.vhdx;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * An open virtual hard disk file (VHDX, or AVHDX for a differencing disk), read and written
 * at byte offsets of the virtual disk. Offsets and lengths must be multiples of the logical
 * sector size (512). Reads of never-written ranges return zeros (or the parent's bytes for a
 * differencing disk).
 */
public interface VirtualHardDisk extends Closeable {

    /** The file holding this disk. */
    Path path();

    /** The disk's identifier from the file's metadata (Virtual Disk ID / Page 83 data). */
    UUID diskId();

    /** The virtual size in bytes, as the guest sees it. */
    long virtualSize();

    /** The parent's path when this is a differencing disk. */
    Optional<Path> parentPath();

    void write(long offset, byte[] src, int srcOffset, int length) throws IOException;

    void read(long offset, byte[] dst, int dstOffset, int length) throws IOException;

    /** Forces pending metadata (BAT, headers) to the file. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
