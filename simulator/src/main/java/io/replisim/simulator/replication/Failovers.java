package io.replisim.simulator.replication;

import io.replisim.azure.storage.ReplicaDisk;
import io.replisim.azure.vault.AzureVm;
import io.replisim.azure.vault.Job;
import io.replisim.azure.vault.JobType;
import io.replisim.hyperv.BlockContent;
import io.replisim.hyperv.ExtentMap;
import io.replisim.hyperv.HostFaultKind;
import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.trace.TraceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The failover family (docs/domain.md, Failover and failback): a test failover (an Azure VM from a
 * recovery point, no impact on replication) and its cleanup; a planned failover (the source shuts down, a
 * final cycle ships everything: nothing is lost); an unplanned failover to a recovery point as it stands
 * (the data lost is the RPO); commit. Every failover VM is verified against the source as it was at its
 * point.
 */
final class Failovers {
    /** A failover's outcome, for expectations and the summary. */
    record Failover(String kind, String recoveryPoint, Duration dataLoss, long blocksLost, boolean verified) {}

    private final ProtectedVm p;
    final List<Failover> done = new ArrayList<>();
    /** The newest test failover or cleanup job: one runs at a time. */
    private Job testJob;
    /** The Azure VM of a test failover, until its cleanup. */
    private AzureVm testVm;
    /** The Azure VM of the planned or unplanned failover, until reprotect deletes it. */
    AzureVm failoverVm;
    /** Per disk, the content of the failover VM's disk (no workload runs in Azure: it stays the point's). */
    List<ExtentMap> failoverVersions;

    Failovers(ProtectedVm p) {
        this.p = p;
    }

    private boolean testJobRunning() {
        return testJob != null && !testJob.status().isFinal();
    }

    /** A test failover: an Azure VM from a recovery point, verified; replication is not affected. */
    void testFailover(String choice) {
        if (p.jobs.refusedDuringExclusiveJob("test-failover") || p.refusedWhenDisabled("test-failover")) {
            return;
        }
        if (testJobRunning() || testVm != null || p.failedOver()) {
            p.refuse("test-failover", testJobRunning() ? "a " + testJob.name() + " job is running"
                    : testVm != null ? "a test failover exists: clean it up first" : "the VM has failed over");
            return;
        }
        if (p.points.choose(choice, "test-failover") == null) {
            return;
        }
        // the point is chosen when the VM is created: the one chosen now may be pruned meanwhile
        testJob = p.jobs.run(JobType.TEST_FAILOVER, List.of(VaultJobs.NOTHING, VaultJobs.now(() -> {
            RecoveryPoints.VmRecoveryPoint rp = p.points.choose(choice, "test-failover");
            if (rp != null) {
                testVm = failOverTo(rp, "test", true, p.now());
            }
        })), () -> {});
    }

    void testFailoverCleanup() {
        if (p.jobs.refusedDuringExclusiveJob("test-failover-cleanup")) {
            return;
        }
        if (testJobRunning() || testVm == null) {
            p.refuse("test-failover-cleanup", testJobRunning() ? "a " + testJob.name() + " job is running"
                    : "there is no test failover");
            return;
        }
        testJob = p.jobs.run(JobType.TEST_FAILOVER_CLEANUP, List.of(VaultJobs.NOTHING, VaultJobs.now(() -> {
            p.site.vault().deleteFailoverVm(testVm, p.site.storage());
            testVm = null;
        })), () -> {});
    }

    /**
     * A planned failover: the source VM shuts down, a last cycle ships everything it wrote, and
     * the Azure VM starts from that point: nothing is lost.
     */
    void planned() {
        if (p.jobs.refusedDuringExclusiveJob("planned-failover") || p.refusedWhenDisabled("planned-failover")
                || refusedWhileFailoverVmExists("planned-failover")) {
            return;
        }
        if (p.failedOver() || p.vm.replicationState() != ReplicationState.REPLICATING || !p.lifecycle.is(Lifecycle.State.REPLICATING)) {
            // Hyper-V may still say Replicating while the stack waits for an administrator (it could not show the error)
            p.refuse("planned-failover", "a planned failover needs a replicating VM, this one is "
                    + (p.vm.replicationState() != ReplicationState.REPLICATING ? p.vm.replicationState().displayName()
                            : p.lifecycle.state().label()));
            return;
        }
        p.jobs.run(JobType.PLANNED_FAILOVER, List.of(
                VaultJobs.NOTHING,
                VaultJobs.now(() -> {                         // Shut down the virtual machine
                    p.poweredOff = true;
                    p.hyperV().requestReplicationStateChange(p.vm, ReplicationState.PREPARED_FOR_PLANNED_FAILOVER);
                    p.lifecycle.fire(Lifecycle.Event.SOURCE_SHUT_DOWN);
                }),
                p.delta::finalSync,                           // Synchronize data
                VaultJobs.now(() -> failedOverTo(p.points.newest(), "planned", p.now())),
                VaultJobs.NOTHING),
                this::complete);
    }

    /** An unplanned failover to the latest (or latest app-consistent) recovery point, as it stands. */
    void unplanned(String choice) {
        if (p.jobs.refusedDuringExclusiveJob("unplanned-failover") || p.refusedWhenDisabled("unplanned-failover")
                || refusedWhileFailoverVmExists("unplanned-failover")) {
            return;
        }
        if (p.failedOver()) {
            p.refuse("unplanned-failover", "the VM has failed over already");
            return;
        }
        RecoveryPoints.VmRecoveryPoint rp = p.points.choose(choice, "unplanned-failover");
        if (rp == null) {
            return;
        }
        p.lifecycle.fire(Lifecycle.Event.UNPLANNED_FAILOVER);
        p.stopReplicating();
        p.poweredOff = true; // the source is lost, or shut down: it writes no more
        long lostAt = p.now(); // what the source wrote after the point is lost now, not when the Azure VM is made
        p.jobs.run(JobType.UNPLANNED_FAILOVER, List.of(VaultJobs.NOTHING, VaultJobs.now(() -> failedOverTo(rp, "unplanned", lostAt))),
                this::complete);
    }

