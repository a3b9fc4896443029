package io.replisim.azure.vault;

import java.util.Optional;
import java.util.SortedSet;

/**
 * What a replication policy is associated with and VMs are protected in: a Hyper-V site (no
 * VMM) or a VMM cloud. The policy applies to every VM on the container's hosts.
 */
public sealed interface ProtectionContainer permits HyperVSite, VmmCloud {

    String name();

    /** The Hyper-V hosts in the container, sorted. */
    SortedSet<String> hosts();

    /** The associated replication policy, if any. */
    Optional<ReplicationPolicy> policy();
}
