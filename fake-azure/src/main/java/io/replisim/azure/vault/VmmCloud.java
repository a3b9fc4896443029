package io.replisim.azure.vault;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** A VMM cloud on a registered VMM server, grouping that server's hosts. Changed through the vault. */
public final class VmmCloud implements ProtectionContainer {
    private final String vmmServer;
    private final String name;
    private final TreeSet<String> hosts = new TreeSet<>();
    private ReplicationPolicy policy;

    VmmCloud(String vmmServer, String name) {
        this.vmmServer = vmmServer;
        this.name = name;
    }

    public String vmmServer() {
        return vmmServer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SortedSet<String> hosts() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(hosts));
    }

    @Override
    public Optional<ReplicationPolicy> policy() {
        return Optional.ofNullable(policy);
    }

    void addHost(String host) {
        hosts.add(host);
    }

    void setPolicy(ReplicationPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String toString() {
        return "VMM cloud " + vmmServer + "/" + name;
    }
}
