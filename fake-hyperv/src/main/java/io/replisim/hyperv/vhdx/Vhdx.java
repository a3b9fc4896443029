package io.replisim.hyperv.vhdx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Creates and opens VHDX (and AVHDX differencing) files per Microsoft's [MS-VHDX]
 * specification, on any {@link java.nio.file.FileSystem}. Output is deterministic: the same
 * calls with the same arguments give byte-identical files (GUIDs are derived from the disk id,
 * never random). See {@code docs/vhdx.md} for the subset implemented.
 */
public final class Vhdx {

    /** Hyper-V's default block size for dynamic disks. */
    public static final int DEFAULT_BLOCK_SIZE = 32 * 1024 * 1024;

    /** The size of the sector bitmap blocks a differencing disk allocates, one per chunk it needs. */
    public static final int SECTOR_BITMAP_BLOCK_SIZE = VhdxFormat.SECTOR_BITMAP_BLOCK_SIZE;

    private Vhdx() {}

    /**
     * The size of a new dynamic or differencing file we write: everything up to the end of the
     * BAT, no payload block. Blocks, and a differencing disk's sector bitmap blocks, are appended
     * after it in whole units as first needed (see {@code docs/vhdx.md}), so a file's size is
     * this plus the units allocated.
     */
    public static long emptyFileSize(long virtualSize, int blockSize, boolean differencing) {
        checkVirtualSize(virtualSize);
        long batBytes = VhdxFile.batEntries(virtualSize, blockSize, differencing) * 8;
        return VhdxFormat.BAT_OFFSET + VhdxFormat.roundUp(batBytes, VhdxFormat.MIB);
    }

    /** Payload blocks per chunk: how many blocks one sector bitmap block covers. */
    public static int chunkRatio(int blockSize) {
        return VhdxFile.chunkRatio(blockSize);
    }

    /**
     * Creates a dynamically expanding disk: the file holds only the blocks written so far.
     *
     * @param virtualSize a multiple of 512, at most 64 TiB
     * @param blockSize a power of two from 1 MiB to 256 MiB
     * @throws java.nio.file.FileAlreadyExistsException if the path exists
     */
    public static VirtualHardDisk createDynamic(Path path, long virtualSize, int blockSize,
            UUID diskId) throws IOException {
        checkArguments(path, virtualSize, blockSize, diskId);
        VhdxFile.create(path, new VhdxMetadata(blockSize, false, false, virtualSize, diskId,
                VhdxFormat.LOGICAL_SECTOR, VhdxFormat.PHYSICAL_SECTOR, null));
        return VhdxFile.open(path, true, false, 0);
    }

    /**
     * Creates a fixed disk with every block allocated up front. The block size is the largest
     * power of two up to {@link #DEFAULT_BLOCK_SIZE} that divides the size rounded up to 1 MiB,
     * so no allocated block sticks out past the end of the disk.
     */
    public static VirtualHardDisk createFixed(Path path, long virtualSize, UUID diskId)
            throws IOException {
        checkVirtualSize(virtualSize);
        long rounded = VhdxFormat.roundUp(virtualSize, VhdxFormat.MIB);
        int blockSize = DEFAULT_BLOCK_SIZE;
        while (rounded % blockSize != 0) {
            blockSize /= 2;
        }
        return createFixed(path, virtualSize, blockSize, diskId);
    }

    /** Creates a fixed disk with the given block size. */
    public static VirtualHardDisk createFixed(Path path, long virtualSize, int blockSize,
            UUID diskId) throws IOException {
        checkArguments(path, virtualSize, blockSize, diskId);
        VhdxFile.create(path, new VhdxMetadata(blockSize, true, false, virtualSize, diskId,
                VhdxFormat.LOGICAL_SECTOR, VhdxFormat.PHYSICAL_SECTOR, null));
        return VhdxFile.open(path, true, false, 0);
    }

