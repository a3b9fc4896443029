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
import io.replisim.simulator.fault.StorageFaults;
import io.replisim.simulator.trace.Trace;
import io.replisim.simulator.trace.TraceEvent;
import io.replisim.hyperv.Volume;
import org.HdrHistogram.Histogram;
import java.io.BufferedOutputStream;
import java.time.Duration;
import java.io.Closeable;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
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
    private final StorageFaults storageFaults;
    private final SiteFaults faults;
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
        this(kernel, trace, config, storage, vaultName, StorageFaults.inFront());
    }

    /** As above, with the scenario's storage faults striking as {@code storageFaults} says (on the wire, say). */
    public ReplicationSite(Kernel kernel, Trace trace, ReplicationConfig config, BlobStorage storage, String vaultName,
                           StorageFaults storageFaults) throws IOException {
        this.kernel = kernel;
        this.trace = trace;
        this.config = config;
        this.storageFaults = storageFaults;
        this.faults = new SiteFaults(this, storageFaults);
        this.storage = storageFaults.wrap(storage, trace::emit);
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
            disks.add(new DiskReplication(disk, workload, d.usedBytes()));
        }
        return new ProtectedVm(this, vms.size(), vm, disks, v.initialReplication() != null ? v.initialReplication()
                : config.policy().initialReplication());
    }

    /**
     * Schedules what happens at the start: workloads begin, every VM's protection is enabled,
     * and the scenario's faults and administrators' actions are put on the calendar.
     */
    public void start() {
        trace.emit(new TraceEvent.UplinkCapacity(uplink.name(), uplink.capacity(), "start"));
        if (!flow()) {
            workloadHandle = kernel.scheduleIn(Timings.WORKLOAD_STEP, workloadStep);
        }
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

    /** When initial replication starts for protection enabled at {@code t}: the policy's schedule. */
    long initialReplicationStart(long t, ReplicationConfig.StartAt start) {
        var at = start.after(kernel.dateTimeAt(t));
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
        for (ProtectedVm vm : vms) {
            vm.health.workloadStops();
        }
        workloadRunning = false;
        trace.emit(new TraceEvent.WorkloadStopped(bytesWritten));
        for (ProtectedVm vm : vms) {
            vm.drain();
        }
    }

    private SiteSeries series;

    /**
     * Gathers the site's figures over time (see {@link SiteSeries}) in bins of {@code binNanos}
     * up to {@code end}, the scenario's duration, and with {@code perVm} each VM's uplink use to
     * the end of the run; call before {@link #start()}.
     */
    public void measure(long binNanos, long end, boolean perVm) {
        series = new SiteSeries(config.site(), binNanos, end, vms.size(), perVm);
        uplink.meter(series);
    }

    /** The figures gathered since {@link #measure}, closed at the end of the scenario's duration (or now); null if not measured. */
    public SiteSeries series() {
        if (series == null) {
            return null;
        }
        long end = series.end();
        for (ProtectedVm vm : vms) {
            vm.health.fillRpo(end);
        }
        return series.finish(vms.stream().map(vm -> vm.health.changes()).toList(),
                vms.stream().map(vm -> vm.health.resyncSpans(end)).toList(), kernel.now());
    }

    /** Null unless measured. */
    SiteSeries seriesOrNull() {
        return series;
    }

    /** Applies, in one batch per disk, the writes due since the last step. */
    private void advanceWorkloads() {
        if (!workloadRunning) {
            return;
        }
        long elapsed = kernel.now() - lastWorkloadAdvance;
        lastWorkloadAdvance = kernel.now();
        if (elapsed > 0 && flow()) { // the end of the run: every VM brought up to now
            for (ProtectedVm vm : vms) {
                writeUntil(vm, kernel.now());
                vm.checkLogThreshold();
                vm.sample();
            }
            return;
        }
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

    // ---- flow fidelity: no workload step; each VM is looked at when something could change ----

    /**
     * Flow fidelity: schedules {@code action} at the 10-second step {@code t}, from 10 seconds
     * before it when that is still ahead, so that among the events of its instant it comes where
     * model fidelity's workload step (scheduled 10 seconds before) would.
     */
    void atStep(long t, Action action) {
        if (t - Timings.WORKLOAD_STEP <= kernel.now()) {
            kernel.schedule(t, action);
        } else {
            kernel.schedule(t - Timings.WORKLOAD_STEP, ProtectedVm.named("before " + action.name(), () -> kernel.schedule(t, action)));
        }
    }

    /**
     * Flow fidelity: applies {@code vm}'s writes due up to {@code until} (at most now) that have
     * not been, as one batch per disk. A VM that is off wrote nothing meanwhile.
     */
    void writeUntil(ProtectedVm vm, long until) {
        if (!workloadRunning) {
            return;
        }
        for (DiskReplication d : vm.disks) {
            long elapsed = until - d.writtenUntil;
            if (elapsed <= 0) {
                continue;
            }
            d.writtenUntil = until;
            if (d.workload != null && !vm.poweredOff()) {
                try {
                    bytesWritten += d.workload.advance(elapsed, kernel.instantAt(until));
                } catch (IOException e) {
                    vm.guestWriteFailed(e);
                }
            }
        }
    }

    boolean workloadRunning() {
        return workloadRunning;
    }

    /** Flow fidelity: whether VMs are looked at only when something could change, not every 10 seconds. */
    boolean flow() {
        return config.fidelity() == io.replisim.hyperv.Fidelity.FLOW;
    }

    /** The first 10-second workload step after {@code t}. */
    static long stepAfter(long t) {
        return (t / Timings.WORKLOAD_STEP + 1) * Timings.WORKLOAD_STEP;
    }

    /** Flow fidelity: the last 10-second workload step before {@code t}, as model fidelity's writes stand then. */
    static long lastStepBefore(long t) {
        return t <= 0 ? 0 : (t - 1) / Timings.WORKLOAD_STEP * Timings.WORKLOAD_STEP;
    }

    /**
     * Flow fidelity: where {@code vm} must be looked at so that it sees its log threshold crossed
     * at the 10-second step model fidelity would (see {@link #reaches}); {@code Long.MAX_VALUE}
     * if it cannot cross (not replicating, off, no writes).
     */
    long crossingStep(ProtectedVm vm) {
        if (!workloadRunning || vm.poweredOff()) {
            return Long.MAX_VALUE;
        }
        ReplicationState state = vm.vm.replicationState();
        boolean ir = state == ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION;
        if (!ir && state != ReplicationState.REPLICATING) {
            return Long.MAX_VALUE;
        }
        long disk = vm.vm.totalVhdSizeBytes();
        return reaches((ir ? disk : disk / 2) - vm.vm.replicationTracker().pendingLogBytes(), List.of(vm), 1);
    }

    /**
     * Flow fidelity: the step at which to look so as not to miss the moment the logs of {@code of}
     * grow by {@code bytes}: the step before the one at or after that moment at their current
     * rates while these hold, at their highest rates after (a look that finds it not yet reached
     * looks again, closer). Logs grow by the payload plus each record's head and checksum; what
     * else grows with them counts {@code factor} times.
     */
    private long reaches(long bytes, List<ProtectedVm> of, double factor) {
        long now = kernel.now();
        Instant instant = kernel.clock().instant();
        double rate = 0;
        double maxRate = 0;
        Instant pieceEnd = Instant.MAX;
        for (ProtectedVm vm : of) {
            if (vm.poweredOff()) {
                continue;
            }
            for (DiskReplication d : vm.disks) {
                if (d.workload != null) {
                    double overhead = factor * (1 + 20.0 / d.workload.spec().ioSizeBytes());
                    rate += d.workload.bytesPerSecondAt(instant) * overhead;
                    maxRate += d.workload.maxBytesPerSecond() * overhead;
                    Instant change = d.workload.rateChangesAfter(instant);
                    pieceEnd = change.isBefore(pieceEnd) ? change : pieceEnd;
                }
            }
        }
        if (maxRate <= 0) {
            return Long.MAX_VALUE;
        }
        double untilChange = pieceEnd.equals(Instant.MAX) ? Double.MAX_VALUE
                : (double) (java.time.Duration.between(kernel.start(), pieceEnd).toNanos() - now);
        double needed = Math.max(0, bytes) * 1e9;
        double at = rate > 0 && needed / rate <= untilChange ? now + needed / rate
                : now + untilChange + (needed - rate * untilChange) / maxRate;
        if (at >= Long.MAX_VALUE / 2) {
            return Long.MAX_VALUE;
        }
        long step = ((long) at + Timings.WORKLOAD_STEP - 1) / Timings.WORKLOAD_STEP * Timings.WORKLOAD_STEP - Timings.WORKLOAD_STEP;
        return Math.max(stepAfter(now), step);
    }

    /** Flow fidelity: the VMs whose logs share each volume, and the pending look at each volume. */
    private final Map<Volume, List<ProtectedVm>> vmsByVolume = new IdentityHashMap<>();
    private final Map<Volume, long[]> volumeLooks = new IdentityHashMap<>();

    /**
     * Flow fidelity: looks at {@code vm}'s log volume when it could fill, as the VMs writing to it
     * would find it full at a 10-second step in model fidelity: every VM on it brought up to then.
     */
    void watchVolume(ProtectedVm vm) {
        Volume volume = vm.vm.volume();
        List<ProtectedVm> sharing = vmsByVolume.computeIfAbsent(volume, v -> vms.stream().filter(o -> o.vm.volume() == v).toList());
        // a dynamic disk grows as its blocks are first written: at most as fast as its logs
        long t = !workloadRunning ? Long.MAX_VALUE : reaches(volume.freeBytes(), sharing, 2);
        long[] look = volumeLooks.computeIfAbsent(volume, v -> new long[] {Long.MAX_VALUE, 0}); // time, which look
        if (t == Long.MAX_VALUE || look[0] <= t) {
            return;
        }
        look[0] = t;
        long which = ++look[1];
        atStep(t, ProtectedVm.named("look " + volume.name(), () -> {
            if (which != look[1] || !workloadRunning) {
                return;
            }
            look[0] = Long.MAX_VALUE;
            for (ProtectedVm o : sharing) {
                o.look();
            }
            watchVolume(vm);
        }));
    }

    /**
     * Copies the run's disks out of the emulation, for real tools (docs/architecture.md, Output files):
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
            VmSummary.Rpo rpo = h.getTotalCount() == 0 && vm.health.peakRpo() < 0 ? null : rpo(h, vm.health.peakRpo());
            outcomes.add(new VmOutcome(new VmSummary(vm.host, vm.name(),
                    vm.vm.replicationState().displayName(), vm.vm.replicationHealth().displayName(),
                    reached < 0 ? null : SimTime.toDuration(reached), f.irBytesSent, f.logsShipped,
                    f.logBytesShipped, f.irBytesSent + f.logBytesShipped + f.resyncBytesSent, f.recoveryPointsCreated, f.errors, f.retries,
                    f.resyncs, f.resyncBytesSent, rpo, checks), vm.health.changes(),
                    vm.failovers.done.stream().map(x -> new VmOutcome.Failover(x.kind(), x.dataLoss(), x.verified())).toList(),
                    vm.health.entries(), f.irStartedAt, f.peakPendingLogBytes, h.copy()));
        }
        return outcomes;
    }

    /**
     * The RPO's percentiles from the samples (every 10 s, to the histogram's 3 significant
     * digits, which may round them up: never above the max), the max exact.
     */
    private static VmSummary.Rpo rpo(Histogram samples, long peak) {
        Duration max = peak >= 0 ? SimTime.toDuration(peak) : Duration.ofMillis(samples.getMaxValue());
        return new VmSummary.Rpo(percentile(samples, 50, max), percentile(samples, 95, max), percentile(samples, 99, max), max,
                samples.getTotalCount());
    }

    private static Duration percentile(Histogram samples, double p, Duration max) {
        Duration d = Duration.ofMillis(samples.getValueAtPercentile(p));
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Whether every VM has reached Replicating at least once. */
    public boolean everyVmReachedReplicating() {
        for (ProtectedVm vm : vms) {
            if (!vm.health.firstEntered().containsKey(ReplicationState.REPLICATING)) {
                return false;
            }
        }
        return true;
    }

    public long maxDrain() {
        return Timings.MAX_DRAIN;
    }

    /** After the workload stops, the longest a run drains (the last logs, VMs held for an administrator). */
    public static java.time.Duration longestDrain() {
        return io.replisim.simulator.kernel.SimTime.toDuration(Timings.MAX_DRAIN);
    }

    /** The site's Hyper-V hosts, in the scenario's order. */
    public List<HyperVHost> hosts() {
        return List.copyOf(hosts.values());
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

    /** The agent's upload threads per VM (docs/domain.md, Bandwidth and throttling: 4 by default, at most 32). */
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
