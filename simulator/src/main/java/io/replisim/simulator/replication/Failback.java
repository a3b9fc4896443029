package io.replisim.simulator.replication;

import io.replisim.azure.storage.ReplicaDisk;
import io.replisim.azure.vault.JobType;
import io.replisim.hyperv.ExtentMap;
import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The way back after a planned or unplanned failover: failback (a planned failover from Azure
 * to Hyper-V: the on-premises disks are compared with the failover VM's in blocks and only the
 * differing blocks come back, or all of them) and reprotect (reverse replication: a new
 * relationship, the replica brought up to date by block comparison instead of a full copy).
 */
final class Failback {
    private final ProtectedVm p;

    Failback(ProtectedVm p) {
        this.p = p;
    }

    /**
     * Failback, as a Planned failover job. The Azure VM shuts down, the on-premises disks are
     * compared with its disks in blocks of the resync block size and only the blocks that differ
     * come back ({@code full}: every block), then the on-premises VM starts and its workload
     * writes again. Replication stays off until reprotect.
     */
    void failback(String sync) {
        if (p.refusedWhenDisabled("failback")) {
            return;
        }
        Failovers f = p.failovers;
        Lifecycle.State s = p.lifecycle.underlying();
        String refused = !p.failedOver() || f.failoverVm == null
                ? "there is no failover to fail back from"
                : s == Lifecycle.State.FAILING_BACK ? "a failback is running"
                : s == Lifecycle.State.FAILED_BACK ? "the VM has failed back already: reprotect it"
                : p.vm.replicationState() != ReplicationState.FAILOVER_COMPLETE
                        ? "a failback needs a VM in Failover complete, this one is " + p.vm.replicationState().displayName() : null;
        if (refused != null) {
            p.refuse("failback", refused);
            return;
        }
        p.lifecycle.fire(Lifecycle.Event.FAILBACK);
        String how = sync == null ? "checksum" : sync;
        long startedAt = p.now();
        long[] figures = new long[3]; // blocks compared, blocks sent, bytes sent
        // the job's steps are a failover's; in this direction nothing is created: the on-premises VM exists
        p.jobs.run(JobType.PLANNED_FAILOVER, List.of(
                VaultJobs.NOTHING,
                VaultJobs.NOTHING,                            // Shut down the virtual machine (in Azure)
                done -> synchronizeBack("full".equals(how), figures, done),
                VaultJobs.NOTHING,
                VaultJobs.now(() -> {                         // Start the virtual machine (on-premises)
                    boolean verified = true;
                    for (int i = 0; i < p.disks.size(); i++) {
                        DiskReplication d = p.disks.get(i);
                        ReplicaDisk copy = f.failoverDisk(d);
                        verified &= d.replica.matchesCopy(d.source, copy, f.failoverVersions.get(i), p.site.resyncBlockSize());
                        d.replica.settleAfterFailback();
                    }
                    p.trace(new TraceEvent.FailbackFinished(p.host, p.name(), how, figures[0], figures[1], figures[2],
                            SimTime.toDuration(p.now() - startedAt), verified));
                    p.lifecycle.fire(Lifecycle.Event.FAILBACK_DONE);
                    p.poweredOff = false;
                })),
                () -> {});
    }

    /** Compares and sends back the blocks; a failed transfer retries, on the ladder, what did not arrive. */
    private void synchronizeBack(boolean full, long[] figures, Runnable done) {
        long blockSize = p.site.resyncBlockSize();
        List<TransferBatch.Piece> pieces = new ArrayList<>();
        figures[0] = 0;
        for (int i = 0; i < p.disks.size(); i++) {
            DiskReplication d = p.disks.get(i);
            ReplicaDisk copy = p.failovers.failoverDisk(d);
            figures[0] += (d.source.sizeBytes() + blockSize - 1) / blockSize;
            List<long[]> blocks = new ArrayList<>();
            ExtentMap copyVersions = p.failovers.failoverVersions.get(i);
            if (full) {
                blocks.addAll(Replica.allBlocks(d.source.sizeBytes(), blockSize));
            } else {
                ProtectedVm.io(() -> blocks.addAll(d.replica.blocksDifferingFrom(d.source, copy, copyVersions, blockSize)));
            }
            if (blocks.isEmpty()) {
                continue;
            }
            String transfer = "failback/" + p.name() + "/" + d.name();
            long diskBytes = blocks.stream().mapToLong(b -> b[1]).sum();
            p.trace(new TraceEvent.TransferStarted(p.host, p.name(), d.name(), transfer, "failback", diskBytes));
            long sendingSince = p.now();
            TransferProgress progress = new TransferProgress(p, d.name(), transfer, "failback", diskBytes);
            int[] left = {blocks.size()};
            for (long[] block : blocks) {
                long at = block[0];
                int n = (int) block[1];
                pieces.add(new TransferBatch.Piece(transfer, n, () -> {
                    ProtectedVm.io(() -> d.replica.restoreBlock(d.source, copy, copyVersions, at, n));
                    figures[1]++;
                    figures[2] += n;
                    progress.arrived(n);
                    if (--left[0] == 0) {
                        p.trace(new TraceEvent.TransferFinished(p.host, p.name(), d.name(), transfer, "failback", diskBytes,
                                SimTime.toDuration(p.now() - sendingSince)));
                    }
                }, e -> p.transferFailed(d.name(), transfer, "failback", n, e)));
            }
        }
        p.blocks.fetch(pieces, done);
    }