    /**
     * Creates a differencing disk (an .avhdx, as a checkpoint makes) over {@code parent}. The
     * child takes the parent's virtual size, block size and physical sector size; its parent
     * locator holds relative_path, absolute_win32_path and parent_linkage, the parent's current
     * DataWriteGuid. The parent must not be written afterwards, or the chain breaks.
     *
     * @throws BrokenChainException if the parent's own chain is broken
     */
    public static VirtualHardDisk createDifferencing(Path child, Path parent, UUID diskId)
            throws IOException {
        Objects.requireNonNull(child, "child");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(diskId, "diskId");
        VhdxMetadata parentMetadata;
        UUID linkage;
        try (VhdxFile p = VhdxFile.open(parent, false, false, 0)) {
            parentMetadata = p.metadata();
            linkage = p.header().dataWriteGuid();
        }
        Path childAbsolute = child.toAbsolutePath().normalize();
        Path parentAbsolute = parent.toAbsolutePath().normalize();
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(ParentLocator.PARENT_LINKAGE, VhdxFormat.guidString(linkage));
        try {
            String relative = VhdxFile.toWindows(childAbsolute.getParent().relativize(parentAbsolute));
            entries.put(ParentLocator.RELATIVE_PATH,
                    relative.startsWith("..") ? relative : ".\\" + relative);
        } catch (IllegalArgumentException e) {
            // Different roots (e.g. drives): no relative path, the absolute one must do.
        }
        entries.put(ParentLocator.ABSOLUTE_WIN32_PATH, VhdxFile.toWindows(parentAbsolute));
        VhdxFile.create(child, new VhdxMetadata(parentMetadata.blockSize(), false, true,
                parentMetadata.virtualSize(), diskId, VhdxFormat.LOGICAL_SECTOR,
                parentMetadata.physicalSectorSize(),
                new ParentLocator(VhdxFormat.VHDX_PARENT_LOCATOR_TYPE, entries)));
        return VhdxFile.open(child, true, false, 0);
    }

    /**
     * Opens a disk for reading and writing, after checking signatures and CRC-32C checksums.
     * A differencing disk's parents are opened read-only, and each link is checked.
     *
     * @throws BrokenChainException if a parent vanished, cannot be opened or was modified
     */
    public static VirtualHardDisk open(Path path) throws IOException {
        return VhdxFile.open(Objects.requireNonNull(path, "path"), true, false, 0);
    }

    /** Opens a disk read-only: writes fail and the file is never modified. */
    public static VirtualHardDisk openReadOnly(Path path) throws IOException {
        return VhdxFile.open(Objects.requireNonNull(path, "path"), false, false, 0);
    }

    /**
     * Merges a differencing disk into its parent and deletes it, as deleting a checkpoint does.
     * The parent's DataWriteGuid changes if any data moved, so other children of the same
     * parent break, as they would in Hyper-V.
     */
    public static void merge(Path child) throws IOException {
        try (VhdxFile disk = VhdxFile.open(Objects.requireNonNull(child, "child"), false, true, 0)) {
            disk.mergeIntoParent();
        }
        Files.delete(child);
    }

    private static void checkArguments(Path path, long virtualSize, int blockSize, UUID diskId) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(diskId, "diskId");
        checkVirtualSize(virtualSize);
        if (Integer.bitCount(blockSize) != 1 || blockSize < VhdxFormat.MIN_BLOCK_SIZE
                || blockSize > VhdxFormat.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("block size " + blockSize
                    + " must be a power of two from 1 MiB to 256 MiB");
        }
    }

    private static void checkVirtualSize(long virtualSize) {
        if (virtualSize <= 0 || virtualSize % VhdxFormat.LOGICAL_SECTOR != 0
                || virtualSize > VhdxFormat.MAX_VIRTUAL_SIZE) {
            throw new IllegalArgumentException("virtual size " + virtualSize
                    + " must be a positive multiple of 512 bytes, at most 64 TiB");
        }
    }
}
