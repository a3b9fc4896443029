package io.replisim.simulator.replication;

import io.replisim.azure.vault.ProtectedItem;
import io.replisim.hyperv.HostFaultKind;
import io.replisim.hyperv.ReplicationHealth;
import io.replisim.hyperv.ReplicationService;
import io.replisim.hyperv.ReplicationState;
import io.replisim.hyperv.VirtualMachine;
import io.replisim.simulator.kernel.Action;
import io.replisim.simulator.net.Uplink;
import io.replisim.simulator.trace.TraceEvent;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One protected VM, as the Provider, the agent and the vault drive it: its {@link Lifecycle}
 * and the phases that do the work, each in its own class ({@link Protection},
 * {@link InitialReplication}, {@link DeltaReplication}, {@link Resynchronization},
 * {@link Failovers}, {@link Failback}), on shared parts: vault jobs, {@link Retries} of failed
 * operations, log shipping, recovery points, health and RPO. Holds per-VM state only.
 */
final class ProtectedVm implements Lifecycle.Facts {
    static final String REPLICA_CONTAINER = "asr-replicas";

    final ReplicationSite site;
    final VirtualMachine vm;
    final List<DiskReplication> disks;
    final String host;
    final Lifecycle lifecycle;
    final VmFigures figures = new VmFigures();

    final Retries retries = new Retries(this);
    final VaultJobs jobs = new VaultJobs(this);
    final LogShipping logs = new LogShipping(this);
    final RecoveryPoints points = new RecoveryPoints(this);
    final BlockSync blocks = new BlockSync(this);
    final Health health;
    final Protection protection = new Protection(this);
    final InitialReplication initial = new InitialReplication(this);
    final DeltaReplication delta = new DeltaReplication(this);
    final Resynchronization resync = new Resynchronization(this);
    final Failovers failovers = new Failovers(this);
    final Failback failback = new Failback(this);

    /** Flow fidelity: when the pending look at this VM comes (see {@link #lookAt}), and which one it is. */
    private long lookTime = Long.MAX_VALUE;
    private int looks;

    /**
     * Flow fidelity, where no workload step looks at every VM every 10 seconds: looks at the VM at
     * the 10-second step {@code t}, as that step would, when something could change then: its log
     * threshold reached, a time-based health rule, a fault or a change of state. Nothing if a look
     * comes sooner or {@code t} is {@code Long.MAX_VALUE}; a look superseded by a sooner one does
     * nothing when its time comes.
     */
    void lookAt(long t) {
        if (t == Long.MAX_VALUE || !site.flow() || lookTime <= t) {
            return;
        }
        lookTime = t;
        int look = ++looks;
        site.atStep(t, named("look " + name(), () -> {
            if (look == looks) {
                lookTime = Long.MAX_VALUE;
                look();
            }
        }));
    }

    /** Flow fidelity: what model fidelity's workload step does for this VM: its writes brought up to now, its threshold checked, its RPO sampled, its health re-evaluated. */
    void look() {
        site.writeUntil(this, now());
        checkLogThreshold();
        sample();
        lookAt(site.crossingStep(this));
        site.watchVolume(this);
    }

    /** Flow fidelity: the VM's writes up to the last 10-second step, as model fidelity has them when something happens to it. */
    void catchUp() {
        if (site.flow()) {
            site.writeUntil(this, ReplicationSite.lastStepBefore(now()));
        }
    }

    /** Bumped when replication stops: job steps scheduled before see it and end. */
    int epoch;
    /** The transfers in flight (initial copy, logs, blocks): cut when replication stops. */
    private TransferBatch activeBatch;
    /** Whether the source VM is shut down (its workload writes nothing). */
    boolean poweredOff;
    private ProtectedItem item;

    /** When this VM's initial replication starts: the policy's, or the VM's own. */
    final ReplicationConfig.StartAt initialReplicationStart;

    ProtectedVm(ReplicationSite site, int index, VirtualMachine vm, List<DiskReplication> disks,
                ReplicationConfig.StartAt initialReplicationStart) {
        this.initialReplicationStart = initialReplicationStart;
        this.site = site;
        this.index = index;
        this.vm = vm;
        this.disks = List.copyOf(disks);
        this.host = vm.host().name();
        this.lifecycle = new Lifecycle(vm.name(), this);
        this.health = new Health(this);
    }

