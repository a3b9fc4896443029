package io.replisim.hyperv;

import io.replisim.hyperv.vhdx.BrokenChainException;
import io.replisim.hyperv.vhdx.Vhdx;
import io.replisim.hyperv.vhdx.VirtualHardDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * The files behind a {@link VirtualDisk}: its dynamic {@code .vhdx} and, while a replication
 * checkpoint exists, the differencing {@code .avhdx} child that takes the writes. In bytes
 * fidelity they are real VHDX files; in model fidelity only their {@link VhdxSpace}s exist. The
 * spaces are kept in both, so the volume is asked for exactly the clusters the files grow by,
 * before they grow.
 */
final class DiskStore {

    private final Volume volume;
    private final boolean bytes;
    private final String diskName;
    private final UUID diskId;
    private final long sizeBytes;
    private final int blockSize;
    private final Path path;
    private final VhdxSpace baseSpace;
    private VirtualHardDisk base;
    private VirtualHardDisk child;
    private VhdxSpace childSpace;
    private Path childPath;
    /** Where a broken chain's parent was moved to (bytes), or that the chain is broken (model). */
    private Path hiddenParent;
    private boolean chainBroken;

    private DiskStore(Volume volume, String diskName, UUID diskId, long sizeBytes, int blockSize, Path path,
            VirtualHardDisk base) {
        this.volume = volume;
        this.bytes = volume.fidelity() == Fidelity.BYTES;
        this.diskName = diskName;
        this.diskId = diskId;
        this.sizeBytes = sizeBytes;
        this.blockSize = blockSize;
        this.path = path;
        this.base = base;
        this.baseSpace = new VhdxSpace(sizeBytes, blockSize, false);
    }

    /** Creates the dynamic VHDX (or, in model fidelity, books its size). */
    static DiskStore create(Volume volume, String diskName, UUID diskId, long sizeBytes, int blockSize, Path path)
            throws IOException {
        volume.grow(path, 0, Vhdx.emptyFileSize(sizeBytes, blockSize, false));
        VirtualHardDisk vhd = null;
        if (volume.fidelity() == Fidelity.BYTES) {
            try {
                vhd = Vhdx.createDynamic(path, sizeBytes, blockSize, diskId);
            } catch (IOException e) {
                throw volume.translate(e, path);
            }
        }
        return new DiskStore(volume, diskName, diskId, sizeBytes, blockSize, path, vhd);
    }

    Path activePath() {
        return childPath != null ? childPath : path;
    }

    Optional<Path> checkpointPath() {
        return Optional.ofNullable(childPath);
    }

    boolean hasCheckpoint() {
        return childPath != null;
    }

    /** The sizes of the disk's files: the VHDX and any checkpoint child. */
    long fileBytes() {
        return baseSpace.fileBytes() + (childSpace == null ? 0 : childSpace.fileBytes());
    }

    /**
     * Writes to the active file; {@code src} is ignored (and may be null) in model fidelity.
     * Atomic: on failure the disk's content is unchanged.
     */
    void write(long offset, byte[] src, int srcOffset, int length) throws IOException {
        VhdxSpace space = childSpace != null ? childSpace : baseSpace;
        Path file = activePath();
        volume.grow(file, space.fileBytes(), space.fileBytesAfterWrite(offset, length));
        if (bytes) {
            writeBytes(child != null ? child : base, offset, src, srcOffset, length);
        }
        space.write(offset, length);
    }

    private void writeBytes(VirtualHardDisk target, long offset, byte[] src, int srcOffset, int length)
            throws IOException {
        // A write spanning VHDX blocks can fail after the first blocks took it: keep the old bytes.
        boolean spans = offset / blockSize != (offset + length - 1) / blockSize;
        byte[] before = null;
        try {
            if (spans) {
                before = new byte[length];
                target.read(offset, before, 0, length);
            }
            target.write(offset, src, srcOffset, length);
        } catch (IOException e) {
            if (before != null) {
                restore(target, offset, before, e);
            }
            throw volume.translate(e, target.path());
        }
    }

    /**
     * Puts the old bytes back, block by block. The blocks the failed write reached are allocated
     * by now, so restoring them needs no space; a block that cannot be restored for lack of space
     * was never allocated, so the write never changed it.
     */
    private void restore(VirtualHardDisk target, long offset, byte[] before, IOException failure) {
        long end = offset + before.length;
        for (long at = offset; at < end; ) {
            int n = (int) (Math.min(end, (at / blockSize + 1) * blockSize) - at);
            try {
                target.write(at, before, (int) (at - offset), n);
            } catch (IOException e) {
                if (!(volume.translate(e, target.path()) instanceof VolumeFullException)) {
                    failure.addSuppressed(e);
                }
            }
            at += n;
        }
    }

