package io.replisim.simulator.replication;

import io.replisim.simulator.trace.TraceEvent;

/**
 * The progress of one disk-sized transfer (initial copy, resync, reprotect, failback): a
 * {@code transfer.progress} each time the bytes that arrived cross another tenth of the whole,
 * so a reader can draw how far it got and how its rate changed.
 */
final class TransferProgress {
    /** Progress is told in this many steps (the last, the whole, is {@code transfer.finished}). */
    static final int STEPS = 10;

    private final ProtectedVm p;
    private final String disk;
    private final String transfer;
    private final String kind;
    private final long bytes;
    private long done;
    private int told;
    private boolean pending;

    TransferProgress(ProtectedVm p, String disk, String transfer, String kind, long bytes) {
        this.p = p;
        this.disk = disk;
        this.transfer = transfer;
        this.kind = kind;
        this.bytes = bytes;
    }

    /**
     * {@code n} more bytes arrived. A crossing is told at the end of the instant, once every piece
     * arriving then has arrived (pieces in flight together arrive together).
     */
    void arrived(long n) {
        done += n;
        if (!pending && done * STEPS / bytes > told) {
            pending = true;
            p.site.kernel().schedule(p.now(), ProtectedVm.named("transfer-progress " + transfer, this::tell));
        }
    }

    private void tell() {
        pending = false;
        int step = (int) (done * STEPS / bytes);
        if (step > told && step < STEPS) { // the whole is transfer.finished
            told = step;
            p.trace(new TraceEvent.TransferProgress(p.host, p.name(), disk, transfer, kind, done, bytes));
        }
    }
}
