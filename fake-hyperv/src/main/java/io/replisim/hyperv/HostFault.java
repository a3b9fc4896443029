package io.replisim.hyperv;

import java.util.Objects;
import java.util.Optional;

/**
 * One host fault to {@link HyperVHost#inject}: its {@link HostFaultKind} and its target. Build
 * with the factories; equal values denote the same fault, so the value injected is the value to
 * {@link HyperVHost#clear}. Targets are named as on the host (VM, disk and volume names,
 * case-insensitive) and resolved when injected.
 */
public final class HostFault {

    /** What {@link #vhdChangedOffline(String)} changes unless told otherwise. */
    public static final long DEFAULT_OFFLINE_CHANGE_BYTES = 1024 * 1024;

    private final HostFaultKind kind;
    private final String vm;
    private final String disk;
    private final String volume;
    private final long bytes;
    private final String checkpoint;

    private HostFault(HostFaultKind kind, String vm, String disk, String volume, long bytes, String checkpoint) {
        this.kind = kind;
        this.vm = vm;
        this.disk = disk;
        this.volume = volume;
        this.bytes = bytes;
        this.checkpoint = checkpoint;
    }

    /** The volume's free space is held but {@code leaveFreeBytes}, until cleared. */
    public static HostFault lowDiskSpace(String volume, long leaveFreeBytes) {
        if (leaveFreeBytes < 0) {
            throw new IllegalArgumentException("bytes left free must not be negative, got " + leaveFreeBytes);
        }
        return new HostFault(HostFaultKind.LOW_DISK_SPACE, null, null, name(volume), leaveFreeBytes, null);
    }

    /** Replication operations on the host fail with {@link HostResourceException} until cleared. */
    public static HostFault lowMemory() {
        return new HostFault(HostFaultKind.LOW_MEMORY, null, null, null, 0, null);
    }

    /** The VM is unregistered until cleared. */
    public static HostFault vmNotFound(String vm) {
        return new HostFault(HostFaultKind.VM_NOT_FOUND, name(vm), null, null, 0, null);
    }

    /** Every disk's replication checkpoint loses its parent (now or when next taken) until cleared. */
    public static HostFault brokenVhdChain(String vm) {
        return new HostFault(HostFaultKind.BROKEN_VHD_CHAIN, name(vm), null, null, 0, null);
    }

    /** One disk's replication checkpoint loses its parent (now or when next taken) until cleared. */
    public static HostFault brokenVhdChain(String vm, String disk) {
        return new HostFault(HostFaultKind.BROKEN_VHD_CHAIN, name(vm), name(disk), null, 0, null);
    }

    /** The next append to any of the VM's logs fails, unless cleared first. */
    public static HostFault logWriteFailure(String vm) {
        return new HostFault(HostFaultKind.LOG_WRITE_FAILURE, name(vm), null, null, 0, null);
    }

    /** The VM's active logs are handed over without close marker, now. */
    public static HostFault logNotClosedCleanly(String vm) {
        return new HostFault(HostFaultKind.LOG_NOT_CLOSED_CLEANLY, name(vm), null, null, 0, null);
    }

    /** {@link #DEFAULT_OFFLINE_CHANGE_BYTES} change on every disk of the VM, unseen by the tracker, now. */
    public static HostFault vhdChangedOffline(String vm) {
        return new HostFault(HostFaultKind.VHD_CHANGED_OFFLINE, name(vm), null, null, DEFAULT_OFFLINE_CHANGE_BYTES,
                null);
    }

    /** {@code bytes} (rounded up to 64 KiB writes) change on one disk, unseen by the tracker, now. */
    public static HostFault vhdChangedOffline(String vm, String disk, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes changed offline must be positive, got " + bytes);
        }
        return new HostFault(HostFaultKind.VHD_CHANGED_OFFLINE, name(vm), name(disk), null, bytes, null);
    }

    /** The VM reverts to its newest standard checkpoint (to empty disks if it has none), now. */
    public static HostFault vmReverted(String vm) {
        return new HostFault(HostFaultKind.VM_REVERTED, name(vm), null, null, 0, null);
    }

    /** The VM reverts to the standard checkpoint named {@code checkpoint}, now. */
    public static HostFault vmReverted(String vm, String checkpoint) {
        return new HostFault(HostFaultKind.VM_REVERTED, name(vm), null, null, 0, name(checkpoint));
    }

    public HostFaultKind kind() {
        return kind;
    }

    /** The VM it targets; empty for host-wide and volume faults. */
    public Optional<String> vmName() {
        return Optional.ofNullable(vm);
    }

    /** The one disk it targets; empty when it targets every disk of the VM, or none. */
    public Optional<String> diskName() {
        return Optional.ofNullable(disk);
    }

    /** The volume of a low-disk-space fault. */
    public Optional<String> volumeName() {
        return Optional.ofNullable(volume);
    }

    /** Low disk space: the bytes left free; VHD changed offline: the bytes changed per disk; else 0. */
    public long bytes() {
        return bytes;
    }

    /** The standard checkpoint a VM-reverted fault names; empty for the newest. */
    public Optional<String> checkpointName() {
        return Optional.ofNullable(checkpoint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostFault f && kind == f.kind && Objects.equals(key(vm), key(f.vm))
                && Objects.equals(key(disk), key(f.disk)) && Objects.equals(key(volume), key(f.volume))
                && bytes == f.bytes && Objects.equals(key(checkpoint), key(f.checkpoint));
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, key(vm), key(disk), key(volume), bytes, key(checkpoint));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(kind.scenarioName());
        if (volume != null) {
            s.append(" volume=").append(volume);
        }
        if (vm != null) {
            s.append(" vm=").append(vm);
        }
        if (disk != null) {
            s.append(" disk=").append(disk);
        }
        if (checkpoint != null) {
            s.append(" checkpoint=").append(checkpoint);
        }
        if (bytes != 0) {
            s.append(" bytes=").append(bytes);
        }
        return s.toString();
    }

    private static String name(String n) {
        return Names.fileName("fault target", n);
    }

    private static String key(String n) {
        return n == null ? null : Names.key(n);
    }
}
