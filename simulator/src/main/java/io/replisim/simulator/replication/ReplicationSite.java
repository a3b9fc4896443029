package io.replisim.simulator.replication;

import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.vault.ProtectionContainer;
import io.replisim.azure.vault.RecoveryServicesVault;
import io.replisim.azure.vault.ReplicationPolicy;
import io.replisim.azure.vault.ServerKind;
import io.replisim.azure.vault.VaultRegistrationKey;
import io.replisim.hyperv.HostConfig;
import io.replisim.hyperv.HyperVHost;
import io.replisim.hyperv.ReplicationService;
import io.replisim.hyperv.ReplicationState;
import io.replisim.hyperv.VirtualDisk;
import io.replisim.hyperv.Workload;
import io.replisim.hyperv.VirtualMachine;
import io.replisim.hyperv.VolumeConfig;
import io.replisim.simulator.kernel.Action;
import io.replisim.simulator.kernel.Kernel;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.net.CapacitySchedule;
import io.replisim.simulator.net.Uplink;
import io.replisim.simulator.fault.FaultKind;
import io.replisim.simulator.fault.FaultyBlobStorage;
import io.replisim.simulator.trace.Trace;
import io.replisim.simulator.trace.TraceEvent;
import io.replisim.hyperv.Volume;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One site (Hyper-V site or VMM cloud) built from a scenario: its hosts, the vault and storage
 * account it replicates to, its uplink, and the replication of every VM on it.
 */
public final class ReplicationSite implements Closeable {
    /** The VM network every VM is on, mapped to the site's Azure virtual network for failovers. */
    static final String VM_NETWORK = "VM Network";
    /** The vault's name. */
    public static final String VAULT = "replisim-vault";
    /** The one volume each host has in the scenario format so far. */
    static final String VOLUME = "C";

    private final Kernel kernel;
    private final Trace trace;
    private final ReplicationConfig config;
    private final BlobStorage storage;
    private final RecoveryServicesVault vault;
    private final Uplink uplink;
    private final CapacitySchedule capacity;
    private final Map<String, HyperVHost> hosts = new LinkedHashMap<>();
    private final List<ProtectedVm> vms = new ArrayList<>();
    private final ProtectionContainer container;
    private final FaultyBlobStorage.Switch storageFaults = new FaultyBlobStorage.Switch();
    private final SiteFaults faults = new SiteFaults(this, storageFaults);
    private boolean workloadRunning = true;
    private long bytesWritten;
    private long lastWorkloadAdvance;
    private long workloadHandle;

    private final Action workloadStep = new Action() {
        @Override
        public void run() {
            advanceWorkloads();
        }

        @Override
        public String name() {
            return "workload-step";
        }
    };

    /** A site whose part of the vault is named {@value #VAULT} (a scenario of one site). */
    public ReplicationSite(Kernel kernel, Trace trace, ReplicationConfig config, BlobStorage storage) throws IOException {
        this(kernel, trace, config, storage, VAULT);
    }

    /**
     * A site whose part of the vault is named {@code vaultName}: the vault's ids (jobs,
     * items) are made from it, so the sites of one scenario give different ones.
     */
    public ReplicationSite(Kernel kernel, Trace trace, ReplicationConfig config, BlobStorage storage, String vaultName)
            throws IOException {
        this.kernel = kernel;
        this.trace = trace;
        this.config = config;
        this.storage = FaultyBlobStorage.wrap(storage, storageFaults);
        this.vault = new RecoveryServicesVault(vaultName, kernel.clock());
        this.capacity = new CapacitySchedule(config.uplink().capacity(), kernel.start(), kernel.zone());
        this.uplink = new Uplink(kernel, config.site(), capacity.at(0), SimTime.of(config.uplink().latency()));
        this.container = register();
        storage.createContainer(ProtectedVm.REPLICA_CONTAINER);
        storage.createContainer(LogShipping.LOG_CONTAINER);
        for (ReplicationConfig.Host h : config.hosts()) {
            HostConfig hostConfig = HostConfig.builder(h.name())
                    .setFidelity(config.fidelity())
                    .setVolumes(List.of(VolumeConfig.of(VOLUME, h.volumeBytes())))
                    .setMemoryBudgetBytes(h.memoryBytes())
                    .build();
            HyperVHost host = HyperVHost.start(hostConfig, kernel.clock());
            hosts.put(h.name(), host);
            for (ReplicationConfig.Vm v : h.vms()) {
                vms.add(createVm(host, v));
            }
        }
    }

