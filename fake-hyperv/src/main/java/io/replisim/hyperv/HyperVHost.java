package io.replisim.hyperv;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An emulated Hyper-V host: volumes (each its own capacity-capped Jimfs file system), the VMs on
 * them, and the host's {@link ReplicationService}. All time stamps come from the
 * {@link InstantSource} it is started with. Closing the host closes every file and volume.
 * The configuration's {@link Fidelity} decides whether disks and logs hold real bytes; the API
 * is the same either way. Faults are injected with {@link #inject} (see {@link HostFaultKind}).
 */
public final class HyperVHost implements Closeable {

    private final HostConfig config;
    private final InstantSource clock;
    private final Map<String, Volume> volumes = new LinkedHashMap<>();
    private final Map<String, VirtualMachine> vms = new LinkedHashMap<>();
    private final ReplicationService replicationService;
    private final List<ActiveFault> faults = new ArrayList<>();
    private int lowMemory;
    private boolean closed;

    private HyperVHost(HostConfig config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
        for (VolumeConfig v : config.volumes()) {
            volumes.put(Names.key(v.name()), new Volume(v, config.fidelity(), clock));
        }
        this.replicationService = new ReplicationService(this);
    }

    public static HyperVHost start(HostConfig config, InstantSource clock) {
        return new HyperVHost(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
    }

    public HostConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public Fidelity fidelity() {
        return config.fidelity();
    }

    /** The volumes, in configuration order. */
    public List<Volume> volumes() {
        return List.copyOf(volumes.values());
    }

    /** The volume named {@code name} (case-insensitive). */
    public Volume volume(String name) {
        Volume v = volumes.get(Names.key(name));
        if (v == null) {
            throw new IllegalArgumentException("host " + name() + " has no volume " + name + "; it has "
                    + volumes.values().stream().map(Volume::name).toList());
        }
        return v;
    }

    /** Creates a VM whose folder {@code /<name>} is on the given volume. */
    public VirtualMachine createVm(String name, String volumeName) throws IOException {
        checkOpen();
        Names.fileName("VM name", name);
        if (vms.containsKey(Names.key(name))) {
            throw new IllegalArgumentException("host " + name() + " already has a VM named "
                    + vms.get(Names.key(name)).name());
        }
        Volume volume = volume(volumeName);
        Path folder = volume.root().resolve(name);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw volume.translate(e, folder);
        }
        VirtualMachine vm = new VirtualMachine(this, name, volume, folder);
        vms.put(Names.key(name), vm);
        return vm;
    }

    /** The VMs registered on the host, in creation order. */
    public List<VirtualMachine> vms() {
        return vms.values().stream().filter(VirtualMachine::isRegistered).toList();
    }

    /** The registered VM named {@code name}; empty for an unknown or unregistered one. */
    public Optional<VirtualMachine> vm(String name) {
        return Optional.ofNullable(vms.get(Names.key(name))).filter(VirtualMachine::isRegistered);
    }

    /**
     * Injects a fault (see {@link HostFaultKind} for what each does and how it shows). Lasting
     * faults hold until {@link #clear}ed; events happen here and now.
     *
     * @throws IllegalArgumentException if its VM, disk, volume or checkpoint does not exist
     * @throws IOException if applying an event fails (e.g. a revert that does not fit)
     */
    public void inject(HostFault fault) throws IOException {
        checkOpen();
        switch (fault.kind()) {
            case LOW_DISK_SPACE -> {
                Volume v = volume(fault.volumeName().orElseThrow());
                faults.add(new ActiveFault(fault, v.reserve(fault.bytes())));
            }
            case LOW_MEMORY -> {
                lowMemory++;
                faults.add(new ActiveFault(fault, 0));
            }
            case VM_NOT_FOUND -> {
                target(fault).setRegistered(false);
                faults.add(new ActiveFault(fault, 0));
            }
            case BROKEN_VHD_CHAIN -> {
                for (VirtualDisk d : disks(fault)) {
                    d.breakChain();
                }
                faults.add(new ActiveFault(fault, 0));
            }
            case LOG_WRITE_FAILURE -> {
                target(fault).replicationTracker().setFailNextAppend(true);
                faults.add(new ActiveFault(fault, 0));
            }
            case LOG_NOT_CLOSED_CLEANLY -> target(fault).replicationTracker().abandonActiveLogs();
            case VHD_CHANGED_OFFLINE -> {
                for (VirtualDisk d : disks(fault)) {
                    d.changeOffline(fault.bytes());
                }
            }
            case VM_REVERTED -> {
                VirtualMachine vm = target(fault);
                if (fault.checkpointName().isPresent()) {
                    vm.applyStandardCheckpoint(fault.checkpointName().get());
                } else {
                    vm.revertToNewestCheckpoint();
                }
            }
            default -> throw new AssertionError(fault.kind());
        }
    }

    /**
     * Lifts a lasting fault injected earlier (an equal value): the space is free again, memory
     * suffices, the VM is registered, the parent VHDX is back, the log write failure is
     * disarmed if it has not happened yet. Returns false if no such fault holds (events never
     * do: what they changed stays changed).
     */
    public boolean clear(HostFault fault) throws IOException {
        checkOpen();
        ActiveFault found = null;
        for (ActiveFault f : faults) {
            if (f.fault().equals(fault)) {
                found = f;
                break;
            }
        }
        if (found == null) {
            return false;
        }
        switch (fault.kind()) {
            case LOW_DISK_SPACE -> volume(fault.volumeName().orElseThrow()).release(found.reservedBytes());
            case LOW_MEMORY -> lowMemory--;
            case VM_NOT_FOUND -> target(fault).setRegistered(true);
            case BROKEN_VHD_CHAIN -> {
                for (VirtualDisk d : disks(fault)) {
                    d.repairChain();
                }
            }
            case LOG_WRITE_FAILURE -> target(fault).replicationTracker().setFailNextAppend(false);
            default -> throw new AssertionError(fault.kind());
        }
        faults.remove(found);
        return true;
    }

    /** The lasting faults injected and not cleared, in injection order. */
    public List<HostFault> activeFaults() {
        return faults.stream().map(ActiveFault::fault).toList();
    }

    /** The host's {@code Msvm_ReplicationService}. */
    public ReplicationService replicationService() {
        return replicationService;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (VirtualMachine vm : vms.values()) {
            try {
                vm.close();
            } catch (IOException e) {
                failure = collect(failure, e);
            }
        }
        for (Volume v : volumes.values()) {
            try {
                v.close();
            } catch (IOException e) {
                failure = collect(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "HyperVHost " + name();
    }

    InstantSource clock() {
        return clock;
    }

    /** A low-memory fault holds: replication work cannot start. */
    void checkMemory(String operation) throws HostResourceException {
        if (lowMemory > 0) {
            throw new HostResourceException(HostFaultKind.LOW_MEMORY, name(), operation);
        }
    }

    /** The fault's VM, registered or not. */
    private VirtualMachine target(HostFault fault) {
        String name = fault.vmName().orElseThrow();
        VirtualMachine vm = vms.get(Names.key(name));
        if (vm == null) {
            throw new IllegalArgumentException("host " + name() + " has no VM " + name + " for fault " + fault);
        }
        return vm;
    }

    private List<VirtualDisk> disks(HostFault fault) {
        VirtualMachine vm = target(fault);
        if (fault.diskName().isEmpty()) {
            return vm.disks();
        }
        return List.of(vm.disk(fault.diskName().get()).orElseThrow(() -> new IllegalArgumentException(
                "VM " + vm.name() + " has no disk " + fault.diskName().get() + " for fault " + fault)));
    }

    private record ActiveFault(HostFault fault, long reservedBytes) {}

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("host " + name() + " is closed");
        }
    }

    private static IOException collect(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
