package io.replisim.hyperv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hyper-V Replica's change tracking for one VM: while the VM's replication state tracks writes,
 * every write to a disk is appended to that disk's active log {@code <disk>-<lsn>.hrl}. The
 * replication stack seals a log with {@link #switchLog}, ships it, and {@link #acknowledge}s it,
 * which deletes the file. Sealed logs stay on the volume, and count in
 * {@link #pendingLogBytes()}, until acknowledged, however many there are.
 */
public final class ReplicationTracker {

    /** Returned by {@link #logWrite} when nothing was logged. */
    static final long NOT_LOGGED = -1;

    private final VirtualMachine vm;
    /** Per disk: its active log, or null while tracking is off or its next log could not be created. */
    private final Map<VirtualDisk, ActiveLog> active = new LinkedHashMap<>();
    /** Per disk: the next log sequence number; never reused, so a stale file is never overwritten. */
    private final Map<VirtualDisk, Long> nextSequence = new LinkedHashMap<>();
    private final List<SealedLog> pending = new ArrayList<>();
    private boolean tracking;

    ReplicationTracker(VirtualMachine vm) {
        this.vm = vm;
    }

    public VirtualMachine vm() {
        return vm;
    }

    /** Whether writes are being logged. */
    public boolean isTracking() {
        return tracking;
    }

    /**
     * Seals the disk's active log (close marker, flush) and opens the next one in the same folder.
     * If the next log cannot be created for lack of space, the sealed log is still returned and
     * the disk's next write fails with {@link VolumeFullException} until space is freed.
     *
     * @throws VolumeFullException if the close marker does not fit; the log then stays active
     * @throws IllegalStateException if writes are not being tracked
     */
    public SealedLog switchLog(VirtualDisk disk) throws IOException {
        checkOwnDisk(disk);
        if (!tracking) {
            throw new IllegalStateException("cannot switch the log of disk " + disk.name() + ": VM " + vm.name()
                    + " is not tracking writes (state '" + vm.replicationState() + "')");
        }
        ActiveLog log = activeOrCreate(disk);
        SealedLog sealed = log.seal(now());
        active.put(disk, null);
        pending.add(sealed);
        try {
            active.put(disk, openNext(disk));
        } catch (VolumeFullException deferred) {
            // Retried by the next write or switch, which report it if space is still short.
        }
        return sealed;
    }

    /** Switches the log of every disk, in disk order. */
    public List<SealedLog> switchLogs() throws IOException {
        List<SealedLog> sealed = new ArrayList<>();
        for (VirtualDisk d : vm.disks()) {
            sealed.add(switchLog(d));
        }
        return List.copyOf(sealed);
    }

    /**
     * The replica has applied {@code log}: deletes its file. Returns false if the log was no
     * longer pending (already acknowledged, or discarded when replication stopped or a
     * resynchronization was required).
     */
    public boolean acknowledge(SealedLog log) throws IOException {
        if (!log.vmName().equals(vm.name()) || vm.disks().stream().noneMatch(d -> d.id().equals(log.diskId()))) {
            throw new IllegalArgumentException(log.path() + " is not a log of VM " + vm.name());
        }
        if (!pending.remove(log)) {
            return false;
        }
        Files.deleteIfExists(log.path());
        return true;
    }

    /** The sealed logs not yet acknowledged, in the order they were sealed. */
    public List<SealedLog> pendingLogs() {
        return List.copyOf(pending);
    }

    /** The disk's active log file, while there is one. */
    public Optional<Path> activeLogPath(VirtualDisk disk) {
        checkOwnDisk(disk);
        ActiveLog log = active.get(disk);
        return log == null ? Optional.empty() : Optional.of(log.path());
    }

    /**
     * Bytes of all this VM's logs on the volume, active and sealed-but-unacknowledged: the
     * figure Hyper-V compares with half the VM's total VHD size to require resynchronization.
     */
    public long pendingLogBytes() {
        long total = 0;
        for (ActiveLog log : active.values()) {
            if (log != null) {
                total += log.size();
            }
        }
        for (SealedLog log : pending) {
            total += log.sizeBytes();
        }
        return total;
    }

    /** Starts logging: opens a fresh log for every disk, all or none. */
    void start() throws IOException {
        if (tracking) {
            throw new IllegalStateException("VM " + vm.name() + " is already tracking writes");
        }
        try {
            for (VirtualDisk d : vm.disks()) {
                active.put(d, openNext(d));
            }
        } catch (IOException | RuntimeException e) {
            discardAll(e);
            throw e;
        }
        tracking = true;
    }

    /** Stops logging and deletes every log, active and pending: none will ever be applied. */
    void stop() throws IOException {
        tracking = false;
        IOException failure = new IOException("could not delete the replication logs of VM " + vm.name());
        discardAll(failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** Logs a write about to be applied; returns the mark {@link #undoWrite} needs. */
    long logWrite(VirtualDisk disk, long offset, byte[] data, int off, int len) throws IOException {
        if (!tracking) {
            return NOT_LOGGED;
        }
        return activeOrCreate(disk).append(offset, data, off, len);
    }

    /** The write logged at {@code mark} failed on the disk: cut its record off the log. */
    void undoWrite(VirtualDisk disk, long mark) throws IOException {
        if (mark != NOT_LOGGED) {
            active.get(disk).truncate(mark);
        }
    }

    /** Host shutdown: closes files, keeping them on the volume for inspection. */
    void close() throws IOException {
        for (ActiveLog log : active.values()) {
            if (log != null) {
                log.close();
            }
        }
    }

    private ActiveLog activeOrCreate(VirtualDisk disk) throws IOException {
        ActiveLog log = active.get(disk);
        if (log == null) {
            log = openNext(disk);
            active.put(disk, log);
        }
        return log;
    }

    private ActiveLog openNext(VirtualDisk disk) throws IOException {
        long sequence = nextSequence.getOrDefault(disk, 1L);
        ActiveLog log = ActiveLog.create(disk, sequence, now());
        nextSequence.put(disk, sequence + 1);
        return log;
    }

    private void discardAll(Exception failure) {
        for (Map.Entry<VirtualDisk, ActiveLog> e : active.entrySet()) {
            if (e.getValue() != null) {
                try {
                    e.getValue().discard();
                } catch (IOException suppressed) {
                    failure.addSuppressed(suppressed);
                }
            }
            e.setValue(null);
        }
        for (SealedLog log : pending) {
            try {
                Files.deleteIfExists(log.path());
            } catch (IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
        pending.clear();
    }

    private long now() {
        return HrlFormat.epochNanos(vm.host().clock().instant());
    }

    private void checkOwnDisk(VirtualDisk disk) {
        if (disk.vm() != vm) {
            throw new IllegalArgumentException(disk + " does not belong to VM " + vm.name());
        }
    }
}
