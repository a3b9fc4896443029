package io.replisim.simulator.replication;

import io.replisim.azure.vault.JobType;
import io.replisim.hyperv.DiskView;
import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Initial replication (docs/domain.md, Initial replication): the disks are copied from the replication
 * checkpoint one after another, in pieces over the agent's upload threads; the logs written meanwhile are
 * shipped and applied, the checkpoint is merged, and the first recovery point makes the VM Replicating
 * while the vault's Finalize protection job runs.
 */
final class InitialReplication {
    private final ProtectedVm p;

    InitialReplication(ProtectedVm p) {
        this.p = p;
    }

    void start() {
        p.figures.irStartedAt = p.now();
        long total = p.disks.stream().mapToLong(d -> d.usedBytes).sum();
        p.trace(new TraceEvent.InitialReplicationStarted(p.host, p.name(), total));
        copyDisk(0);
    }

    /** Disks are copied one after another, as Site Recovery does. */
    private void copyDisk(int index) {
        if (index == p.disks.size()) {
            copied();
            return;
        }
        DiskReplication d = p.disks.get(index);
        if (d.replica == null) {
            try {
                d.replica = p.newReplica(d);
            } catch (RuntimeException e) {
                p.retries.failed(e, d.name(), () -> copyDisk(index));
                return;
            }
        }
        String transfer = "ir/" + p.name() + "/" + d.name();
        long size = d.source.sizeBytes();
        long used = d.usedBytes; // what goes on the wire: the unallocated rest is known to be zeros
        p.trace(new TraceEvent.TransferStarted(p.host, p.name(), d.name(), transfer, "initial", used));
        DiskView frozen = d.source.checkpointView()
                .orElseThrow(() -> new IllegalStateException("initial replication of " + p.name() + " needs its checkpoint"));
        List<TransferBatch.Piece> chunks = new ArrayList<>();
        TransferProgress progress = new TransferProgress(p, d.name(), transfer, "initial", used);
        long chunk = Timings.irChunkBytes(size);
        for (long offset = 0; offset < size; offset += chunk) {
            long at = offset;
            long n = Math.min(chunk, size - offset);
            long wire = onWire(at + n, size, used) - onWire(at, size, used);
            chunks.add(new TransferBatch.Piece(transfer, wire, () -> {
                ProtectedVm.io(() -> d.replica.copy(frozen, at, n));
                p.figures.irBytesSent += wire;
                progress.arrived(wire);
            }, e -> p.transferFailed(d.name(), transfer, "initial", wire, e)));
        }
        long startedAt = p.now();
        copyChunks(p.batch(chunks, p.uploads), () -> {
            p.trace(new TraceEvent.TransferFinished(p.host, p.name(), d.name(), transfer, "initial", used,
                    SimTime.toDuration(p.now() - startedAt)));
            copyDisk(index + 1);
        }, d.name());
    }

    /** The bytes sent for the disk's first {@code offset} bytes: the used share of them, the whole disk's adding to {@code used}. */
    private static long onWire(long offset, long size, long used) {
        if (used == size) {
            return offset;
        }
        return offset == size ? used : (long) ((double) offset / size * used);
    }

    /** Sends a disk's chunks; a failure retries, on the ladder, the chunks that did not arrive. */
    private void copyChunks(TransferBatch batch, Runnable then, String disk) {
        p.send(batch, error -> {
            if (error == null) {
                p.retries.succeeded();
                then.run();
            } else {
                p.retries.failed(error, disk, () -> copyChunks(batch, then, disk));
            }
        });
    }

    /** The disks are in Azure: ship what was logged meanwhile, merge the checkpoint, finalize. */
    private void copied() {
        p.delta.cycleStartsNow();
        p.retries.attempt(this::copied, () -> {
            p.logs.switchLogs();
            shipLogs();
        });
    }

    private void shipLogs() {
        if (p.vm.replicationState() != ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION) {
            return; // superseded (a resync took over) or done already by another continuation
        }
        p.logs.shipPending(this::shipLogs, () -> {
            String checkpoint = p.checkpointName();
            ProtectedVm.io(() -> p.hyperV().completeInitialReplication(p.vm));
            p.trace(new TraceEvent.CheckpointMerged(p.host, p.name(), checkpoint));
            p.observe();
            p.retries.succeeded(); // the retry ladder restarts after a success, even one that shipped no bytes
            // the VM replicates now: if the first point fails (the storage busy), it is retried alone
            p.retries.guarded(this::finish).run();
        });
    }

    private void finish() {
        p.points.create();
        p.lifecycle.fire(Lifecycle.Event.INITIAL_REPLICATION_DONE);
        p.trace(new TraceEvent.InitialReplicationFinished(p.host, p.name(), p.figures.irBytesSent,
                SimTime.toDuration(p.now() - p.figures.irStartedAt)));
        // delta replication starts at once; the vault finalizes protection meanwhile
        p.jobs.run(JobType.FINALIZE_PROTECTION, List.of(), () -> {});
        p.delta.cycleDone();
    }
}