    String name() {
        return vm.name();
    }

    /** The VM's place in its site (the order of the scenario). */
    final int index;

    /** What this VM sends to Azure, and what a failback brings back from it, into the site's figures over time. */
    final Uplink.Account uploads = (from, to, bits) -> carried(false, from, to, bits);
    final Uplink.Account failbacks = (from, to, bits) -> carried(true, from, to, bits);

    private void carried(boolean failback, long from, long to, long bits) {
        SiteSeries series = site.seriesOrNull();
        if (series != null) {
            series.carried(index, failback, from, to, bits);
        }
    }

    /** {@code pieces} over the site's uplink on the agent's upload threads, what they carry told to {@code account}. */
    TransferBatch batch(List<TransferBatch.Piece> pieces, Uplink.Account account) {
        return new TransferBatch(site.uplink(), account, site.uploadThreads(), pieces);
    }

    // ---- what the site asks of the VM -------------------------------------------------------

    void enableProtection() {
        protection.enable();
    }

    /** The workload stopped: ship the last log as soon as nothing else is in flight. */
    void drain() {
        delta.drain();
    }

    /** Every workload step: the log threshold, an RPO sample, health. */
    void checkLogThreshold() {
        notePending();
        resync.checkLogThreshold();
    }

    /** Keeps the most log bytes pending at once, for a planner's free space on the volume. */
    void notePending() {
        figures.peakPendingLogBytes = Math.max(figures.peakPendingLogBytes, vm.replicationTracker().pendingLogBytes());
    }

    void sample() {
        health.sample();
    }

    /** A guest write failed: a full volume is the VM's business, anything else a bug in the emulation. */
    void guestWriteFailed(IOException e) {
        Optional<HostFaultKind> kind = HostFaultKind.causeOf(e);
        if (kind.isEmpty() || kind.get() != HostFaultKind.LOW_DISK_SPACE) {
            if (kind.isPresent() && kind.get() == HostFaultKind.VM_NOT_FOUND) {
                return; // a VM that is gone writes nothing
            }
            throw new HostIoException(e);
        }
        resync.volumeFull(e);
    }

    /** An administrator's action (scenarios/README.md lists them). */
    void act(String action, String recoveryPoint, String sync) {
        catchUp();
        switch (action) {
            case "resume" -> retries.resume();
            case "resync" -> resync.startNow();
            case "test-failover" -> failovers.testFailover(recoveryPoint);
            case "test-failover-cleanup" -> failovers.testFailoverCleanup();
            case "planned-failover" -> failovers.planned();
            case "unplanned-failover" -> failovers.unplanned(recoveryPoint);
            case "commit" -> failovers.commit();
            case "failback" -> failback.failback(sync);
            case "reprotect" -> failback.reprotect();
            case "disable-replication" -> protection.disable();
            default -> throw new IllegalStateException("unknown action " + action);
        }
    }

    /**
     * Whether the VM still has replication work after the workload stopped: it is busy until its
     * last log (written before the stop) is applied, unless it waits for an administrator.
     */
    boolean busy() {
        if (lifecycle.is(Lifecycle.State.FAILING_BACK)) {
            return true; // its job ends by itself (a failed-back VM not reprotected is not busy)
        }
        if (lifecycle.is(Lifecycle.State.ERROR) || failedOver() || disablingOrDisabled()) {
            return false;
        }
        if (vm.replicationState() == ReplicationState.RESYNCHRONIZATION_REQUIRED && !resync.scheduled()) {
            return false; // waits for an administrator's resync
        }
        return delta.busyAfterStop() || retries.retryDue() || resync.scheduled()
                || vm.replicationState() == ReplicationState.RESYNCHRONIZING;
    }

    boolean poweredOff() {
        return poweredOff;
    }


    // ---- shared by the phases ---------------------------------------------------------------

