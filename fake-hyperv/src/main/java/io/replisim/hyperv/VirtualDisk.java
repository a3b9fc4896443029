package io.replisim.hyperv;

import io.replisim.hyperv.vhdx.Vhdx;
import io.replisim.hyperv.vhdx.VirtualHardDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A virtual hard disk attached to a VM: a dynamic VHDX in the VM's {@code Virtual Hard Disks}
 * folder. While a replication checkpoint exists, writes go to a differencing AVHDX child and the
 * VHDX itself stays frozen; see {@link #checkpointView()}. Writes are logged to the disk's active
 * {@code .hrl} log whenever the VM's replication tracks writes.
 */
public final class VirtualDisk implements DiskView {

    private static final int SECTOR = 512;

    private final VirtualMachine vm;
    private final String name;
    private final UUID id;
    private final long sizeBytes;
    /** The VHDX data block size: a write within one block is all-or-nothing. */
    private final int blockSize;
    private final Path path;
    private VirtualHardDisk base;
    private VirtualHardDisk child;
    private CheckpointView checkpoint;

    VirtualDisk(VirtualMachine vm, String name, UUID id, long sizeBytes, int blockSize, VirtualHardDisk base) {
        this.vm = vm;
        this.name = name;
        this.id = id;
        this.sizeBytes = sizeBytes;
        this.blockSize = blockSize;
        this.path = base.path();
        this.base = base;
    }

    public String name() {
        return name;
    }

    /** The Virtual Disk ID in the VHDX metadata; name-based on host, VM and disk names. */
    public UUID id() {
        return id;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    /** The disk's {@code .vhdx} file. */
    public Path path() {
        return path;
    }

    /** The file writes go to now: the checkpoint's {@code .avhdx} child, or the {@code .vhdx}. */
    public Path activePath() {
        return current().path();
    }

    public VirtualMachine vm() {
        return vm;
    }

    /**
     * Writes {@code length} bytes at {@code offset} (both multiples of 512) and logs them when
     * replication tracks writes. Atomic: if it throws, neither the disk nor the log changed.
     *
     * @throws VolumeFullException if the disk or its log does not fit on the volume
     */
    public void write(long offset, byte[] src, int srcOffset, int length) throws IOException {
        vm.host().checkOpen();
        checkRange(offset, src, srcOffset, length);
        ReplicationTracker tracker = vm.replicationTracker();
        long mark = tracker.logWrite(this, offset, src, srcOffset, length);
        VirtualHardDisk target = current();
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
            // The record describes a write that did not happen: replaying it would diverge.
            tracker.undoWrite(this, mark);
            throw vm.volume().translate(e, target.path());
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
                if (!(vm.volume().translate(e, target.path()) instanceof VolumeFullException)) {
                    failure.addSuppressed(e);
                }
            }
            at += n;
        }
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        vm.host().checkOpen();
        checkRange(offset, dst, dstOffset, length);
        current().read(offset, dst, dstOffset, length);
    }

    /**
     * The disk as it was when the current replication checkpoint was taken (by
     * {@code startReplication} or {@code resynchronize}): what initial replication or
     * resynchronization reads. Empty when there is no checkpoint. The view stops working once
     * the checkpoint is merged.
     */
    public Optional<DiskView> checkpointView() {
        return Optional.ofNullable(checkpoint);
    }

    /** The checkpoint's differencing disk, while one exists. */
    public Optional<Path> checkpointPath() {
        return child == null ? Optional.empty() : Optional.of(child.path());
    }

    @Override
    public String toString() {
        return "VirtualDisk " + vm.name() + "/" + name + " (" + sizeBytes + " bytes)";
    }

    private VirtualHardDisk current() {
        return child != null ? child : base;
    }

    private void checkRange(long offset, byte[] buffer, int bufferOffset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(bufferOffset, length, buffer.length);
        if (offset < 0 || offset % SECTOR != 0 || length <= 0 || length % SECTOR != 0) {
            throw new IllegalArgumentException("offset and length must be multiples of 512 (length positive), got "
                    + "offset " + offset + ", length " + length);
        }
        if (offset > sizeBytes - length) {
            throw new IllegalArgumentException("range [" + offset + ", " + (offset + length) + ") is beyond the end"
                    + " of disk " + name + " (" + sizeBytes + " bytes)");
        }
    }

    /** Freezes the VHDX behind a new differencing child named after the checkpoint. */
    void takeCheckpoint(UUID checkpointId) throws IOException {
        if (child != null) {
            throw new IllegalStateException("disk " + name + " already has a checkpoint");
        }
        Path childPath = path.resolveSibling(name + "_" + checkpointId.toString().toUpperCase(Locale.ROOT) + ".avhdx");
        try {
            base.flush();
            // Same disk id: the guest must keep seeing the same disk (Page 83 data).
            child = Vhdx.createDifferencing(childPath, path, id);
        } catch (IOException e) {
            throw vm.volume().translate(e, childPath);
        }
        checkpoint = new CheckpointView();
    }

    /** Drops a checkpoint that has received no writes yet (undoing a failed start). */
    void discardCheckpoint() throws IOException {
        if (child == null) {
            return;
        }
        checkpoint.valid = false;
        checkpoint = null;
        Path childPath = child.path();
        child.close();
        child = null;
        Files.deleteIfExists(childPath);
    }

    /** Merges the checkpoint's child back into the VHDX, deleting the checkpoint. */
    void mergeCheckpoint() throws IOException {
        if (child == null) {
            return;
        }
        Path childPath = child.path();
        checkpoint.valid = false;
        checkpoint = null;
        // The merge rewrites the VHDX's metadata: no handle may cache it across the merge.
        child.close();
        child = null;
        base.close();
        base = null;
        IOException failure = null;
        try {
            Vhdx.merge(childPath);
        } catch (IOException e) {
            failure = vm.volume().translate(e, path);
        }
        base = Vhdx.open(path);
        if (failure != null) {
            if (Files.exists(childPath)) {
                child = Vhdx.open(childPath);
                checkpoint = new CheckpointView();
            }
            throw failure;
        }
    }

    void close() throws IOException {
        if (child != null) {
            child.close();
        }
        if (base != null) { // null only if reopening after a failed merge failed too
            base.close();
        }
    }

    private final class CheckpointView implements DiskView {

        private boolean valid = true;

        @Override
        public long sizeBytes() {
            return sizeBytes;
        }

        @Override
        public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
            if (!valid) {
                throw new IllegalStateException("the replication checkpoint of disk " + name + " has been merged");
            }
            vm.host().checkOpen();
            checkRange(offset, dst, dstOffset, length);
            base.read(offset, dst, dstOffset, length);
        }

        @Override
        public String toString() {
            return "checkpoint of " + VirtualDisk.this;
        }
    }
}
