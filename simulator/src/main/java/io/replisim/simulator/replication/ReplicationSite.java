package io.replisim.simulator.replication;

import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.vault.ProtectionContainer;
import io.replisim.azure.vault.RecoveryServicesVault;
import io.replisim.azure.vault.ReplicationPolicy;
import io.replisim.azure.vault.ServerKind;
import io.replisim.azure.vault.VaultRegistrationKey;
import io.replisim.hyperv.HostConfig;
import io.replisim.hyperv.HostFault;
import io.replisim.hyperv.HyperVHost;
import io.replisim.hyperv.ReplicationService;
import io.replisim.hyperv.ReplicationState;
import io.replisim.hyperv.VirtualDisk;
import io.replisim.hyperv.VirtualMachine;
import io.replisim.hyperv.VolumeConfig;
import io.replisim.hyperv.Workload;
import io.replisim.hyperv.WorkloadSpec;
import io.replisim.simulator.kernel.Action;
import io.replisim.simulator.kernel.Kernel;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.net.CapacitySchedule;
import io.replisim.simulator.net.Uplink;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.fault.FaultKind;
import io.replisim.simulator.fault.FaultyBlobStorage;
import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.FaultSpec;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Policy;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.Site;
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
import java.io.UncheckedIOException;
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
    /** The one volume each host has in the scenario format so far. */
    static final String VOLUME = "C";

    private final Kernel kernel;
    private final Trace trace;
    private final Scenario scenario;
    private final BlobStorage storage;
    private final RecoveryServicesVault vault;
    private final Uplink uplink;
    private final CapacitySchedule capacity;
    private final Map<String, HyperVHost> hosts = new LinkedHashMap<>();
    private final List<VmReplication> vms = new ArrayList<>();
    private final ProtectionContainer container;
    private final Policy policy;
    private final FaultyBlobStorage.Switch storageFaults = new FaultyBlobStorage.Switch();
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

    public ReplicationSite(Kernel kernel, Trace trace, Scenario scenario, BlobStorage storage) throws IOException {
        this.kernel = kernel;
        this.trace = trace;
        this.scenario = scenario;
        this.storage = FaultyBlobStorage.wrap(storage, storageFaults);
        this.policy = scenario.effectivePolicy();
        this.vault = new RecoveryServicesVault("replisim-vault", kernel.clock());
        Site site = scenario.site();
        this.capacity = new CapacitySchedule(site.uplink(), kernel.start(), kernel.zone());
        this.uplink = new Uplink(kernel, site.effectiveName(), capacity.at(0), SimTime.of(site.uplink().effectiveLatency()));
        this.container = register(site);
        storage.createContainer(VmReplication.REPLICA_CONTAINER);
        storage.createContainer(VmReplication.LOG_CONTAINER);
        for (Site.Host h : site.hosts()) {
            HostConfig config = HostConfig.builder(h.name())
                    .setFidelity(scenario.effectiveFidelity() == Fidelity.MODEL ? io.replisim.hyperv.Fidelity.MODEL
                            : io.replisim.hyperv.Fidelity.BYTES)
                    .setVolumes(List.of(VolumeConfig.of(VOLUME, h.effectiveVolume().bytes())))
                    .setMemoryBudgetBytes(h.effectiveMemory().bytes())
                    .build();
            HyperVHost host = HyperVHost.start(config, kernel.clock());
            hosts.put(h.name(), host);
            for (Site.Vm v : h.vms()) {
                vms.add(createVm(host, v));
            }
        }
    }

    /** Registers every host (and the VMM server) with the vault and associates the policy. */
    private ProtectionContainer register(Site site) {
        VaultRegistrationKey key = vault.generateRegistrationKey();
        ReplicationPolicy replicationPolicy = ReplicationPolicy.builder()
                .copyFrequency(policy.copyFrequency())
                .recoveryPointRetention(policy.retention())
                .appConsistentFrequency(policy.appConsistentEvery())
                .initialReplicationStart(Policy.IMMEDIATELY.equals(policy.initialReplicationStart())
                        ? io.replisim.azure.vault.InitialReplicationStart.immediately()
                        : io.replisim.azure.vault.InitialReplicationStart.at(policy.initialReplicationAt(kernel.dateTimeAt(0)).toInstant()))
                .build();
        ProtectionContainer c;
        if (site.effectiveKind() == Site.Kind.VMM_CLOUD) {
            String vmm = site.effectiveName() + "-vmm";
            vault.registerServer(vmm, ServerKind.VMM_SERVER, key);
            var cloud = vault.createVmmCloud(vmm, site.effectiveName());
            for (Site.Host h : site.hosts()) {
                vault.addHostToCloud(cloud, h.name());
            }
            c = cloud;
        } else {
            var hyperVSite = vault.createHyperVSite(site.effectiveName());
            for (Site.Host h : site.hosts()) {
                vault.registerServer(h.name(), ServerKind.HYPERV_HOST, key);
                vault.addHostToSite(hyperVSite, h.name());
            }
            c = hyperVSite;
        }
        vault.associatePolicy(c, replicationPolicy);
        vault.mapNetwork(VM_NETWORK, site.effectiveName() + "-vnet");
        return c;
    }

    private VmReplication createVm(HyperVHost host, Site.Vm v) throws IOException {
        VirtualMachine vm = host.createVm(v.name(), VOLUME);
        List<DiskReplication> disks = new ArrayList<>();
        for (int i = 0; i < v.disks().size(); i++) {
            Site.Disk d = v.disks().get(i);
            String diskName = d.name() != null ? d.name() : "disk" + i;
            VirtualDisk disk = vm.addDisk(diskName, d.size().bytes());
            Workload workload = null;
            if (d.churn() != null && d.churn().rate().bytesPerSecond() > 0) {
                WorkloadSpec spec = workloadSpec(d.churn());
                String stream = "workload/" + host.name() + "/" + vm.name() + "/" + diskName;
                workload = spec.followsTheClock()
                        ? new Workload(disk, spec, kernel.stream(stream), kernel.seed(), kernel.clock(), kernel.zone())
                        : new Workload(disk, spec, kernel.stream(stream), kernel.seed());
            }
            disks.add(new DiskReplication(disk, workload));
        }
        return new VmReplication(this, vm, disks);
    }

    /** The Hyper-V workload a scenario's churn describes. */
    private static WorkloadSpec workloadSpec(Site.Churn c) {
        WorkloadSpec.Builder b = WorkloadSpec.builder().setChurnBytesPerSecond(c.rate().bytesPerSecond());
        if (c.ioSizes().isEmpty()) {
            b.setIoSizeBytes((int) c.effectiveIoSize().bytes());
        } else {
            b.setIoSizes(c.ioSizes().stream().map(s -> new WorkloadSpec.IoSize((int) s.size().bytes(), s.weight())).toList());
        }
        if (c.zipf() != null) {
            b.setZipf(c.zipf().exponent() != null ? c.zipf().exponent() : WorkloadSpec.DEFAULT_ZIPF_EXPONENT,
                    c.zipf().range() != null ? c.zipf().range().bytes() : WorkloadSpec.DEFAULT_ZIPF_RANGE_BYTES);
        } else {
            b.setHotSpotFraction(c.effectiveHotspot()).setHotSpotShare(c.effectiveHotShare());
        }
        if (!c.hourly().isEmpty()) {
            b.setHourlyMultipliers(c.hourly().stream().mapToDouble(Double::doubleValue).toArray());
        }
        for (Site.Burst burst : c.bursts()) {
            java.time.LocalTime at = java.time.LocalTime.parse(burst.at().length() == 4 ? "0" + burst.at() : burst.at());
            java.util.Set<java.time.DayOfWeek> days = burst.days() == null ? java.util.EnumSet.allOf(java.time.DayOfWeek.class)
                    : io.replisim.simulator.scenario.WeeklyHours.parse(burst.days() + " 00:00-24:00").days();
            b.addBurst(new WorkloadSpec.Burst(burst.name(), at, burst.lasting(), burst.rate().bytesPerSecond(), days));
        }
        return b.build();
    }

    /**
     * Schedules what happens at the start: workloads begin, every VM's protection is enabled,
     * and the scenario's faults and administrators' actions are put on the calendar.
     */
    public void start() {
        trace.emit(new TraceEvent.UplinkCapacity(uplink.name(), uplink.capacity(), "start"));
        workloadHandle = kernel.scheduleIn(Timings.WORKLOAD_STEP, workloadStep);
        for (VmReplication vm : vms) {
            kernel.schedule(kernel.now(), VmReplication.named("enable-protection " + vm.name(), vm::enableProtection));
        }
        scheduleCapacityChange();
        for (FaultSpec f : scenario.faults()) {
            FaultKind kind = FaultKind.parse(f.kind());
            kernel.schedule(SimTime.of(f.at()), VmReplication.named("fault " + f.kind(), () -> inject(kind, f)));
            if (f.lasting() != null) {
                kernel.schedule(SimTime.of(f.at().plus(f.lasting())), VmReplication.named("fault-end " + f.kind(), () -> clear(kind, f)));
            }
        }
        for (ActionSpec a : scenario.actions()) {
            kernel.schedule(SimTime.of(a.at()), VmReplication.named("action " + a.action(), () -> act(a)));
        }
    }

    /** The uplink follows its profile, schedule and throttle, recomputed only when they change. */
    private void scheduleCapacityChange() {
        long next = capacity.nextChange(kernel.now());
        if (next != Long.MAX_VALUE) {
            kernel.schedule(next, VmReplication.named("uplink-capacity", () -> {
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
        for (VmReplication vm : vms) {
            if (vm.busy()) {
                return true;
            }
        }
        return false;
    }

    private void inject(FaultKind kind, FaultSpec f) {
        trace.emit(new TraceEvent.FaultInjected(f.host(), f.vm(), kind.label(), f.lasting()));
        switch (kind) {
            case NETWORK_OUTAGE -> {
                trace.emit(new TraceEvent.UplinkCapacity(uplink.name(), 0, "outage"));
                uplink.fail("the uplink " + uplink.name() + " is down (network outage)");
            }
            case STORAGE_UNAVAILABLE, AUTHENTICATION_FAILURE -> storageFaults.set(kind);
            default -> {
                HostFault fault = hostFault(kind, f);
                try {
                    hostOf(f).inject(fault);
                } catch (IOException e) {
                    // the fault cannot strike (a VM that is gone cannot be reverted): it passes at once
                    trace.emit(new TraceEvent.FaultCleared(f.host(), f.vm(), kind.label()));
                }
            }
        }
    }

    private void clear(FaultKind kind, FaultSpec f) {
        trace.emit(new TraceEvent.FaultCleared(f.host(), f.vm(), kind.label()));
        switch (kind) {
            case NETWORK_OUTAGE -> {
                uplink.restore();
                trace.emit(new TraceEvent.UplinkCapacity(uplink.name(), uplink.capacity(), "restored"));
            }
            case STORAGE_UNAVAILABLE, AUTHENTICATION_FAILURE -> storageFaults.clear(kind);
            default -> {
                try {
                    hostOf(f).clear(hostFault(kind, f));
                } catch (IOException e) {
                    throw new UncheckedIOException("clearing " + kind.label() + " failed", e);
                }
            }
        }
    }

    /** The Hyper-V fault a scenario's host or VM fault stands for. */
    private HostFault hostFault(FaultKind kind, FaultSpec f) {
        return switch (kind) {
            case LOW_DISK_SPACE -> HostFault.lowDiskSpace(VOLUME, f.bytes() == null ? 0 : f.bytes().bytes());
            case LOW_MEMORY -> HostFault.lowMemory();
            case VM_NOT_FOUND -> HostFault.vmNotFound(f.vm());
            case BROKEN_VHD_CHAIN -> f.disk() == null ? HostFault.brokenVhdChain(f.vm()) : HostFault.brokenVhdChain(f.vm(), f.disk());
            case LOG_WRITE_FAILURE -> HostFault.logWriteFailure(f.vm());
            case LOG_NOT_CLOSED_CLEANLY -> HostFault.logNotClosedCleanly(f.vm());
            case VHD_CHANGED_OFFLINE -> f.disk() == null && f.bytes() == null ? HostFault.vhdChangedOffline(f.vm())
                    : HostFault.vhdChangedOffline(f.vm(), f.disk() != null ? f.disk() : firstDisk(f.vm()),
                            f.bytes() == null ? HostFault.DEFAULT_OFFLINE_CHANGE_BYTES : f.bytes().bytes());
            case VM_REVERTED -> HostFault.vmReverted(f.vm());
            default -> throw new IllegalArgumentException(kind + " is not a host fault");
        };
    }

    private String firstDisk(String vmName) {
        return vms.stream().filter(v -> v.name().equals(vmName)).findFirst().orElseThrow().disks().get(0).name();
    }

    private HyperVHost hostOf(FaultSpec f) {
        if (f.host() != null) {
            return hosts.get(f.host());
        }
        for (VmReplication vm : vms) {
            if (vm.name().equals(f.vm())) {
                return hosts.get(vm.host());
            }
        }
        throw new IllegalStateException("no host for fault " + f);
    }

    /**
     * An administrator's action (scenarios/README.md lists them): resume after an error, start a
     * resync, the failover family, failback and reprotect, disable replication.
     */
    private void act(ActionSpec a) {
        trace.emit(new TraceEvent.AdminAction(a.vm(), a.action()));
        for (VmReplication vm : vms) {
            if (a.vm() == null || a.vm().equals(vm.name())) {
                switch (a.action()) {
                    case "resume" -> vm.resumeAfterAdminAction();
                    case "resync" -> vm.resyncNow();
                    case "test-failover" -> vm.testFailover(a.recoveryPoint());
                    case "test-failover-cleanup" -> vm.testFailoverCleanup();
                    case "planned-failover" -> vm.plannedFailover();
                    case "unplanned-failover" -> vm.unplannedFailover(a.recoveryPoint());
                    case "commit" -> vm.commit();
                    case "failback" -> vm.failback(a.sync());
                    case "reprotect" -> vm.reprotect();
                    case "disable-replication" -> vm.disableReplication();
                    default -> throw new IllegalStateException("unknown action " + a.action());
                }
            }
        }
    }

    /** A simulated time as the trace writes it: ISO-8601 with the offset of the scenario's zone. */
    String iso(long t) {
        return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(kernel.dateTimeAt(t).toOffsetDateTime());
    }

    /** Whether disks are content-free (model fidelity). */
    boolean model() {
        return scenario.effectiveFidelity() == Fidelity.MODEL;
    }

    /** When initial replication starts for protection enabled at {@code t}: the policy's schedule. */
    long initialReplicationStart(long t) {
        var at = policy.initialReplicationAt(kernel.dateTimeAt(t));
        return java.time.Duration.between(kernel.start(), at.toInstant()).toNanos();
    }

    boolean resyncAutomatic() {
        return scenario.effectiveResync().automatic();
    }

    long resyncBlockSize() {
        return scenario.effectiveResync().blockSize().bytes();
    }

    /** The first moment at or after {@code t} outside office hours. */
    long nextResyncStart(long t) {
        var office = scenario.effectiveResync().officeHours();
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
        for (VmReplication vm : vms) {
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
            for (VmReplication vm : vms) {
                for (DiskReplication d : vm.disks()) {
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
        for (VmReplication vm : vms) {
            for (DiskReplication d : vm.disks()) {
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
        for (VmReplication vm : vms) {
            List<RunRecord.DiskCheck> checks = new ArrayList<>();
            for (DiskReplication d : vm.disks()) {
                String method = model() ? "extent-versions" : "sha256";
                String source = model() ? d.source.contentFingerprint() : d.source.sha256();
                String replica = d.replica == null ? null : d.replica.digest();
                boolean matches = source.equals(replica);
                trace.emit(new TraceEvent.ReplicaVerified(vm.host(), vm.name(), d.name(), method, source, replica, matches));
                checks.add(new RunRecord.DiskCheck(d.name(), d.source.sizeBytes(), method, source, replica, matches));
            }
            long reached = vm.firstEntered(ReplicationState.REPLICATING);
            var h = vm.rpoMillis;
            RunRecord.Rpo rpo = h.getTotalCount() == 0 ? null : new RunRecord.Rpo(
                    java.time.Duration.ofMillis(h.getValueAtPercentile(50)), java.time.Duration.ofMillis(h.getValueAtPercentile(95)),
                    java.time.Duration.ofMillis(h.getValueAtPercentile(99)), java.time.Duration.ofMillis(h.getMaxValue()), h.getTotalCount());
            outcomes.add(new VmOutcome(new RunRecord.VmSummary(vm.host(), vm.name(),
                    vm.vm().replicationState().displayName(), vm.vm().replicationHealth().displayName(),
                    reached < 0 ? null : SimTime.toDuration(reached), vm.irBytesSent, vm.logsShipped,
                    vm.logBytesShipped, vm.irBytesSent + vm.logBytesShipped + vm.resyncBytesSent, vm.recoveryPointsCreated, vm.errors, vm.retries,
                    vm.resyncs, vm.resyncBytesSent, rpo, checks), vm));
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

    ReplicationService hyperV(String hostName) {
        return hosts.get(hostName).replicationService();
    }

    /** The agent's upload threads per VM (DOMAIN.md: 4 by default, at most 32). */
    int uploadThreads() {
        return scenario.site().uplink().effectiveUploadThreads();
    }


    long copyFrequency() {
        return SimTime.of(policy.copyFrequency());
    }

    long retention() {
        return SimTime.of(policy.retention());
    }

    long appConsistentFrequency() {
        return SimTime.of(policy.appConsistentEvery());
    }

    Scenario scenario() {
        return scenario;
    }

    @Override
    public void close() throws IOException {
        for (HyperVHost host : hosts.values()) {
            host.close();
        }
    }
}
