package io.replisim.hyperv;

import io.replisim.hyperv.vhdx.Vhdx;
import io.replisim.hyperv.vhdx.VirtualHardDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
     */
    public VirtualDisk addDisk(String diskName, long sizeBytes) throws IOException {
        host.checkOpen();
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
        VirtualHardDisk vhd;
        try {
            vhd = Vhdx.createDynamic(file, sizeBytes, blockSize, diskId);
        } catch (IOException e) {
            throw volume.translate(e, file);
        }
        VirtualDisk disk = new VirtualDisk(this, diskName, diskId, sizeBytes, blockSize, vhd);
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

    @Override
    public String toString() {
        return "VM " + host.name() + "/" + name;
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

    static UUID nameUuid(String... parts) {
        return UUID.nameUUIDFromBytes(("hyperv:" + String.join("/", parts)).getBytes(StandardCharsets.UTF_8));
    }
}
