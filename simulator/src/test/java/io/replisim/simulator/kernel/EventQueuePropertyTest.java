package io.replisim.simulator.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Checks EventQueue against a plain list ordered by (time, insertion sequence). */
class EventQueuePropertyTest {

    /** kind 0-4 adds, 5 cancels, 6 reschedules, 7-9 polls; a narrow time range makes ties common. */
    record Op(int kind, long time, int pick) {
    }

    record Entry(long time, long seq, int id, long handle) {
    }

    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::time).thenComparingLong(Entry::seq);

    private static final Gen<Op> OPS =
            integers().between(0, 9).zip(longs().between(0, 20), integers().between(0, 1000), Op::new);

    @Test
    void theQueueBehavesLikeASortedListUnderAnySequenceOfAddCancelRescheduleAndPoll() {
        qt().withExamples(500)
                .forAll(lists().of(OPS).ofSizeBetween(0, 200))
                .checkAssert(EventQueuePropertyTest::replay);
    }

    private static void replay(List<Op> ops) {
        EventQueue<Integer> queue = new EventQueue<>(2); // small, so growth is exercised too
        List<Entry> model = new ArrayList<>();
        List<Long> issued = new ArrayList<>();
        long seq = 0;
        for (int step = 0; step < ops.size(); step++) {
            Op op = ops.get(step);
            String where = "step " + step + " " + op;
            if (op.kind() < 5) {
                int id = (int) seq;
                long handle = queue.add(op.time(), id);
                assertFalse(issued.contains(handle), where + ": a handle is never issued twice");
                model.add(new Entry(op.time(), seq++, id, handle));
                issued.add(handle);
            } else if (op.kind() < 7) {
                long handle = issued.isEmpty() ? 0 : issued.get(op.pick() % issued.size());
                Entry pending = model.stream().filter(e -> e.handle() == handle).findFirst().orElse(null);
                assertEquals(pending != null, queue.contains(handle), where);
                if (op.kind() == 5) {
                    assertEquals(pending != null, queue.cancel(handle), where);
                    model.remove(pending);
                } else {
                    // as if cancelled and added again: a new time and the next sequence, the same item and handle
                    assertEquals(pending != null, queue.reschedule(handle, op.time()), where);
                    if (pending != null) {
                        model.remove(pending);
                        model.add(new Entry(op.time(), seq++, pending.id(), handle));
                    }
                }
            } else if (model.isEmpty()) {
                assertThrows(NoSuchElementException.class, queue::poll, where);
            } else {
                Entry first = model.stream().min(ORDER).orElseThrow();
                model.remove(first);
                assertEquals(first.id(), queue.poll(), where);
                assertEquals(first.time(), queue.lastPolledTime(), where);
            }
            assertEquals(model.size(), queue.size(), where);
            assertEquals(model.isEmpty(), queue.isEmpty(), where);
            assertEquals(model.stream().min(ORDER).map(Entry::time).orElse(Long.MAX_VALUE), queue.peekTime(), where);
        }
        model.sort(ORDER);
        for (Entry e : model) {
            assertEquals(e.id(), queue.poll(), "draining");
        }
    }
}