    /** Registers every host (and the VMM server) with the vault and associates the policy. */
    private ProtectionContainer register() {
        VaultRegistrationKey key = vault.generateRegistrationKey();
        ReplicationConfig.Policy policy = config.policy();
        ReplicationPolicy replicationPolicy = ReplicationPolicy.builder()
                .copyFrequency(policy.copyFrequency())
                .recoveryPointRetention(policy.retention())
                .appConsistentFrequency(policy.appConsistentEvery())
                .initialReplicationStart(policy.initialReplication() instanceof ReplicationConfig.StartAt.Immediately
                        || policy.initialReplication() instanceof ReplicationConfig.StartAt.Replicated
                        ? io.replisim.azure.vault.InitialReplicationStart.immediately()
                        : io.replisim.azure.vault.InitialReplicationStart.at(
                                policy.initialReplication().after(kernel.dateTimeAt(0)).toInstant()))
                .build();
        ProtectionContainer c;
        if (config.kind() == ReplicationConfig.SiteKind.VMM_CLOUD) {
            String vmm = config.site() + "-vmm";
            vault.registerServer(vmm, ServerKind.VMM_SERVER, key);
            var cloud = vault.createVmmCloud(vmm, config.site());
            for (ReplicationConfig.Host h : config.hosts()) {
                vault.addHostToCloud(cloud, h.name());
            }
            c = cloud;
        } else {
            var hyperVSite = vault.createHyperVSite(config.site());
            for (ReplicationConfig.Host h : config.hosts()) {
                vault.registerServer(h.name(), ServerKind.HYPERV_HOST, key);
                vault.addHostToSite(hyperVSite, h.name());
            }
            c = hyperVSite;
        }
        vault.associatePolicy(c, replicationPolicy);
        vault.mapNetwork(VM_NETWORK, config.site() + "-vnet");
        return c;
    }

    private ProtectedVm createVm(HyperVHost host, ReplicationConfig.Vm v) throws IOException {
        VirtualMachine vm = host.createVm(v.name(), VOLUME);
        List<DiskReplication> disks = new ArrayList<>();
        for (ReplicationConfig.Disk d : v.disks()) {
            VirtualDisk disk = vm.addDisk(d.name(), d.sizeBytes());
            Workload workload = null;
            if (d.workload() != null) {
                String stream = "workload/" + host.name() + "/" + vm.name() + "/" + d.name();
                workload = d.workload().followsTheClock()
                        ? new Workload(disk, d.workload(), kernel.stream(stream), kernel.seed(), kernel.clock(), kernel.zone())
                        : new Workload(disk, d.workload(), kernel.stream(stream), kernel.seed());
            }
            disks.add(new DiskReplication(disk, workload));
        }
        return new ProtectedVm(this, vm, disks);
    }

    /**
     * Schedules what happens at the start: workloads begin, every VM's protection is enabled,
     * and the scenario's faults and administrators' actions are put on the calendar.
     */
    public void start() {
        trace.emit(new TraceEvent.UplinkCapacity(uplink.name(), uplink.capacity(), "start"));
        workloadHandle = kernel.scheduleIn(Timings.WORKLOAD_STEP, workloadStep);
        for (ProtectedVm vm : vms) {
            kernel.schedule(kernel.now(), ProtectedVm.named("enable-protection " + vm.name(), vm::enableProtection));
        }
        scheduleCapacityChange();
        for (ReplicationConfig.Fault f : config.faults()) {
            FaultKind kind = f.kind();
            kernel.schedule(SimTime.of(f.at()), ProtectedVm.named("fault " + kind.label(), () -> faults.inject(kind, f)));
            if (f.lasting() != null) {
                kernel.schedule(SimTime.of(f.at().plus(f.lasting())), ProtectedVm.named("fault-end " + kind.label(),
                        () -> faults.clear(kind, f)));
            }
        }
        for (ReplicationConfig.Action a : config.actions()) {
            kernel.schedule(SimTime.of(a.at()), ProtectedVm.named("action " + a.action(), () -> act(a)));
        }
    }

