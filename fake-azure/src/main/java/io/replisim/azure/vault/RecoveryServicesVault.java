package io.replisim.azure.vault;

import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.ReplicaDisk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A Recovery Services vault: server registration, Hyper-V sites and VMM clouds, network mapping,
 * replication policies, protected items and jobs. Time comes only from the given clock; ids are
 * name-based UUIDs of (vault name, kind, counter), so equal runs give equal ids.
 *
 * <p>Not thread-safe: a simulation run is single-threaded and owns its vault.
 */
public final class RecoveryServicesVault {

    /** How long a registration key is valid after it is generated. */
    public static final Duration REGISTRATION_KEY_VALIDITY = Duration.ofDays(5);

    private final String name;
    private final InstantSource clock;
    private final TreeMap<String, VaultRegistrationKey> issuedKeys = new TreeMap<>();
    private final TreeMap<String, RegisteredServer> servers = new TreeMap<>();
    private final TreeMap<String, HyperVSite> sites = new TreeMap<>();
    private final TreeMap<String, VmmCloud> clouds = new TreeMap<>(); // "vmmServer/cloud"
    private final TreeMap<String, String> networkMappings = new TreeMap<>();
    private final List<ProtectedItem> protectedItems = new ArrayList<>();
    private final LinkedHashMap<String, Job> jobs = new LinkedHashMap<>(); // creation order
    private final TreeMap<String, AzureVm> azureVms = new TreeMap<>();
    private long keyCounter;
    private long jobCounter;

