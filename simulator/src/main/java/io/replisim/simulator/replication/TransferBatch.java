package io.replisim.simulator.replication;

import io.replisim.simulator.net.Uplink;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Sends a batch of pieces over the uplink with at most {@code threads} in flight, as the agent's
 * upload threads do (4 per VM by default). Each piece's {@code arrived} runs when its last byte
 * arrived and may throw (the storage refused it). After a failure no new piece starts; once the
 * pieces in flight have ended, {@code ended} gets the first error, or null if all arrived. Pieces
 * that did not arrive stay queued, so a retry ({@link #send} again) resumes with them.
 */
final class TransferBatch {
    /** One piece to send; {@code failed} hears of each failed attempt to send it. */
    record Piece(String label, long bytes, Runnable arrived, java.util.function.Consumer<Throwable> failed) {
        Piece(String label, long bytes, Runnable arrived) {
            this(label, bytes, arrived, e -> {});
        }
    }

    private final Uplink uplink;
    private final Uplink.Account account;
    private final int threads;
    private final Deque<Piece> queue;
    private Consumer<Throwable> ended;
    private int inFlight;
    private Throwable firstError;
    private boolean cancelled;
    private final java.util.List<Uplink.Flow> flows = new java.util.ArrayList<>();

    /** {@code account} hears what the pieces carry, as the uplink's fair shares allocate it. */
    TransferBatch(Uplink uplink, Uplink.Account account, int threads, Iterable<Piece> pieces) {
        this.uplink = uplink;
        this.account = account;
        this.threads = threads;
        this.queue = new ArrayDeque<>();
        pieces.forEach(queue::add);
    }

    /** Starts (or, after a failure, resumes) sending; {@code ended} runs once. */
    void send(Consumer<Throwable> whenEnded) {
        this.ended = whenEnded;
        this.firstError = null;
        if (queue.isEmpty()) {
            whenEnded.accept(null);
            return;
        }
        fill();
    }

    private void fill() {
        while (firstError == null && inFlight < threads && !queue.isEmpty()) {
            Piece piece = queue.poll();
            inFlight++;
            Uplink.Flow[] self = new Uplink.Flow[1];
            self[0] = uplink.start(piece.label(), piece.bytes(), 0, account, flow -> {
                flows.remove(self[0]);
                try {
                    piece.arrived().run();
                } catch (RuntimeException e) {
                    ErrorClassifier.classify(e); // a bug, not a fault, propagates
                    fail(piece, e);
                    return;
                }
                done();
            }, reason -> {
                flows.remove(self[0]);
                fail(piece, new NetworkException(reason));
            });
            if (self[0].finishedAt() < 0) {
                flows.add(self[0]);
            }
        }
    }

    /** Abandons the batch: transfers in flight are cut and nothing more is called back. */
    void cancel() {
        cancelled = true;
        for (Uplink.Flow f : List.copyOf(flows)) {
            f.cancel();
        }
        flows.clear();
    }

    private void fail(Piece piece, Throwable error) {
        if (cancelled) {
            return;
        }
        piece.failed().accept(error);
        queue.addFirst(piece); // to be sent again
        if (firstError == null) {
            firstError = error;
        }
        done();
    }

    private void done() {
        if (cancelled) {
            return;
        }
        inFlight--;
        if (firstError == null && !queue.isEmpty()) {
            fill();
        } else if (inFlight == 0) {
            ended.accept(firstError);
        }
    }
}