    /** The uplink follows its profile, schedule and throttle, recomputed only when they change. */
    private void scheduleCapacityChange() {
        long next = capacity.nextChange(kernel.now());
        if (next != Long.MAX_VALUE) {
            kernel.schedule(next, ProtectedVm.named("uplink-capacity", () -> {
                long before = uplink.capacity();
                uplink.setCapacity(capacity.at(kernel.now()));
                if (uplink.capacity() != before && uplink.isAvailable()) {
                    trace.emit(new TraceEvent.UplinkCapacity(uplink.name(), uplink.capacity(), "schedule"));
                }
                scheduleCapacityChange();
            }));
        }
    }

    /** Whether some VM still has work to finish after the workload stopped. */
    public boolean draining() {
        for (ProtectedVm vm : vms) {
            if (vm.busy()) {
                return true;
            }
        }
        return false;
    }

    /**
     * An administrator's action (scenarios/README.md lists them): resume after an error, start a
     * resync, the failover family, failback and reprotect, disable replication.
     */
    private void act(ReplicationConfig.Action a) {
        trace.emit(new TraceEvent.AdminAction(a.vm(), a.action()));
        for (ProtectedVm vm : vms) {
            if (a.vm() == null || a.vm().equals(vm.name())) {
                vm.act(a.action(), a.recoveryPoint(), a.sync());
            }
        }
    }

    /** A simulated time as the trace writes it: ISO-8601 with the offset of the scenario's zone. */
    String iso(long t) {
        return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(kernel.dateTimeAt(t).toOffsetDateTime());
    }

    /** How much of the disks' content is simulated. */
    io.replisim.hyperv.Fidelity fidelity() {
        return config.fidelity();
    }

    /** Whether every VM starts protected with its replica in step (initial replication done before the run). */
    boolean startsReplicated() {
        return config.policy().initialReplication() instanceof ReplicationConfig.StartAt.Replicated;
    }

    /** When initial replication starts for protection enabled at {@code t}: the policy's schedule. */
    long initialReplicationStart(long t) {
        var at = config.policy().initialReplication().after(kernel.dateTimeAt(t));
        return java.time.Duration.between(kernel.start(), at.toInstant()).toNanos();
    }

    boolean resyncAutomatic() {
        return config.resync().automatic();
    }

    long resyncBlockSize() {
        return config.resync().blockSizeBytes();
    }

    /** The first moment at or after {@code t} outside office hours. */
    long nextResyncStart(long t) {
        var office = config.resync().officeHours();
        var local = kernel.dateTimeAt(t);
        if (!office.contains(local)) {
            return t;
        }
        return java.time.Duration.between(kernel.start(), office.nextBoundary(local).toInstant()).toNanos();
    }

    /** The scenario's duration is over: the workload stops and every VM ships its last log. */
    public void stopWorkloadAndDrain() {
        advanceWorkloads(); // the writes due up to now
        workloadRunning = false;
        trace.emit(new TraceEvent.WorkloadStopped(bytesWritten));
        for (ProtectedVm vm : vms) {
            vm.drain();
        }
    }

    /** Applies, in one batch per disk, the writes due since the last step. */
    private void advanceWorkloads() {
        if (!workloadRunning) {
            return;
        }
        long elapsed = kernel.now() - lastWorkloadAdvance;
        lastWorkloadAdvance = kernel.now();
        if (elapsed > 0) {
            for (ProtectedVm vm : vms) {
                for (DiskReplication d : vm.disks) {
                    if (d.workload != null && !vm.poweredOff()) {
                        try {
                            bytesWritten += d.workload.advance(elapsed);
                        } catch (IOException e) {
                            vm.guestWriteFailed(e);
                        }
                    }
                }
                vm.checkLogThreshold();
                vm.sample();
            }
        }
        if (!kernel.isPending(workloadHandle)) {
            workloadHandle = kernel.scheduleIn(Timings.WORKLOAD_STEP, workloadStep);
        }
    }