    public RecoveryServicesVault(String name, InstantSource clock) {
        this.name = requireName("vault name", name);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String name() {
        return name;
    }

    // --- registration ---------------------------------------------------------------------------

    /** Issues a registration key valid for 5 days from now. */
    public VaultRegistrationKey generateRegistrationKey() {
        Instant now = clock.instant();
        String secret = nameUuid("registration-keys", ++keyCounter);
        VaultRegistrationKey key = new VaultRegistrationKey(name, secret, now, now.plus(REGISTRATION_KEY_VALIDITY));
        issuedKeys.put(secret, key);
        return key;
    }

    /**
     * Registers a server with a key this vault issued and that has not expired; otherwise throws
     * {@link AuthenticationException}. Registering the same server again (with a valid key)
     * refreshes its registration, as re-running the Provider's registration does.
     */
    public RegisteredServer registerServer(String serverName, ServerKind kind, VaultRegistrationKey key) {
        requireName("server name", serverName);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Instant now = clock.instant();
        VaultRegistrationKey issued = issuedKeys.get(key.secret());
        if (issued == null || !issued.equals(key)) {
            throw new AuthenticationException(AuthenticationException.INVALID_REGISTRATION_KEY,
                    "Registration of " + serverName + " failed: the registration key was not issued by vault " + name
                            + " (it names vault " + key.vaultName() + "); download a key from this vault");
        }
        if (!key.isValidAt(now)) {
            throw new AuthenticationException(AuthenticationException.REGISTRATION_KEY_EXPIRED,
                    "Registration of " + serverName + " failed: the registration key of vault " + name
                            + " expired at " + key.expiresAt() + " (now " + now
                            + "); keys are valid for 5 days, download a new one");
        }
        RegisteredServer existing = servers.get(serverName);
        if (existing != null && existing.kind() != kind) {
            throw new IllegalArgumentException(
                    "server " + serverName + " is registered as " + existing.kind() + ", not " + kind);
        }
        RegisteredServer server = new RegisteredServer(serverName, kind, now);
        servers.put(serverName, server);
        return server;
    }

    public Optional<RegisteredServer> registeredServer(String serverName) {
        return Optional.ofNullable(servers.get(serverName));
    }

    /** Registered servers, sorted by name. */
    public List<RegisteredServer> registeredServers() {
        return List.copyOf(servers.values());
    }

    // --- sites, clouds, networks ------------------------------------------------------------------

    public HyperVSite createHyperVSite(String siteName) {
        requireName("site name", siteName);
        if (sites.containsKey(siteName)) {
            throw new IllegalStateException("Hyper-V site " + siteName + " already exists in vault " + name);
        }
        HyperVSite site = new HyperVSite(siteName);
        sites.put(siteName, site);
        return site;
    }

    /** Adds a registered Hyper-V host to a site; a host belongs to one site only. */
    public void addHostToSite(HyperVSite site, String host) {
        requireOwn(site);
        RegisteredServer server = servers.get(host);
        if (server == null || server.kind() != ServerKind.HYPERV_HOST) {
            throw new IllegalStateException("host " + host + " is not registered with vault " + name
                    + " as a Hyper-V host; register it before adding it to " + site);
        }
        for (HyperVSite other : sites.values()) {
            if (other != site && other.hosts().contains(host)) {
                throw new IllegalStateException("host " + host + " already belongs to " + other);
            }
        }
        site.addHost(host);
    }

    public Optional<HyperVSite> hyperVSite(String siteName) {
        return Optional.ofNullable(sites.get(siteName));
    }

    /** Creates a cloud on a registered VMM server. */
    public VmmCloud createVmmCloud(String vmmServer, String cloudName) {
        requireName("cloud name", cloudName);
        RegisteredServer server = servers.get(vmmServer);
        if (server == null || server.kind() != ServerKind.VMM_SERVER) {
            throw new IllegalStateException("VMM server " + vmmServer + " is not registered with vault " + name);
        }
        String key = vmmServer + "/" + cloudName;
        if (clouds.containsKey(key)) {
            throw new IllegalStateException("VMM cloud " + key + " already exists in vault " + name);
        }
        VmmCloud cloud = new VmmCloud(vmmServer, cloudName);
        clouds.put(key, cloud);
        return cloud;
    }

    /** Adds a host managed by the cloud's VMM server (hosts in VMM clouds do not register themselves). */
    public void addHostToCloud(VmmCloud cloud, String host) {
        requireOwn(cloud);
        requireName("host name", host);
        cloud.addHost(host);
    }

    public Optional<VmmCloud> vmmCloud(String vmmServer, String cloudName) {
        return Optional.ofNullable(clouds.get(vmmServer + "/" + cloudName));
    }

    /** Maps an on-premises VM network to an Azure virtual network, replacing an earlier mapping. */
    public void mapNetwork(String vmNetwork, String azureVnet) {
        networkMappings.put(requireName("VM network", vmNetwork), requireName("Azure VNet", azureVnet));
    }

    public Optional<String> mappedNetwork(String vmNetwork) {
        return Optional.ofNullable(networkMappings.get(vmNetwork));
    }

    /** VM network -> Azure VNet, sorted. */
    public SortedMap<String, String> networkMappings() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(networkMappings));
    }

    // --- policies and protection ----------------------------------------------------------------

    /** Associates a policy with a site or cloud: it applies to all its VMs, including protected ones. */
    public void associatePolicy(ProtectionContainer container, ReplicationPolicy policy) {
        requireOwn(container);
        Objects.requireNonNull(policy, "policy");
        if (container instanceof HyperVSite site) {
            site.setPolicy(policy);
        } else if (container instanceof VmmCloud cloud) {
            cloud.setPolicy(policy);
        }
    }

    /**
     * Protects a VM of a site or cloud that has a policy. Only records the item: the caller runs
     * the Enable protection job ({@link #startJob}) as replication progresses.
     */
    public ProtectedItem enableProtection(ProtectionContainer container, String vmName, List<String> diskIds) {
        requireOwn(container);
        requireName("VM name", vmName);
        if (container.policy().isEmpty()) {
            throw new IllegalStateException("cannot protect " + vmName + ": no replication policy is associated with "
                    + container);
        }
        if (diskIds == null || diskIds.isEmpty()) {
            throw new IllegalArgumentException("cannot protect " + vmName + ": no disks given");
        }
        if (diskIds.stream().distinct().count() != diskIds.size()) {
            throw new IllegalArgumentException("cannot protect " + vmName + ": duplicate disk ids in " + diskIds);
        }
        if (protectedItem(container, vmName).isPresent()) {
            throw new IllegalStateException(vmName + " is already protected in " + container);
        }
        ProtectedItem item = new ProtectedItem(vmName, container, diskIds, clock.instant());
        protectedItems.add(item);
        return item;
    }

    /** Removes an item after replication was disabled. */
    public void disableProtection(ProtectedItem item) {
        if (!protectedItems.remove(item)) {
            throw new IllegalStateException(item + " is not protected by vault " + name);
        }
    }

    public Optional<ProtectedItem> protectedItem(ProtectionContainer container, String vmName) {
        return protectedItems.stream().filter(i -> i.container() == container && i.vmName().equals(vmName))
                .findFirst();
    }

    /** Protected items, sorted by container name, then VM name. */
    public List<ProtectedItem> protectedItems() {
        List<ProtectedItem> sorted = new ArrayList<>(protectedItems);
        sorted.sort(Comparator.comparing((ProtectedItem i) -> i.container().name()).thenComparing(ProtectedItem::vmName));
        return sorted;
    }

    // --- failover ---------------------------------------------------------------------------------

    /**
     * Creates the Azure VM of a failover: each replica disk's snapshot of {@code point} is copied
     * into a new page blob in {@link AzureVm#DISK_CONTAINER} named {@code <azure vm>/<disk id>.vhd},
     * and the VM is attached to the Azure VNet {@code vmNetwork} is mapped to. A test failover's VM
     * is named {@code <vm>-test}, so it can exist next to the production one.
     *
     * <p>Only records and copies: the caller runs the failover job's steps. The point need not be
     * one recorded with {@link ProtectedItem#addRecoveryPoint}, but it must cover exactly the
     * item's disks, as must {@code replicas}. If a copy fails the copies made so far are deleted.
     *
     * @param replicas disk id -> the disk's replica
     */
    public AzureVm createFailoverVm(ProtectedItem item, RecoveryPoint point, Map<String, ReplicaDisk> replicas,
            String vmNetwork, boolean testFailover) {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(replicas, "replicas");
        if (!protectedItems.contains(item)) {
            throw new IllegalArgumentException(item + " is not protected by vault " + name);
        }
        TreeSet<String> disks = new TreeSet<>(item.diskIds());
        if (!point.diskSnapshots().keySet().equals(disks)) {
            throw new IllegalArgumentException("recovery point at " + point.time() + " covers disks "
                    + point.diskSnapshots().keySet() + ", but " + item.vmName() + " has " + disks);
        }
        if (!new TreeSet<>(replicas.keySet()).equals(disks)) {
            throw new IllegalArgumentException("replicas given for disks " + new TreeSet<>(replicas.keySet()) + ", but "
                    + item.vmName() + " has " + disks);
        }
        String vnet = mappedNetwork(requireName("VM network", vmNetwork)).orElseThrow(() -> new IllegalStateException(
                "cannot fail over " + item.vmName() + ": VM network " + vmNetwork
                        + " is not mapped to an Azure virtual network in vault " + name + "; map it first"));
        String vmName = item.vmName() + (testFailover ? AzureVm.TEST_SUFFIX : "");
        if (azureVms.containsKey(vmName)) {
            throw new IllegalStateException("Azure VM " + vmName + " already exists"
                    + (testFailover ? "; clean up the previous test failover first" : ""));
        }
        TreeMap<String, AzureVm.Disk> copied = new TreeMap<>();
        try {
            for (String diskId : disks) {
                String blob = vmName + "/" + diskId + ".vhd";
                ReplicaDisk copy = replicas.get(diskId).copySnapshot(point.diskSnapshots().get(diskId),
                        AzureVm.DISK_CONTAINER, blob);
                copied.put(diskId, new AzureVm.Disk(diskId, copy.container(), copy.blobName()));
            }
        } catch (RuntimeException e) {
            BlobStorage storage = replicas.values().iterator().next().storage();
            for (AzureVm.Disk d : copied.values()) {
                try {
                    storage.deleteBlob(d.container(), d.blob());
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        AzureVm vm = new AzureVm(vmName, item.vmName(), testFailover, vnet, point.time(), point.appConsistent(),
                clock.instant(), copied);
        azureVms.put(vmName, vm);
        return vm;
    }

    /** Deletes a failover VM and its disk blobs (test failover cleanup, or after failback). */
    public void deleteFailoverVm(AzureVm vm, BlobStorage storage) {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(storage, "storage");
        if (!vm.equals(azureVms.get(vm.name()))) {
            throw new IllegalArgumentException("Azure VM " + vm.name() + " was not created by vault " + name);
        }
        for (AzureVm.Disk d : vm.disks().values()) {
            if (storage.exists(d.container(), d.blob())) {
                storage.deleteBlobAndSnapshots(d.container(), d.blob());
            }
        }
        azureVms.remove(vm.name());
    }

    public Optional<AzureVm> azureVm(String vmName) {
        return Optional.ofNullable(azureVms.get(vmName));
    }

    /** The failover VMs, sorted by name. */
    public List<AzureVm> azureVms() {
        return List.copyOf(azureVms.values());
    }

    // --- jobs -------------------------------------------------------------------------------------

    /** Starts a job on an item (a VM name): in progress from now, every step not started. */
    public Job startJob(JobType type, String item) {
        Objects.requireNonNull(type, "type");
        requireName("item", item);
        long sequence = ++jobCounter;
        Job job = new Job(nameUuid("jobs", sequence), sequence, type, item, clock);
        jobs.put(job.id(), job);
        return job;
    }

    public Optional<Job> job(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** The Jobs tab: newest first (by start time, then creation order). */
    public List<JobSummary> jobs() {
        List<Job> sorted = new ArrayList<>(jobs.values());
        sorted.sort(Comparator.comparing(Job::startTime).thenComparingLong(Job::sequence).reversed());
        List<JobSummary> rows = new ArrayList<>(sorted.size());
        for (Job job : sorted) {
            rows.add(job.summary());
        }
        return rows;
    }

    // --- helpers ----------------------------------------------------------------------------------

    private String nameUuid(String kind, long counter) {
        return UUID.nameUUIDFromBytes((name + "/" + kind + "/" + counter).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void requireOwn(ProtectionContainer container) {
        Objects.requireNonNull(container, "container");
        boolean own = container instanceof HyperVSite site ? sites.get(site.name()) == site
                : clouds.get(((VmmCloud) container).vmmServer() + "/" + container.name()) == container;
        if (!own) {
            throw new IllegalArgumentException(container + " does not belong to vault " + name);
        }
    }

    private static String requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    @Override
    public String toString() {
        return "RecoveryServicesVault[" + name + "]";
    }
}