    /**
     * Reprotect (reverse replication) after a failback: the Hyper-V relationship is made anew
     * (remove, create, start replication: a new checkpoint and logging), the failover VM and the
     * old direction's recovery points go, and the replica, which still holds the failed-over
     * point's data, is brought up to date by block comparison instead of a full initial copy.
     * Then the checkpoint merges and delta cycles resume.
     */
    void reprotect() {
        if (p.refusedWhenDisabled("reprotect")) {
            return;
        }
        Lifecycle.State s = p.lifecycle.underlying();
        if (s != Lifecycle.State.FAILED_BACK) {
            p.refuse("reprotect", s == Lifecycle.State.REPROTECTING
                    ? "a reprotect is running" : "there is no failback to reverse: fail back first");
            return;
        }
        p.lifecycle.fire(Lifecycle.Event.REPROTECT);
        long startedAt = p.now();
        p.jobs.run(JobType.REPROTECT, List.of(
                VaultJobs.NOTHING,
                VaultJobs.now(() -> {                         // Reverse replication direction
                    p.failovers.deleteFailoverVm();
                    p.points.dropAll();
                    p.health.forgetPoints();
                    if (p.vm.replicationState() != ReplicationState.NOT_ENABLED) {
                        p.hyperV().removeReplicationRelationship(p.vm);
                        p.observe();
                    }
                    p.hyperV().createReplicationRelationship(p.vm);
                }),
                VaultJobs.now(() -> {                         // Start replication
                    p.hyperV().startReplication(p.vm);
                    p.trace(new TraceEvent.CheckpointCreated(p.host, p.name(), p.checkpointName()));
                })),
                () -> sync(startedAt));
    }

    private void sync(long startedAt) {
        p.retries.attempt(() -> sync(startedAt), () -> {
            BlockSync.Figures figures = new BlockSync.Figures();
            long[] bytes = {0};
            List<TransferBatch.Piece> pieces = p.blocks.differingBlocks("reprotect", figures, n -> {
                bytes[0] += n;
                p.figures.irBytesSent += n;
            });
            p.blocks.send(pieces, () -> synced(figures, bytes[0], startedAt));
        });
    }

    /** The replica holds the checkpoint: ship what was logged meanwhile, merge, resume cycles. */
    private void synced(BlockSync.Figures figures, long bytes, long startedAt) {
        p.delta.cycleStartsNow();
        p.retries.attempt(() -> synced(figures, bytes, startedAt), () -> {
            p.logs.switchLogs();
            shipLogs(figures, bytes, startedAt);
        });
    }

    private void shipLogs(BlockSync.Figures figures, long bytes, long startedAt) {
        p.logs.shipPending(() -> shipLogs(figures, bytes, startedAt), () -> {
            String checkpoint = p.checkpointName();
            ProtectedVm.io(() -> p.hyperV().completeInitialReplication(p.vm));
            p.trace(new TraceEvent.CheckpointMerged(p.host, p.name(), checkpoint));
            p.observe();
            p.trace(new TraceEvent.ReprotectFinished(p.host, p.name(), figures.compared, figures.differing, bytes,
                    SimTime.toDuration(p.now() - startedAt)));
            p.points.create();
            p.lifecycle.fire(Lifecycle.Event.REPROTECT_DONE);
            p.delta.cycleDone();
        });
    }
}