    /**
     * Copies the run's disks out of the emulation, for real tools (DESIGN.md's layout):
     * {@code source/<vm>/<disk>.vhdx}, {@code replica/<vm>/<disk>.vhd} (a fixed VHD) and every host
     * volume's files under {@code hosts/<host>/<volume>/} (disks, checkpoints, logs).
     */
    public void exportDisks(Path dir) throws IOException {
        for (ProtectedVm vm : vms) {
            for (DiskReplication d : vm.disks) {
                Path source = dir.resolve("source").resolve(vm.name()).resolve(d.name() + ".vhdx");
                Files.createDirectories(source.getParent());
                Files.copy(d.source.path(), source, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
                if (d.replica != null) {
                    Path replica = dir.resolve("replica").resolve(vm.name()).resolve(d.name() + ".vhd");
                    Files.createDirectories(replica.getParent());
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(replica))) {
                        d.replica.disk.exportVhd(out);
                    }
                }
            }
        }
        for (HyperVHost host : hosts.values()) {
            for (Volume volume : host.volumes()) {
                Path target = dir.resolve("hosts").resolve(host.name()).resolve(volume.name());
                try (Stream<Path> files = Files.walk(volume.root())) {
                    for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                        Path to = target;
                        for (Path part : volume.root().relativize(file)) {
                            to = to.resolve(part.toString());
                        }
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(to);
                        } else {
                            // With the simulated modification times the hosts' files carry.
                            Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING,
                                    StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                }
            }
        }
    }

    /**
     * Compares every replica with its source (SHA-256 of the whole disk), records the result in
     * the trace, and sums up each VM.
     */
    public List<VmOutcome> verify() throws IOException {
        storageFaults.clearAll(); // the judge reads the storage account directly, not through the agent's faults
        List<VmOutcome> outcomes = new ArrayList<>();
        for (ProtectedVm vm : vms) {
            List<VmSummary.DiskCheck> checks = new ArrayList<>();
            for (DiskReplication d : vm.disks) {
                String method = switch (fidelity()) {
                    case BYTES -> "sha256";
                    case MODEL -> "extent-versions";
                    case FLOW -> "write-counts";
                };
                String source = fidelity() == io.replisim.hyperv.Fidelity.BYTES ? d.source.sha256() : d.source.contentFingerprint();
                String replica = d.replica == null ? null : d.replica.digest();
                boolean matches = source.equals(replica);
                trace.emit(new TraceEvent.ReplicaVerified(vm.host, vm.name(), d.name(), method, source, replica, matches));
                checks.add(new VmSummary.DiskCheck(d.name(), d.source.sizeBytes(), method, source, replica, matches));
            }
            long reached = vm.health.firstEntered().getOrDefault(ReplicationState.REPLICATING, -1L);
            var h = vm.health.rpoMillis;
            VmFigures f = vm.figures;
            VmSummary.Rpo rpo = h.getTotalCount() == 0 ? null : new VmSummary.Rpo(
                    java.time.Duration.ofMillis(h.getValueAtPercentile(50)), java.time.Duration.ofMillis(h.getValueAtPercentile(95)),
                    java.time.Duration.ofMillis(h.getValueAtPercentile(99)), java.time.Duration.ofMillis(h.getMaxValue()), h.getTotalCount());
            outcomes.add(new VmOutcome(new VmSummary(vm.host, vm.name(),
                    vm.vm.replicationState().displayName(), vm.vm.replicationHealth().displayName(),
                    reached < 0 ? null : SimTime.toDuration(reached), f.irBytesSent, f.logsShipped,
                    f.logBytesShipped, f.irBytesSent + f.logBytesShipped + f.resyncBytesSent, f.recoveryPointsCreated, f.errors, f.retries,
                    f.resyncs, f.resyncBytesSent, rpo, checks), vm.health.changes(),
                    vm.failovers.done.stream().map(x -> new VmOutcome.Failover(x.kind(), x.dataLoss(), x.verified())).toList(),
                    vm.health.firstEntered()));
        }
        return outcomes;
    }

    public long maxDrain() {
        return Timings.MAX_DRAIN;
    }

    public RecoveryServicesVault vault() {
        return vault;
    }

    Kernel kernel() {
        return kernel;
    }

    Trace trace() {
        return trace;
    }

    BlobStorage storage() {
        return storage;
    }

    Uplink uplink() {
        return uplink;
    }

    ProtectionContainer container() {
        return container;
    }

    HyperVHost host(String name) {
        return hosts.get(name);
    }

    List<ProtectedVm> vms() {
        return vms;
    }

    ReplicationService hyperV(String hostName) {
        return hosts.get(hostName).replicationService();
    }

    /** The agent's upload threads per VM (DOMAIN.md: 4 by default, at most 32). */
    int uploadThreads() {
        return config.uplink().uploadThreads();
    }


    long copyFrequency() {
        return SimTime.of(config.policy().copyFrequency());
    }

    long retention() {
        return SimTime.of(config.policy().retention());
    }

    long appConsistentFrequency() {
        return SimTime.of(config.policy().appConsistentEvery());
    }


    @Override
    public void close() throws IOException {
        for (HyperVHost host : hosts.values()) {
            host.close();
        }
    }
}
