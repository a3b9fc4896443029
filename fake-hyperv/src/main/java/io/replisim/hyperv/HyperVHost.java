package io.replisim.hyperv;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An emulated Hyper-V host: volumes (each its own capacity-capped Jimfs file system), the VMs on
 * them, and the host's {@link ReplicationService}. All time stamps come from the
 * {@link InstantSource} it is started with. Closing the host closes every file and volume.
 */
public final class HyperVHost implements Closeable {

    private final HostConfig config;
    private final InstantSource clock;
    private final Map<String, Volume> volumes = new LinkedHashMap<>();
    private final Map<String, VirtualMachine> vms = new LinkedHashMap<>();
    private final ReplicationService replicationService;
    private boolean closed;

    private HyperVHost(HostConfig config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
        for (VolumeConfig v : config.volumes()) {
            volumes.put(Names.key(v.name()), new Volume(v));
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

    /** The VMs, in creation order. */
    public List<VirtualMachine> vms() {
        return List.copyOf(vms.values());
    }

    public Optional<VirtualMachine> vm(String name) {
        return Optional.ofNullable(vms.get(Names.key(name)));
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
