package io.replisim.hyperv;

import io.replisim.hyperv.vhdx.VirtualHardDisk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A virtual hard disk attached to a VM: a dynamic VHDX in the VM's {@code Virtual Hard Disks}
 * folder. While a replication checkpoint exists, writes go to a differencing AVHDX child and the
 * VHDX itself stays frozen; see {@link #checkpointView()}. Writes are logged to the disk's active
 * {@code .hrl} log whenever the VM's replication tracks writes.
 *
 * <p>Every write gives its range the disk's next content version (1, 2, 3, ...), kept in an
 * {@link ExtentMap} in both fidelities: {@link #contentVersions()} and
 * {@link #contentFingerprint()} are how replicas are verified without payload. In
 * {@link Fidelity#MODEL} fidelity the map is all there is: the bytes written are dropped, and
 * reads return what {@link BlockContent} gives each 4 KiB block at its version, with the content
 * seed of the disk's {@link Workload} (0 if none), so workload-written disks read the same in
 * both fidelities. In {@link Fidelity#FLOW} fidelity writes are counted, not placed: the map is
 * one run over the whole disk at the version of the last write ({@link #writeBatch}).
 */
public final class VirtualDisk implements DiskView {

    private static final int SECTOR = 512;

    private final VirtualMachine vm;
    private final String name;
    private final UUID id;
    private final long sizeBytes;
    private final Path path;
    private final Path directory;
    private final DiskStore store;
    private ExtentMap versions;
    private ExtentMap checkpointVersions;
    private CheckpointView checkpoint;
    /** The version the last write was given. */
    private long generation;
    private long contentSeed;
    private boolean contentSeedBound;
    /** Changes with every write the tracker did not see, as Hyper-V's resilient change tracking id does. */
    private long changeTrackingEpoch;
    /** A broken-VHD-chain fault waiting for a checkpoint to break. */
    private boolean chainBreakArmed;

    VirtualDisk(VirtualMachine vm, String name, UUID id, long sizeBytes, DiskStore store, Path path) {
        this.vm = vm;
        this.name = name;
        this.id = id;
        this.sizeBytes = sizeBytes;
        this.path = path;
        this.directory = path.getParent();
        this.store = store;
        this.versions = new ExtentMap(sizeBytes);
    }

    /** A file next to the disk's (its replication logs): the folder is looked up once, as a switch opens a log every cycle. */
    Path sibling(String fileName) {
        return directory == null ? path.resolveSibling(fileName) : directory.resolve(fileName);
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

    /** The disk's {@code .vhdx} file (in model fidelity, where it would be; no file exists). */
    public Path path() {
        return path;
    }

    /** The file writes go to now: the checkpoint's {@code .avhdx} child, or the {@code .vhdx}. */
    public Path activePath() {
        return store.activePath();
    }

    public VirtualMachine vm() {
        return vm;
    }

    public Fidelity fidelity() {
        return vm.volume().fidelity();
    }

    /**
     * The bytes the disk's files take on the volume: the dynamic VHDX plus any checkpoint child,
     * each its fixed part plus the blocks allocated. Real file sizes in bytes fidelity, the same
     * figures computed in model fidelity.
     */
    public long fileSizeBytes() {
        return store.fileBytes();
    }

    /**
     * Hyper-V's resilient change tracking id of the disk. It changes whenever the disk is changed
     * behind replication's back ({@link #writeOffline}, a revert): a replication stack that
     * recorded it finds the VHD changed offline when it no longer matches.
     */
    public String changeTrackingId() {
        return "rct:" + id + ":" + changeTrackingEpoch;
    }

    /**
     * Writes {@code length} bytes at {@code offset} (both multiples of 512) and logs them when
     * replication tracks writes. Atomic: if it throws, neither the disk nor the log changed.
     *
     * @throws VolumeFullException if the disk or its log does not fit on the volume
     * @throws VmNotFoundException if the VM is not registered on its host
     */
    public void write(long offset, byte[] src, int srcOffset, int length) throws IOException {
        vm.host().checkOpen();
        checkRange(offset, src, srcOffset, length);
        vm.checkRegistered();
        apply(offset, src, srcOffset, length, true);
    }

    /**
     * Writes as a tool changing the VHD while the VM is off would (the disk mounted on the host,
     * a file restored into it): the tracker does not see the write, and
     * {@link #changeTrackingId()} changes. If the VM's writes were being tracked, its tracker
     * then reports {@link HostFaultKind#VHD_CHANGED_OFFLINE}.
     */
    public void writeOffline(long offset, byte[] src, int srcOffset, int length) throws IOException {
        vm.host().checkOpen();
        checkRange(offset, src, srcOffset, length);
        applyOffline(offset, src, srcOffset, length);
    }

    /**
     * Writes a range copied from another copy of this disk, as a failback brings blocks of the
     * failover VM's disk back: like {@link #write}, but the range takes the content versions
     * {@code copyVersions} (the copy's) has there instead of a new one, so the disk's content
     * stays a function of its versions and later failovers verify against the right content.
     * In bytes fidelity {@code src} must hold that content. Only while the VM's writes are not
     * tracked (a failed-over VM): a log record could not say which versions a write restored.
     */
    public void restore(long offset, byte[] src, int srcOffset, int length, ExtentMap copyVersions) throws IOException {
        vm.host().checkOpen();
        checkRange(offset, src, srcOffset, length);
        vm.checkRegistered();
        if (vm.replicationTracker().isTracking()) {
            throw new IllegalStateException("cannot restore into disk " + name + " of VM " + vm.name()
                    + " while its writes are tracked: a restore is a failback's, and replication is off then");
        }
        store.write(offset, src, srcOffset, length);
        if (fidelity() == Fidelity.FLOW) {
            versions = copyVersions.copy(); // one version for the whole disk: the copy's, once it is back
        } else {
            versions.assignFrom(copyVersions, offset, length);
        }
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        vm.host().checkOpen();
        checkRange(offset, dst, dstOffset, length);
        if (fidelity() == Fidelity.BYTES) {
            store.read(offset, dst, dstOffset, length);
        } else {
            synthesize(versions, offset, dst, dstOffset, length);
        }
    }

    /** A copy of the disk's content versions, in both fidelities. */
    @Override
    public ExtentMap contentVersions() {
        return versions.copy();
    }

    @Override
    public String contentFingerprint() {
        return versions.fingerprint();
    }

    /** The content version of the sector at {@code offset}: 0 if never written. */
    public long contentVersionAt(long offset) {
        return versions.versionAt(offset);
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
        return store.checkpointPath();
    }

    @Override
    public String toString() {
        return "VirtualDisk " + vm.name() + "/" + name + " (" + sizeBytes + " bytes)";
    }

    // ---- package-private: the write paths of workloads, faults and reverts --------------------

    /** The version the next write will be given: what a workload's content must be generated for. */
    long nextVersion() {
        return generation + 1;
    }

    /**
     * Flow fidelity: {@code count} writes of {@code payload} bytes in all, logged when replication
     * tracks writes; the disk's one version advances by {@code count}. All or nothing.
     *
     * @throws VolumeFullException if their log records do not fit on the volume
     */
    void writeBatch(long count, long payload) throws IOException {
        vm.host().checkOpen();
        vm.checkRegistered();
        long version = generation + count;
        vm.replicationTracker().logBatch(this, count, payload, version);
        generation = version;
        versions = wholeDiskAt(version);
    }

    /** Flow fidelity: {@code count} writes made while the tracker did not see them (see {@link #writeOffline}). */
    void writeOfflineBatch(long count) throws IOException {
        vm.host().checkOpen();
        generation += count;
        versions = wholeDiskAt(generation);
        changeTrackingEpoch++;
        vm.replicationTracker().changedBehindTracking(HostFaultKind.VHD_CHANGED_OFFLINE);
    }

    /** Flow fidelity's content: the whole disk at {@code version} (never written at 0). */
    private ExtentMap wholeDiskAt(long version) {
        ExtentMap map = new ExtentMap(sizeBytes);
        if (version > 0) {
            map.assign(0, sizeBytes, version);
        }
        return map;
    }

    /** The version the last write gave the disk: in flow fidelity, how many writes it took. */
    public long generation() {
        return generation;
    }

    /** A workload's write: {@code src} holds the content in bytes fidelity, and is not needed in model fidelity. */
    void writeContent(long offset, byte[] src, int length, boolean tracked) throws IOException {
        vm.host().checkOpen();
        if (tracked) {
            vm.checkRegistered();
            apply(offset, src, 0, length, true);
        } else {
            applyOffline(offset, src, 0, length);
        }
    }

    /** Binds the seed model-fidelity reads generate content with; one seed a disk. */
    void bindContentSeed(long seed) {
        if (contentSeedBound && seed != contentSeed) {
            throw new IllegalArgumentException(this + " already holds content of seed " + contentSeed
                    + ", not " + seed);
        }
        contentSeed = seed;
        contentSeedBound = true;
    }

    long contentSeed() {
        return contentSeed;
    }

    /**
     * Rewrites, untracked, every range where the disk differs from {@code target}: with the
     * snapshot's bytes (or zeros where the target was never written). All or nothing for lack
     * of space.
     */
    void revertTo(ExtentMap target, DiskStore.Snapshot snapshot) throws IOException {
        if (fidelity() == Fidelity.FLOW) { // nothing is placed: the disk is at the target's version again
            versions = target.copy();
            changeTrackingEpoch++;
            return;
        }
        vm.volume().checkFree(store.activePath(), store.growthToRewrite(versions, target));
        List<long[]> ranges = new ArrayList<>();
        versions.forEachDifference(target, (offset, length, mine, theirs) -> ranges.add(new long[] {offset, length, theirs}));
        boolean bytes = fidelity() == Fidelity.BYTES;
        byte[] buffer = new byte[1024 * 1024];
        try (VirtualHardDisk copy = bytes && snapshot != null ? store.openSnapshot(snapshot) : null) {
            for (long[] r : ranges) {
                for (long at = r[0]; at < r[0] + r[1]; at += buffer.length) {
                    int n = (int) Math.min(buffer.length, r[0] + r[1] - at);
                    if (bytes) {
                        if (r[2] == 0) {
                            Arrays.fill(buffer, 0, n, (byte) 0);
                        } else {
                            copy.read(at, buffer, 0, n);
                        }
                    }
                    store.write(at, buffer, 0, n);
                }
            }
        }
        versions = target.copy();
        changeTrackingEpoch++;
    }

    /**
     * The vhd-changed-offline fault's writes: {@code bytes}, rounded up to whole 64 KiB writes,
     * untracked, at places drawn from a stream seeded by the disk id and its version count (so
     * the same history gives the same changes), with {@link BlockContent} content.
     */
    long changeOffline(long bytes) throws IOException {
        int io = 64 * 1024; // disks are whole MiB, so one always fits
        if (fidelity() == Fidelity.FLOW) { // counted, not placed, as every flow write
            long count = (bytes + io - 1) / io;
            generation += count;
            versions = wholeDiskAt(generation);
            changeTrackingEpoch++;
            vm.replicationTracker().changedBehindTracking(HostFaultKind.VHD_CHANGED_OFFLINE);
            return count * io;
        }
        int ioBlocks = io / BlockContent.BLOCK_SIZE;
        long blocks = sizeBytes / BlockContent.BLOCK_SIZE;
        SplittableRandom random = new SplittableRandom(
                BlockContent.mix(BlockContent.mix(id.getMostSignificantBits() ^ id.getLeastSignificantBits()) ^ generation));
        byte[] buffer = fidelity() == Fidelity.BYTES ? new byte[io] : null;
        long written = 0;
        while (written < bytes) {
            long first = random.nextLong(blocks - ioBlocks + 1);
            if (buffer != null) {
                for (int j = 0; j < ioBlocks; j++) {
                    BlockContent.fill(contentSeed, id, first + j, nextVersion(), buffer, j * BlockContent.BLOCK_SIZE);
                }
            }
            applyOffline(first * BlockContent.BLOCK_SIZE, buffer, 0, io);
            written += io;
        }
        return written;
    }

    DiskStore store() {
        return store;
    }

    ExtentMap versions() {
        return versions;
    }

    private void apply(long offset, byte[] src, int srcOffset, int length, boolean tracked) throws IOException {
        long version = generation + 1;
        ReplicationTracker tracker = vm.replicationTracker();
        long mark = tracked ? tracker.logWrite(this, offset, src, srcOffset, length, version)
                : ReplicationTracker.NOT_LOGGED;
        try {
            store.write(offset, src, srcOffset, length);
        } catch (IOException e) {
            // The record describes a write that did not happen: replaying it would diverge.
            tracker.undoWrite(this, mark);
            throw e;
        }
        generation = version;
        versions.assign(offset, length, version);
    }

    private void applyOffline(long offset, byte[] src, int srcOffset, int length) throws IOException {
        apply(offset, src, srcOffset, length, false);
        changeTrackingEpoch++;
        vm.replicationTracker().changedBehindTracking(HostFaultKind.VHD_CHANGED_OFFLINE);
    }

    /** Model fidelity's content: each sector from its 4 KiB block's {@link BlockContent} at the sector's version. */
    private void synthesize(ExtentMap map, long offset, byte[] dst, int dstOffset, int length) {
        byte[] block = new byte[BlockContent.BLOCK_SIZE];
        long filledBlock = -1;
        long filledVersion = -1;
        for (long at = offset; at < offset + length; at += SECTOR) {
            int to = dstOffset + (int) (at - offset);
            long version = map.versionAt(at);
            if (version == 0) {
                Arrays.fill(dst, to, to + SECTOR, (byte) 0);
                continue;
            }
            long b = at / BlockContent.BLOCK_SIZE;
            if (b != filledBlock || version != filledVersion) {
                BlockContent.fill(contentSeed, id, b, version, block, 0);
                filledBlock = b;
                filledVersion = version;
            }
            System.arraycopy(block, (int) (at % BlockContent.BLOCK_SIZE), dst, to, SECTOR);
        }
    }

    private void checkRange(long offset, byte[] buffer, int bufferOffset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(bufferOffset, length, buffer.length);
        checkRange(offset, length);
    }

    private void checkRange(long offset, long length) {
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
        Path childPath = path.resolveSibling(name + "_" + checkpointId.toString().toUpperCase(Locale.ROOT) + ".avhdx");
        store.takeCheckpoint(childPath);
        checkpointVersions = versions.copy();
        checkpoint = new CheckpointView();
        if (chainBreakArmed) {
            chainBreakArmed = false;
            store.breakChain();
        }
    }

    /** Drops a checkpoint that has received no writes yet (undoing a failed start). */
    void discardCheckpoint() throws IOException {
        if (!store.hasCheckpoint()) {
            return;
        }
        invalidateCheckpoint();
        store.discardCheckpoint();
    }

    /** Merges the checkpoint's child back into the VHDX, deleting the checkpoint. */
    void mergeCheckpoint() throws IOException {
        if (!store.hasCheckpoint()) {
            return;
        }
        store.mergeCheckpoint();
        invalidateCheckpoint();
    }

    /** Breaks the checkpoint's chain now, or the next checkpoint's when it is taken. */
    void breakChain() throws IOException {
        if (store.hasCheckpoint()) {
            store.breakChain();
        } else {
            chainBreakArmed = true;
        }
    }

    /** Undoes {@link #breakChain}: the parent is back, or the armed break is disarmed. */
    boolean repairChain() throws IOException {
        boolean changed = chainBreakArmed || store.chainBroken();
        chainBreakArmed = false;
        store.repairChain();
        return changed;
    }

    private void invalidateCheckpoint() {
        if (checkpoint != null) {
            checkpoint.valid = false;
        }
        checkpoint = null;
        checkpointVersions = null;
    }

    void close() throws IOException {
        store.close();
    }

    private final class CheckpointView implements DiskView {

        private boolean valid = true;

        @Override
        public long sizeBytes() {
            return sizeBytes;
        }

        @Override
        public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
            checkValid();
            vm.host().checkOpen();
            checkRange(offset, dst, dstOffset, length);
            if (fidelity() == Fidelity.BYTES) {
                store.readCheckpoint(offset, dst, dstOffset, length);
            } else {
                synthesize(checkpointVersions, offset, dst, dstOffset, length);
            }
        }

        @Override
        public ExtentMap contentVersions() {
            checkValid();
            return checkpointVersions.copy();
        }

        @Override
        public String contentFingerprint() {
            checkValid();
            return checkpointVersions.fingerprint();
        }

        private void checkValid() {
            if (!valid) {
                throw new IllegalStateException("the replication checkpoint of disk " + name + " has been merged");
            }
        }

        @Override
        public String toString() {
            return "checkpoint of " + VirtualDisk.this;
        }
    }
}
