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
 *
 * <p>Both fidelities report the same figures (sizes, sequence numbers, record counts, writes)
 * for the same writes; model-fidelity logs just have no file.
 *
 * <p>When something invalidates tracking (a log write failed, a log was not closed cleanly,
 * the VHD changed offline, the VM was reverted) the tracker keeps working but reports it in
 * {@link #resynchronizationRequired()}, as Hyper-V would before marking the VM for
 * resynchronization; the replication stack decides what to do.
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
    /** What invalidated tracking since it (re)started; null while nothing did. */
    private HostFaultKind resyncCause;
    /** A log-write-failure fault: the next append fails. */
    private boolean failNextAppend;

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
     * @throws VmNotFoundException if the VM is not registered
     * @throws HostResourceException if the host is low on memory
     * @throws IllegalStateException if writes are not being tracked
     */
    public SealedLog switchLog(VirtualDisk disk) throws IOException {
        checkOwnDisk(disk);
        vm.checkRegistered();
        vm.host().checkMemory("switchLog " + vm.name() + "/" + disk.name());
        if (!tracking) {
            throw new IllegalStateException("cannot switch the log of disk " + disk.name() + ": VM " + vm.name()
                    + " is not tracking writes (state '" + vm.replicationState() + "')");
        }
        ActiveLog log = activeOrCreate(disk);
        SealedLog sealed = log.seal(now());
        active.put(disk, null);
        pending.add(sealed);
        openNextDeferringLackOfSpace(disk);
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
        if (!log.vmName().equals(vm.name()) || !hasDisk(log.diskId())) {
            throw new IllegalArgumentException(log.path() + " is not a log of VM " + vm.name());
        }
        if (!pending.remove(log)) {
            return false;
        }
        delete(log);
        return true;
    }

    private boolean hasDisk(java.util.UUID id) {
        for (VirtualDisk d : vm.disks()) {
            if (d.id().equals(id)) {
                return true;
            }
        }
        return false;
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

    /**
     * What invalidated tracking since logging (re)started, if anything did: a
     * {@link HostFaultKind#LOG_WRITE_FAILURE} or {@link HostFaultKind#LOG_NOT_CLOSED_CLEANLY}
     * (a pending log is then not {@link SealedLog#sealedCleanly()}), a
     * {@link HostFaultKind#VHD_CHANGED_OFFLINE} or a {@link HostFaultKind#VM_REVERTED} (writes
     * the logs never saw). The logs can no longer bring a replica up to date: Hyper-V requires
     * resynchronization. The first cause is kept; it is forgotten when logging stops
     * (resynchronization required, failover, removal) or restarts.
     */
    public Optional<HostFaultKind> resynchronizationRequired() {
        return Optional.ofNullable(resyncCause);
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
        resyncCause = null;
    }

    /** Stops logging and deletes every log, active and pending: none will ever be applied. */
    void stop() throws IOException {
        tracking = false;
        resyncCause = null;
        IOException failure = new IOException("could not delete the replication logs of VM " + vm.name());
        discardAll(failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /**
     * Flow fidelity: logs {@code count} writes of {@code payload} bytes in all, the last giving the
     * disk {@code lastVersion}; a log-write-failure strikes the batch's first write, the rest go
     * unlogged into the next log as Hyper-V goes on logging after a failed append.
     */
    void logBatch(VirtualDisk disk, long count, long payload, long lastVersion) throws IOException {
        if (!tracking || count == 0) {
            return;
        }
        if (failNextAppend) {
            failAppend(disk, 0, (int) Math.min(Integer.MAX_VALUE, payload / count));
            count--;
            payload -= payload / (count + 1);
            if (count == 0) {
                return;
            }
        }
        activeOrCreate(disk).appendBatch(count, payload, lastVersion);
    }

    /** Logs a write about to be applied; returns the mark {@link #undoWrite} needs. */
    long logWrite(VirtualDisk disk, long offset, byte[] data, int off, int len, long version) throws IOException {
        if (!tracking) {
            return NOT_LOGGED;
        }
        if (failNextAppend) {
            failAppend(disk, offset, len);
            return NOT_LOGGED;
        }
        return activeOrCreate(disk).append(offset, data, off, len, version);
    }

    /**
     * The append fails half-way: the log gets the record's head but no payload, is handed over
     * as it is, and logging goes on in the next log. The guest's write itself succeeds, unlogged.
     */
    private void failAppend(VirtualDisk disk, long offset, int len) throws IOException {
        failNextAppend = false;
        markResynchronizationRequired(HostFaultKind.LOG_WRITE_FAILURE);
        ActiveLog log = active.get(disk);
        if (log != null) {
            active.put(disk, null);
            pending.add(log.abandon(offset, len));
        }
        openNextDeferringLackOfSpace(disk);
    }

    /** The log-not-closed-cleanly fault: every active log is handed over without close marker. */
    void abandonActiveLogs() throws IOException {
        if (!tracking) {
            return;
        }
        markResynchronizationRequired(HostFaultKind.LOG_NOT_CLOSED_CLEANLY);
        for (VirtualDisk d : vm.disks()) {
            ActiveLog log = active.get(d);
            if (log != null) {
                active.put(d, null);
                pending.add(log.abandon(-1, 0));
            }
            openNextDeferringLackOfSpace(d);
        }
    }

    /** The log-write-failure fault: arms (or, cleared, disarms) a failure of the next append. */
    void setFailNextAppend(boolean fail) {
        failNextAppend = fail;
    }

    /** A disk changed without the tracker seeing it; only matters while writes are tracked. */
    void changedBehindTracking(HostFaultKind cause) {
        if (tracking) {
            markResynchronizationRequired(cause);
        }
    }

    private void markResynchronizationRequired(HostFaultKind cause) {
        if (resyncCause == null) {
            resyncCause = cause;
        }
    }

    private void openNextDeferringLackOfSpace(VirtualDisk disk) throws IOException {
        try {
            active.put(disk, openNext(disk));
        } catch (VolumeFullException deferred) {
            // Retried by the next write or switch, which report it if space is still short.
        }
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
                delete(log);
            } catch (IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
        pending.clear();
    }

    private void delete(SealedLog log) throws IOException {
        if (log.fidelity() == Fidelity.BYTES) { // in the other fidelities the log is a size, never a file
            Files.deleteIfExists(log.path());
        }
        vm.volume().shrink(log.sizeBytes(), 0);
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
