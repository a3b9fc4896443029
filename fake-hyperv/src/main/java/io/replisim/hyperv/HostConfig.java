package io.replisim.hyperv;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable configuration of an emulated Hyper-V host. Build one with {@link #builder},
 * start from the {@link #standalone} preset, or derive one with {@link #toBuilder()}.
 */
public final class HostConfig {

    private static final long GIB = 1024L * 1024 * 1024;

    private final String name;
    private final List<VolumeConfig> volumes;
    private final long memoryBudgetBytes;
    private final String vmmServer;
    private final String cluster;
    private final Fidelity fidelity;

    private HostConfig(Builder b) {
        this.name = b.name;
        this.volumes = List.copyOf(b.volumes.values());
        this.memoryBudgetBytes = b.memoryBudgetBytes;
        this.vmmServer = b.vmmServer;
        this.cluster = b.cluster;
        this.fidelity = b.fidelity;
    }

    /** A standalone host (no VMM, no cluster) with one 64 GiB volume "C" and 16 GiB of memory. */
    public static HostConfig standalone(String hostName) {
        return builder(hostName)
                .addVolume(VolumeConfig.of("C", 64 * GIB))
                .setMemoryBudgetBytes(16 * GIB)
                .build();
    }

    public static Builder builder(String hostName) {
        return new Builder(hostName);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name).setMemoryBudgetBytes(memoryBudgetBytes);
        volumes.forEach(b::addVolume);
        b.vmmServer = vmmServer;
        b.cluster = cluster;
        b.fidelity = fidelity;
        return b;
    }

    public String name() {
        return name;
    }

    /** The volumes, in the order they were added. */
    public List<VolumeConfig> volumes() {
        return volumes;
    }

    /** Memory available to VMs; the replication stack uses it for its "low memory" errors. */
    public long memoryBudgetBytes() {
        return memoryBudgetBytes;
    }

    /** The VMM server managing this host, when it belongs to a VMM cloud. */
    public Optional<String> vmmServer() {
        return Optional.ofNullable(vmmServer);
    }

    /** The failover cluster this host is a node of, if any. */
    public Optional<String> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** Whether disks and logs hold real bytes or only their extents and sizes; {@link Fidelity#BYTES} by default. */
    public Fidelity fidelity() {
        return fidelity;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostConfig c && name.equals(c.name) && volumes.equals(c.volumes)
                && memoryBudgetBytes == c.memoryBudgetBytes && Objects.equals(vmmServer, c.vmmServer)
                && Objects.equals(cluster, c.cluster) && fidelity == c.fidelity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, volumes, memoryBudgetBytes, vmmServer, cluster, fidelity);
    }

    @Override
    public String toString() {
        return "HostConfig{name=" + name + ", volumes=" + volumes + ", memoryBudgetBytes=" + memoryBudgetBytes
                + (vmmServer == null ? "" : ", vmmServer=" + vmmServer)
                + (cluster == null ? "" : ", cluster=" + cluster) + ", fidelity=" + fidelity + '}';
    }

    /** Builds a {@link HostConfig}; every setter validates its argument at once. */
    public static final class Builder {

        private String name;
        private final Map<String, VolumeConfig> volumes = new LinkedHashMap<>();
        private long memoryBudgetBytes = 16 * GIB;
        private String vmmServer;
        private String cluster;
        private Fidelity fidelity = Fidelity.BYTES;

        private Builder(String name) {
            setName(name);
        }

        public Builder setName(String hostName) {
            this.name = Names.hostName("host name", hostName);
            return this;
        }

        /** Adds a volume; its name must differ (case-insensitively) from those already added. */
        public Builder addVolume(VolumeConfig volume) {
            Objects.requireNonNull(volume, "volume");
            String key = Names.key(volume.name());
            if (volumes.containsKey(key)) {
                throw new IllegalArgumentException("host " + name + " already has a volume named "
                        + volumes.get(key).name());
            }
            volumes.put(key, volume);
            return this;
        }

        /** Replaces all volumes. */
        public Builder setVolumes(List<VolumeConfig> newVolumes) {
            Builder check = new Builder(name);
            newVolumes.forEach(check::addVolume); // validate all before replacing any
            volumes.clear();
            volumes.putAll(check.volumes);
            return this;
        }

        public Builder setMemoryBudgetBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memory budget must be positive, got " + bytes);
            }
            this.memoryBudgetBytes = bytes;
            return this;
        }

        public Builder setVmmServer(String serverName) {
            this.vmmServer = Names.hostName("VMM server name", serverName);
            return this;
        }

        public Builder clearVmmServer() {
            this.vmmServer = null;
            return this;
        }

        public Builder setCluster(String clusterName) {
            this.cluster = Names.hostName("cluster name", clusterName);
            return this;
        }

        public Builder clearCluster() {
            this.cluster = null;
            return this;
        }

        public Builder setFidelity(Fidelity newFidelity) {
            this.fidelity = Objects.requireNonNull(newFidelity, "fidelity");
            return this;
        }

        public HostConfig build() {
            if (volumes.isEmpty()) {
                throw new IllegalStateException("host " + name + " needs at least one volume");
            }
            return new HostConfig(this);
        }
    }
}