    /** Whether the VM failed over (and has not been reprotected since). */
    boolean failedOver() {
        Lifecycle.State s = lifecycle.underlying();
        return s == Lifecycle.State.FAILOVER_COMPLETE || s == Lifecycle.State.FAILING_BACK || s == Lifecycle.State.FAILED_BACK;
    }

    @Override
    public boolean initialReplicationStartsNow() {
        return vm.replicationState() == ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION;
    }

    /** Cancels cycles, retries and transfers: nothing more is sent from this VM. */
    void stopReplicating() {
        epoch++;
        delta.stop();
        retries.cancel();
        retries.resetAttempts(); // nothing is retried any more: the ladder's Warning or Critical ends with it
        resync.cancelScheduled();
        if (activeBatch != null) {
            activeBatch.cancel();
            activeBatch = null;
        }
        delta.forgetInFlight();
        // nothing waits for an administrator any more: replication stopped
        retries.dropAwaitingAdmin();
        // a resync in progress ends with it (an unplanned failover or disabling replication mid-resync)
        resync.closeJob("Interrupted: replication stopped");
        // and so do jobs whose step waited on work just dropped (a failback waiting for an administrator)
        jobs.interruptJobsInStep();
    }

    /** Sends {@code batch} as the VM's transfers in flight. */
    void send(TransferBatch batch, Consumer<Throwable> ended) {
        activeBatch = batch;
        batch.send(ended);
    }

    /** Refuses {@code action} once replication is disabled, or being disabled; returns whether it did. */
    boolean refusedWhenDisabled(String action) {
        if (!disablingOrDisabled()) {
            return false;
        }
        refuse(action, "replication is disabled");
        return true;
    }

    /** Whether replication is being disabled (an error may interrupt that job) or is disabled. */
    boolean disablingOrDisabled() {
        Lifecycle.State s = lifecycle.underlying();
        return s == Lifecycle.State.DISABLING || s == Lifecycle.State.DISABLED;
    }

    void refuse(String action, String reason) {
        trace(new TraceEvent.ActionRefused(name(), action, reason));
    }

    void transferFailed(String disk, String transfer, String kind, long bytes, Throwable e) {
        String reason = e instanceof NetworkException ? "NetworkError"
                : e instanceof io.replisim.azure.AzureException a ? a.errorCode() : e.getClass().getSimpleName();
        trace(new TraceEvent.TransferFailed(host, name(), disk, transfer, kind, bytes, reason));
    }

    void observe() {
        health.observe();
    }

    void trace(TraceEvent event) {
        site.trace().emit(event);
    }

    /** Whether the per-cycle events are kept: at fleet size they are not even made. */
    boolean tracesCycles() {
        return site.trace().keepsPerCycle();
    }

    long now() {
        return site.kernel().now();
    }

    /** Hyper-V on the VM's host; in flow fidelity the VM's writes are brought up to date first, as what it is asked may depend on them. */
    ReplicationService hyperV() {
        catchUp();
        return site.hyperV(host);
    }

    void enableItem() {
        item = site.vault().enableProtection(site.container(), vm.name(),
                disks.stream().map(d -> d.vaultId).toList());
    }

    ProtectedItem item() {
        return item;
    }

    String checkpointName() {
        return vm.checkpointId().map(Object::toString).orElse("");
    }

    int diskIndex(String name) {
        for (int i = 0; i < disks.size(); i++) {
            if (disks.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no disk " + name + " on " + vm.name());
    }

    DiskReplication disk(String name) {
        return disks.get(diskIndex(name));
    }

    Replica newReplica(DiskReplication d) {
        return Replica.create(site.storage(), REPLICA_CONTAINER, host + "/" + vm.name() + "/" + d.name() + ".vhd", d,
                site.kernel().clock().instant(), site.fidelity());
    }

    /** A step that touches the host's files. */
    @FunctionalInterface
    interface IoStep {
        void run() throws IOException;
    }

    /** Runs host I/O; a failure travels as {@link HostIoException} to the classifier. */
    static void io(IoStep step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new HostIoException(e);
        }
    }

    static Action named(String name, Runnable body) {
        return new Action() {
            @Override
            public void run() {
                body.run();
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
