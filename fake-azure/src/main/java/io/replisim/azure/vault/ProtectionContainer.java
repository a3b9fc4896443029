package io.replisim.azure.vault;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a replication policy is associated with and VMs are protected in: a Hyper-V site (no
 * VMM) or a VMM cloud. The policy applies to every VM on the container's hosts. Changed through
 * the vault.
 */
public abstract sealed class ProtectionContainer permits HyperVSite, VmmCloud {
    private final String name;
    private final TreeSet<String> hosts = new TreeSet<>();
    private ReplicationPolicy policy;

    ProtectionContainer(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The Hyper-V hosts in the container, sorted. */
    public SortedSet<String> hosts() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(hosts));
    }

    /** The associated replication policy, if any. */
    public Optional<ReplicationPolicy> policy() {
        return Optional.ofNullable(policy);
    }

    void addHost(String host) {
        hosts.add(host);
    }

    void setPolicy(ReplicationPolicy policy) {
        this.policy = policy;
    }
}