    /** Reads the live disk; bytes fidelity only. */
    void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        (child != null ? child : base).read(offset, dst, dstOffset, length);
    }

    /** Reads the disk as frozen by the checkpoint (the VHDX itself); bytes fidelity only. */
    void readCheckpoint(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        base.read(offset, dst, dstOffset, length);
    }

    /** Freezes the VHDX behind a new differencing child at {@code childFile}. */
    void takeCheckpoint(Path childFile) throws IOException {
        if (childPath != null) {
            throw new IllegalStateException("disk " + diskName + " already has a checkpoint");
        }
        VhdxSpace space = new VhdxSpace(sizeBytes, blockSize, true);
        volume.grow(childFile, 0, space.fileBytes());
        if (bytes) {
            try {
                base.flush();
                // Same disk id: the guest must keep seeing the same disk (Page 83 data).
                child = Vhdx.createDifferencing(childFile, path, diskId);
            } catch (IOException e) {
                throw volume.translate(e, childFile);
            }
        }
        childSpace = space;
        childPath = childFile;
        chainBroken = false;
    }

    /** Drops a checkpoint that has received no writes yet (undoing a failed start). */
    void discardCheckpoint() throws IOException {
        if (childPath == null) {
            return;
        }
        repairChain();
        Path file = childPath;
        long size = childSpace.fileBytes();
        childPath = null;
        childSpace = null;
        if (bytes) {
            child.close();
            child = null;
            Files.deleteIfExists(file);
        }
        volume.shrink(size, 0);
    }

    /**
     * Merges the checkpoint's child back into the VHDX, deleting the checkpoint.
     *
     * @throws BrokenChainException if the child's parent vanished; nothing changes then
     */
    void mergeCheckpoint() throws IOException {
        if (childPath == null) {
            return;
        }
        checkChain();
        long growth = baseSpace.mergeGrowth(childSpace);
        volume.grow(path, baseSpace.fileBytes(), baseSpace.fileBytes() + growth);
        if (bytes) {
            mergeFiles();
        }
        long childBytes = childSpace.fileBytes();
        baseSpace.merge(childSpace);
        childSpace = null;
        childPath = null;
        volume.shrink(childBytes, 0);
    }

    private void checkChain() throws IOException {
        if (!bytes) {
            if (chainBroken) {
                throw new BrokenChainException(childPath + ": parent " + path + " vanished");
            }
            return;
        }
        // Opening the child checks its link to the parent, before any handle is given up.
        try (VirtualHardDisk check = Vhdx.openReadOnly(childPath)) {
            check.diskId();
        }
    }

    private void mergeFiles() throws IOException {
        // The merge rewrites the VHDX's metadata: no handle may cache it across the merge.
        child.close();
        child = null;
        base.close();
        base = null;
        IOException failure = null;
        try {
            Vhdx.merge(childPath);
        } catch (IOException e) {
            failure = volume.translate(e, path);
        }
        base = Vhdx.open(path);
        if (failure != null) {
            if (Files.exists(childPath)) {
                child = Vhdx.open(childPath);
            }
            throw failure;
        }
    }

    /**
     * Breaks the checkpoint's chain: the parent VHDX vanishes from where the child's locator
     * points (bytes: it is moved aside; open handles keep working, as open files do on NTFS).
     */
    void breakChain() throws IOException {
        if (childPath == null || chainBroken) {
            return;
        }
        if (bytes) {
            hiddenParent = path.resolveSibling(path.getFileName() + ".missing");
            Files.move(path, hiddenParent);
        }
        chainBroken = true;
    }

    /** Puts a vanished parent back; the chain opens again. */
    void repairChain() throws IOException {
        if (!chainBroken) {
            return;
        }
        if (hiddenParent != null) {
            Files.move(hiddenParent, path);
            hiddenParent = null;
        }
        chainBroken = false;
    }

    boolean chainBroken() {
        return chainBroken;
    }

    /** A standard checkpoint's copy of the disk's written ranges; see {@link VirtualMachine#createStandardCheckpoint}. */
    Snapshot snapshot(Path file, ExtentMap versions) throws IOException {
        VhdxSpace space = new VhdxSpace(sizeBytes, blockSize, false);
        versions.forEachExtent((offset, length, version) -> space.write(offset, length));
        volume.grow(file, 0, space.fileBytes());
        if (bytes) {
            try (VirtualHardDisk copy = Vhdx.createDynamic(file, sizeBytes, blockSize, diskId)) {
                byte[] buffer = new byte[1024 * 1024];
                IOException[] failure = {null};
                versions.forEachExtent((offset, length, version) -> {
                    for (long at = offset; at < offset + length && failure[0] == null; at += buffer.length) {
                        int n = (int) Math.min(buffer.length, offset + length - at);
                        try {
                            read(at, buffer, 0, n);
                            copy.write(at, buffer, 0, n);
                        } catch (IOException e) {
                            failure[0] = e;
                        }
                    }
                });
                if (failure[0] != null) {
                    throw failure[0];
                }
            } catch (IOException e) {
                Files.deleteIfExists(file);
                volume.shrink(space.fileBytes(), 0);
                throw volume.translate(e, file);
            }
        }
        return new Snapshot(file, versions.copy(), space.fileBytes());
    }

    /** Deletes a standard checkpoint's file. */
    void deleteSnapshot(Snapshot snapshot) throws IOException {
        if (bytes) {
            Files.deleteIfExists(snapshot.file());
        }
        volume.shrink(snapshot.fileBytes(), 0);
    }

    /** Opens a snapshot's copy for reading; bytes fidelity only. */
    VirtualHardDisk openSnapshot(Snapshot snapshot) throws IOException {
        return Vhdx.openReadOnly(snapshot.file());
    }

    /** The size the active file would have after writing every range where {@code from} and {@code to} differ. */
    long growthToRewrite(ExtentMap from, ExtentMap to) {
        VhdxSpace space = (childSpace != null ? childSpace : baseSpace).copy();
        long before = space.fileBytes();
        from.forEachDifference(to, (offset, length, a, b) -> space.write(offset, length));
        return space.fileBytes() - before;
    }

    void close() throws IOException {
        if (child != null) {
            child.close();
        }
        if (base != null) { // null only if reopening after a failed merge failed too
            base.close();
        }
    }

    /** A standard checkpoint's copy of one disk: its file and its content versions. */
    record Snapshot(Path file, ExtentMap versions, long fileBytes) {}
}
