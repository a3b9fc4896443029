package io.replisim.simulator.replication;

import io.replisim.hyperv.DiskView;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Brings replicas in step by block comparison, as resynchronization and reprotect do: checksums
 * of fixed-size blocks of the checkpoint and the replica are compared, and only the blocks that
 * differ are sent, over the agent's upload threads.
 */
final class BlockSync {
    private final ProtectedVm p;

    BlockSync(ProtectedVm p) {
        this.p = p;
    }

    /** Figures of one comparison: blocks compared, blocks that differed. */
    static final class Figures {
        long compared;
        long differing;
    }

    /**
     * Compares every disk's checkpoint with its replica in blocks of the resync block size: the
     * differing blocks, as pieces that copy them into the replica when they arrive. {@code sent}
     * hears of every block's bytes.
     */
    List<TransferBatch.Piece> differingBlocks(String kind, Figures figures, LongConsumer sent) {
        long blockSize = p.site.resyncBlockSize();
        List<TransferBatch.Piece> pieces = new ArrayList<>();
        for (DiskReplication d : p.disks) {
            if (d.replica == null) {
                d.replica = p.newReplica(d);
            }
            DiskView frozen = d.source.checkpointView().orElseThrow();
            figures.compared += (d.source.sizeBytes() + blockSize - 1) / blockSize;
            List<long[]> blocks = new ArrayList<>();
            ProtectedVm.io(() -> blocks.addAll(d.replica.differingBlocks(frozen, blockSize)));
            if (blocks.isEmpty()) {
                continue;
            }
            String transfer = kind + "/" + p.name() + "/" + d.name();
            long diskBytes = blocks.stream().mapToLong(b -> b[1]).sum();
            p.trace(new TraceEvent.TransferStarted(p.host, p.name(), d.name(), transfer, kind, diskBytes));
            long sendingSince = p.now();
            TransferProgress progress = new TransferProgress(p, d.name(), transfer, kind, diskBytes);
            int[] left = {blocks.size()};
            for (long[] block : blocks) {
                figures.differing++;
                long at = block[0];
                int n = (int) block[1];
                pieces.add(new TransferBatch.Piece(transfer, n, () -> {
                    if (d.replica instanceof Replica.Model model) {
                        model.copyBlock(at, n);
                    } else if (d.replica instanceof Replica.Flow flow) {
                        flow.copyBlock(at, n);
                    } else {
                        ProtectedVm.io(() -> d.replica.copy(frozen, at, n));
                    }
                    sent.accept(n);
                    progress.arrived(n);
                    if (--left[0] == 0) {
                        p.trace(new TraceEvent.TransferFinished(p.host, p.name(), d.name(), transfer, kind, diskBytes,
                                SimTime.toDuration(p.now() - sendingSince)));
                    }
                }, e -> p.transferFailed(d.name(), transfer, kind, n, e)));
            }
        }
        return pieces;
    }

    /** Sends {@code pieces}; a failure retries, on the ladder, the pieces that did not arrive. */
    void send(List<TransferBatch.Piece> pieces, Runnable then) {
        send(p.batch(pieces, p.uploads), then);
    }

    /** Brings {@code pieces} back from Azure (a failback) as {@link #send} sends: the same link, counted apart from what is sent. */
    void fetch(List<TransferBatch.Piece> pieces, Runnable then) {
        send(p.batch(pieces, p.failbacks), then);
    }

    private void send(TransferBatch batch, Runnable then) {
        p.send(batch, error -> {
            if (error == null) {
                p.retries.succeeded();
                then.run();
            } else {
                p.retries.failed(error, null, () -> send(batch, then));
            }
        });
    }
}
