package io.replisim.hyperv;

import io.replisim.hyperv.vhdx.Vhdx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A virtual machine on a host, kept in {@code /<vm>/} on one volume with its disks in
 * {@code /<vm>/Virtual Hard Disks/}. Its replication is driven by the host's
 * {@link ReplicationService}.
 */
public final class VirtualMachine {

    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;
    static final String DISK_FOLDER = "Virtual Hard Disks";
    static final String SNAPSHOT_FOLDER = "Snapshots";

    private final HyperVHost host;
    private final String name;
    private final UUID id;
    private final Volume volume;
    private final Path folder;
    private final Map<String, VirtualDisk> disks = new LinkedHashMap<>();
    private final ReplicationTracker tracker;
    private ReplicationState state = ReplicationState.NOT_ENABLED;
    private ReplicationState resumeState;
    private UUID checkpointId;
    private long checkpoints;
    private final Map<String, StandardCheckpoint> standardCheckpoints = new LinkedHashMap<>();
    private boolean registered = true;

    VirtualMachine(HyperVHost host, String name, Volume volume, Path folder) {
        this.host = host;
        this.name = name;
        this.id = nameUuid(host.name(), name);
        this.volume = volume;
        this.folder = folder;
        this.tracker = new ReplicationTracker(this);
    }

    public String name() {
        return name;
    }

    /** The VM's id; name-based on host and VM names. */
    public UUID id() {
        return id;
    }

    public HyperVHost host() {
        return host;
    }

    public Volume volume() {
        return volume;
    }

    /** The VM's folder, {@code /<vm>}. */
    public Path folder() {
        return folder;
    }

    /**
     * Creates a dynamic VHDX {@code <diskName>.vhdx} in the VM's {@code Virtual Hard Disks}
     * folder, with 1 MiB blocks under 1 GiB (so small disks do not allocate 32 MiB at a time) and
     * the VHDX default above. Only while replication is not yet started.
     *
     * @param sizeBytes the virtual size, a positive multiple of 1 MiB
     * @throws VolumeFullException if the new file does not fit
     * @throws VmNotFoundException if the VM is not registered on its host
     */
    public VirtualDisk addDisk(String diskName, long sizeBytes) throws IOException {
        host.checkOpen();
        checkRegistered();
        Names.fileName("disk name", diskName);
        if (sizeBytes <= 0 || sizeBytes % MIB != 0) {
            throw new IllegalArgumentException("size of disk " + diskName + " must be a positive multiple of 1 MiB,"
                    + " got " + sizeBytes);
        }
        String key = Names.key(diskName);
        if (disks.containsKey(key)) {
            throw new IllegalArgumentException("VM " + name + " already has a disk named " + disks.get(key).name());
        }
        if (state != ReplicationState.NOT_ENABLED && state != ReplicationState.READY_FOR_REPLICATION) {
            throw new IllegalStateException("cannot add disk " + diskName + " to VM " + name + " in state '" + state
                    + "': remove the replication relationship first");
        }
        Path dir = Files.createDirectories(folder.resolve(DISK_FOLDER));
        Path file = dir.resolve(diskName + ".vhdx");
        UUID diskId = nameUuid(host.name(), name, diskName);
        int blockSize = sizeBytes < GIB ? (int) MIB : Vhdx.DEFAULT_BLOCK_SIZE;
        DiskStore store = DiskStore.create(volume, diskName, diskId, sizeBytes, blockSize, file);
        VirtualDisk disk = new VirtualDisk(this, diskName, diskId, sizeBytes, store, file);
        disks.put(key, disk);
        return disk;
    }

    /** The disks, in the order they were added. */
    public List<VirtualDisk> disks() {
        return List.copyOf(disks.values());
    }

    public Optional<VirtualDisk> disk(String diskName) {
        return Optional.ofNullable(disks.get(Names.key(diskName)));
    }

    /**
     * The sum of the disks' virtual sizes: what the 50% resynchronization rule compares
     * {@link ReplicationTracker#pendingLogBytes()} with. Virtual, not file, sizes: a fresh
     * dynamic disk's file is nearly empty and would trip the rule at once.
     */
    public long totalVhdSizeBytes() {
        long total = 0;
        for (VirtualDisk d : disks.values()) {
            total += d.sizeBytes();
        }
        return total;
    }

    public ReplicationState replicationState() {
        return state;
    }

    /** The health the host reports, which follows from the replication state. */
    public ReplicationHealth replicationHealth() {
        return state.health();
    }

    public ReplicationTracker replicationTracker() {
        return tracker;
    }

    /** The replication checkpoint's id while one exists (initial replication, resynchronization). */
    public Optional<UUID> checkpointId() {
        return Optional.ofNullable(checkpointId);
    }

    /**
     * Whether Hyper-V knows the VM. False while a {@link HostFaultKind#VM_NOT_FOUND} fault holds:
     * the host no longer lists it, and operations on it throw {@link VmNotFoundException}.
     */
    public boolean isRegistered() {
        return registered;
    }

