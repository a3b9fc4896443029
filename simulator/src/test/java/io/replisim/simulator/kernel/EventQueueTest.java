package io.replisim.simulator.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    @Test
    void itemsAtTheSameTimeComeOutInInsertionOrder() {
        EventQueue<String> q = new EventQueue<>();
        for (String s : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")) {
            q.add(5, s);
        }
        q.add(1, "first");
        StringBuilder out = new StringBuilder();
        while (!q.isEmpty()) {
            out.append(q.poll()).append(' ');
        }
        assertEquals("first a b c d e f g h i ", out.toString());
    }

    @Test
    void pollReturnsItemsInTimeOrderAndRemembersTheirTime() {
        EventQueue<Long> q = new EventQueue<>(1); // forces growth
        long[] times = {50, 10, 40, 30, 20, 10, 0, 60};
        for (long t : times) {
            q.add(t, t);
        }
        List<Long> polled = new ArrayList<>();
        while (!q.isEmpty()) {
            Long item = q.poll();
            assertEquals(item.longValue(), q.lastPolledTime());
            polled.add(item);
        }
        assertEquals(List.of(0L, 10L, 10L, 20L, 30L, 40L, 50L, 60L), polled);
    }

    @Test
    void anEmptyQueueHasNoNextTimeAndCannotBePolled() {
        EventQueue<String> q = new EventQueue<>();
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        assertEquals(Long.MAX_VALUE, q.peekTime());
        assertEquals(Long.MIN_VALUE, q.lastPolledTime());
        assertThrows(NoSuchElementException.class, q::poll);
    }

    @Test
    void cancellingAPendingItemRemovesIt() {
        EventQueue<String> q = new EventQueue<>();
        q.add(1, "a");
        long b = q.add(2, "b");
        q.add(3, "c");
        assertTrue(q.contains(b));
        assertTrue(q.cancel(b));
        assertFalse(q.contains(b));
        assertEquals(2, q.size());
        assertEquals("a", q.poll());
        assertEquals("c", q.poll());
    }

    @Test
    void cancellingTwiceReturnsFalseTheSecondTime() {
        EventQueue<String> q = new EventQueue<>();
        long h = q.add(1, "a");
        assertTrue(q.cancel(h));
        assertFalse(q.cancel(h));
        assertTrue(q.isEmpty());
    }

    @Test
    void cancellingAPolledItemReturnsFalse() {
        EventQueue<String> q = new EventQueue<>();
        long h = q.add(1, "a");
        q.add(2, "b");
        q.poll();
        assertFalse(q.contains(h));
        assertFalse(q.cancel(h));
        assertEquals(1, q.size());
    }

    @Test
    void aStaleHandleDoesNotMatchTheItemThatReusedItsSlot() {
        EventQueue<String> q = new EventQueue<>();
        long old = q.add(1, "old");
        q.poll();
        long reused = q.add(2, "new"); // the freed slot is reused first
        assertNotEquals(old, reused);
        assertEquals((int) old, (int) reused, "same slot, other generation");
        assertFalse(q.contains(old));
        assertFalse(q.cancel(old));
        assertTrue(q.contains(reused));
        assertEquals("new", q.poll());
    }

    @Test
    void handlesAreNeverZeroAndUnknownHandlesAreRejected() {
        EventQueue<String> q = new EventQueue<>();
        for (int i = 0; i < 100; i++) {
            assertNotEquals(0L, q.add(i, "x"));
        }
        for (long bogus : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 101, 1L << 32 | 1}) {
            assertFalse(q.contains(bogus));
            assertFalse(q.cancel(bogus));
        }
        assertEquals(100, q.size());
    }

    @Test
    void cancellingFromTheMiddleKeepsTheRestInOrder() {
        EventQueue<Integer> q = new EventQueue<>();
        long[] handles = new long[1000];
        for (int i = 0; i < 1000; i++) {
            int t = (i * 7919) % 1000; // a permutation of 0..999
            handles[t] = q.add(t, t);
        }
        for (int t = 0; t < 1000; t += 3) {
            assertTrue(q.cancel(handles[t]));
        }
        int previous = -1;
        while (!q.isEmpty()) {
            int t = q.poll();
            assertTrue(t > previous && t % 3 != 0, "got " + t + " after " + previous);
            previous = t;
        }
    }
}
