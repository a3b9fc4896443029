package io.replisim.azure.vault;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** A Hyper-V site: registered standalone hosts gathered for protection. Changed through the vault. */
public final class HyperVSite implements ProtectionContainer {
    private final String name;
    private final TreeSet<String> hosts = new TreeSet<>();
    private ReplicationPolicy policy;

    HyperVSite(String name) {
        this.name = name;
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
        return "Hyper-V site " + name;
    }
}