    /**
     * Takes a standard (user) checkpoint named {@code checkpointName}: a copy of every disk's
     * written ranges in {@code /<vm>/Snapshots/<disk>_<id>.vhdx} (in model fidelity, its size
     * only), to which {@link #applyStandardCheckpoint} reverts the VM. Unlike Hyper-V's
     * differencing checkpoints these are full copies, so they never interfere with the
     * replication checkpoint's chain.
     *
     * @throws VolumeFullException if the copies do not fit; none is kept then
     */
    public void createStandardCheckpoint(String checkpointName) throws IOException {
        host.checkOpen();
        checkRegistered();
        Names.fileName("checkpoint name", checkpointName);
        String key = Names.key(checkpointName);
        if (standardCheckpoints.containsKey(key)) {
            throw new IllegalArgumentException("VM " + name + " already has a checkpoint named " + checkpointName);
        }
        UUID cpId = nameUuid(host.name(), name, "standard-checkpoint", checkpointName);
        Path dir = Files.createDirectories(folder.resolve(SNAPSHOT_FOLDER));
        Map<String, DiskStore.Snapshot> copies = new LinkedHashMap<>();
        try {
            for (VirtualDisk d : disks.values()) {
                Path file = dir.resolve(d.name() + "_" + cpId.toString().toUpperCase(Locale.ROOT) + ".vhdx");
                copies.put(Names.key(d.name()), d.store().snapshot(file, d.versions()));
            }
        } catch (IOException | RuntimeException e) {
            for (Map.Entry<String, DiskStore.Snapshot> c : copies.entrySet()) {
                try {
                    disks.get(c.getKey()).store().deleteSnapshot(c.getValue());
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        standardCheckpoints.put(key, new StandardCheckpoint(checkpointName, copies));
    }

    /** The standard checkpoints' names, oldest first. */
    public List<String> standardCheckpoints() {
        return standardCheckpoints.values().stream().map(StandardCheckpoint::name).toList();
    }

    /**
     * Applies a standard checkpoint: every disk goes back to the content it had then (a disk
     * added since, to empty). Hyper-V sees the VM reverted: the changes bypass the tracker, the
     * disks' change tracking ids change, and if writes were being tracked the tracker reports
     * {@link HostFaultKind#VM_REVERTED}.
     */
    public void applyStandardCheckpoint(String checkpointName) throws IOException {
        StandardCheckpoint cp = standardCheckpoints.get(Names.key(checkpointName));
        if (cp == null) {
            throw new IllegalArgumentException("VM " + name + " has no checkpoint named " + checkpointName
                    + "; it has " + standardCheckpoints());
        }
        revert(cp);
    }

    /** Deletes a standard checkpoint and its copies. */
    public void removeStandardCheckpoint(String checkpointName) throws IOException {
        StandardCheckpoint cp = standardCheckpoints.remove(Names.key(checkpointName));
        if (cp == null) {
            throw new IllegalArgumentException("VM " + name + " has no checkpoint named " + checkpointName);
        }
        for (Map.Entry<String, DiskStore.Snapshot> c : cp.copies().entrySet()) {
            disks.get(c.getKey()).store().deleteSnapshot(c.getValue());
        }
    }

    @Override
    public String toString() {
        return "VM " + host.name() + "/" + name;
    }

    /** The vm-reverted fault: to the newest standard checkpoint, or to empty disks if there is none. */
    void revertToNewestCheckpoint() throws IOException {
        StandardCheckpoint newest = null;
        for (StandardCheckpoint cp : standardCheckpoints.values()) {
            newest = cp;
        }
        revert(newest);
    }

    private void revert(StandardCheckpoint cp) throws IOException {
        host.checkOpen();
        checkRegistered();
        try {
            for (VirtualDisk d : disks.values()) {
                DiskStore.Snapshot copy = cp == null ? null : cp.copies().get(Names.key(d.name()));
                d.revertTo(copy == null ? new ExtentMap(d.sizeBytes()) : copy.versions(), copy);
            }
        } finally {
            // Even a revert cut short by a full volume has changed disks behind the tracker.
            tracker.changedBehindTracking(HostFaultKind.VM_REVERTED);
        }
    }

    void setRegistered(boolean value) {
        registered = value;
    }

    void checkRegistered() throws VmNotFoundException {
        if (!registered) {
            throw new VmNotFoundException(name, host.name());
        }
    }

    void setState(ReplicationState newState) {
        state = newState;
    }

    /** The state a paused or failed VM returns to when resumed. */
    ReplicationState resumeState() {
        return resumeState;
    }

    void setResumeState(ReplicationState s) {
        resumeState = s;
    }

    /** Takes a checkpoint of every disk, all or none. */
    void takeCheckpoint() throws IOException {
        UUID cp = nameUuid(host.name(), name, "checkpoint", Long.toString(++checkpoints));
        List<VirtualDisk> done = new ArrayList<>();
        try {
            for (VirtualDisk d : disks.values()) {
                d.takeCheckpoint(cp);
                done.add(d);
            }
        } catch (IOException | RuntimeException e) {
            for (VirtualDisk d : done) {
                try {
                    d.discardCheckpoint();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        checkpointId = cp;
    }

    /** Discards a checkpoint that no write has reached yet. */
    void discardCheckpoint() throws IOException {
        for (VirtualDisk d : disks.values()) {
            d.discardCheckpoint();
        }
        checkpointId = null;
    }

    /** Merges every disk's checkpoint back; the checkpoint is gone once all merged. */
    void mergeCheckpoint() throws IOException {
        for (VirtualDisk d : disks.values()) {
            d.mergeCheckpoint();
        }
        checkpointId = null;
    }

    void close() throws IOException {
        tracker.close();
        for (VirtualDisk d : disks.values()) {
            d.close();
        }
    }

    private record StandardCheckpoint(String name, Map<String, DiskStore.Snapshot> copies) {}

    static UUID nameUuid(String... parts) {
        return UUID.nameUUIDFromBytes(("hyperv:" + String.join("/", parts)).getBytes(StandardCharsets.UTF_8));
    }
}