    /** Refuses a failover while the last one's Azure VM exists (failed back, not yet reprotected); returns whether it did. */
    private boolean refusedWhileFailoverVmExists(String action) {
        if (failoverVm == null || p.failedOver()) {
            return false; // failed over still: the action's own check says so
        }
        p.refuse(action, "the last failover's Azure VM still exists: reprotect the VM first");
        return true;
    }

    /** A planned or unplanned failover's VM, kept with what its disks hold for a failback. */
    private void failedOverTo(RecoveryPoints.VmRecoveryPoint rp, String kind, long sourceStoppedAt) {
        failoverVm = failOverTo(rp, kind, false, sourceStoppedAt);
        failoverVersions = new ArrayList<>();
        for (int i = 0; i < p.disks.size(); i++) {
            // model points hold the replica's versions; bytes points none, and the verified cut is the same content
            ExtentMap versions = rp.disks().get(i).versions();
            failoverVersions.add(versions != null ? versions : rp.sourceVersions().get(i));
        }
    }

    private void complete() {
        p.stopReplicating();
        if (!p.lifecycle.is(Lifecycle.State.FAILOVER_COMPLETE)) { // a retry after Hyper-V refused the change is failed over already
            p.lifecycle.fire(Lifecycle.Event.FAILOVER_DONE);
        }
        ProtectedVm.io(() -> p.hyperV().requestReplicationStateChange(p.vm, ReplicationState.FAILOVER_COMPLETE));
        p.observe();
    }

    /** Commits a failover: the Azure VM is the production VM now. */
    void commit() {
        if (p.jobs.refusedDuringExclusiveJob("commit") || p.refusedWhenDisabled("commit")) {
            return;
        }
        if (!p.failedOver() || p.lifecycle.underlying() != Lifecycle.State.FAILOVER_COMPLETE) {
            p.refuse("commit", !p.failedOver() ? "there is no failover to commit"
                    : "the VM is failing back, or has failed back: there is no failover to commit");
            return;
        }
        // the recovery points go in the job's own step: if the storage refuses, the job fails (nothing retries it)
        p.jobs.run(JobType.COMMIT, List.of(VaultJobs.NOTHING, VaultJobs.now(() -> p.points.dropAll())), () -> {});
    }

    /**
     * Creates the Azure VM from {@code rp} and verifies its disks against the source as it was
     * at the point's moment, block by block; the data lost is the time between the point and
     * {@code sourceStoppedAt} (when the source stopped writing, or, for a test failover that
     * leaves it running, now) when the source holds writes the point lacks.
     */
    private AzureVm failOverTo(RecoveryPoints.VmRecoveryPoint rp, String kind, boolean test, long sourceStoppedAt) {
        Optional<HostFaultKind> untrusted = p.vm.replicationTracker().resynchronizationRequired();
        if (kind.equals("planned") && untrusted.isPresent()) {
            // the last synchronization cannot be trusted (the disk changed behind the tracker): no planned failover
            throw new ResyncTrigger(untrusted.get().scenarioName(), "the planned failover's final synchronization is incomplete: "
                    + untrusted.get().scenarioName());
        }
        Map<String, ReplicaDisk> replicas = new TreeMap<>();
        for (DiskReplication d : p.disks) {
            replicas.put(d.vaultId, d.replica.disk);
        }
        AzureVm azureVm = p.site.vault().createFailoverVm(p.item(), rp.vaultPoint(), replicas, ReplicationSite.VM_NETWORK, test);
        boolean verified = true;
        long blocksLost = 0;
        for (int i = 0; i < p.disks.size(); i++) {
            DiskReplication d = p.disks.get(i);
            ExtentMap cut = rp.sourceVersions().get(i);
            AzureVm.Disk disk = azureVm.disks().get(d.vaultId);
            ReplicaDisk failedOverDisk = ReplicaDisk.open(p.site.storage(), disk.container(), disk.blob());
            verified &= d.replica.verify(rp.disks().get(i), failedOverDisk, cut, p.site.kernel().seed());
            blocksLost += d.replica.blocksChangedSince(d.source, cut);
        }
        Duration dataLoss = blocksLost == 0 ? Duration.ZERO : SimTime.toDuration(sourceStoppedAt - rp.time());
        done.add(new Failover(kind, rp.id(), dataLoss, blocksLost, verified));
        p.trace(new TraceEvent.FailoverFinished(p.host, p.name(), kind, rp.id(), p.site.iso(rp.time()),
                azureVm.name(), azureVm.virtualNetwork(), dataLoss, blocksLost, verified));
        return azureVm;
    }

    /** The failover VM's copy of disk {@code d}. */
    ReplicaDisk failoverDisk(DiskReplication d) {
        AzureVm.Disk disk = failoverVm.disks().get(d.vaultId);
        return ReplicaDisk.open(p.site.storage(), disk.container(), disk.blob());
    }

    /** Reprotect: the failover VM goes. */
    void deleteFailoverVm() {
        if (failoverVm != null) {
            p.site.vault().deleteFailoverVm(failoverVm, p.site.storage());
            failoverVm = null;
        }
    }
}
