package io.replisim.simulator.kernel;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * Priority queue of items ordered by (time, insertion sequence), with O(log n) cancellation
 * through handles.
 *
 * <p>Built for speed: a 4-ary heap (half the depth of a binary one; a node's four children's
 * times are 32 contiguous bytes) over parallel primitive arrays. The heap-ordered arrays hold
 * each entry's time and slot, so comparisons read one array; the sequence (read only to break
 * ties), the item and the entry's heap position live in per-slot arrays that never move.
 * Adding, polling and cancelling allocate nothing once the arrays have grown.
 *
 * <p>A handle packs {@code generation << 32 | (slot + 1)}, hence is never 0. A slot is reused
 * once its entry fired or was cancelled, and its generation changes, so an old handle no longer
 * matches (a generation wraps after 2^32 reuses of one slot).
 *
 * <p>Not thread-safe: the simulation runs on one thread.
 */
public final class EventQueue<T> {

    // Heap order, index 0 the earliest; the children of i are 4i+1 .. 4i+4.
    private long[] times;
    private int[] slots;

    // Per slot.
    private long[] seqs;
    private int[] positions;   // index in the heap, -1 when the slot is free
    private int[] generations;
    private Object[] items;

    private int[] freeSlots;   // released slots, reused first so memory stays warm
    private int freeCount;
    private int slotCount;     // slots ever handed out
    private int size;
    private long nextSeq;
    private long lastPolledTime = Long.MIN_VALUE;

    public EventQueue() {
        this(64);
    }

    public EventQueue(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("negative initialCapacity: " + initialCapacity);
        }
        int c = Math.max(initialCapacity, 4);
        times = new long[c];
        slots = new int[c];
        seqs = new long[c];
        positions = new int[c];
        generations = new int[c];
        items = new Object[c];
        freeSlots = new int[c];
    }

    /** Adds {@code item} at {@code time}; returns its handle, never 0. */
    public long add(long time, T item) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (slotCount == positions.length) {
                grow();
            }
            slot = slotCount++;
        }
        items[slot] = item;
        seqs[slot] = nextSeq++;
        siftUp(size++, time, slot);
        return (long) generations[slot] << 32 | (slot + 1);
    }

    /** Removes the entry of {@code handle}; true iff it was pending (false for stale handles). */
    public boolean cancel(long handle) {
        int slot = slotOf(handle);
        if (slot < 0) {
            return false;
        }
        int i = positions[slot];
        release(slot);
        int last = --size;
        if (i != last) { // refill the hole with the last entry, which may belong above or below
            resift(i, times[last], slots[last]);
        }
        return true;
    }

    /**
     * Moves the entry of {@code handle} to {@code time} exactly as if it were cancelled and added
     * again (it takes a new place among equal times, after every entry added before), in one sift
     * instead of two; the handle stays valid. False for a stale handle.
     */
    public boolean reschedule(long handle, long time) {
        int slot = slotOf(handle);
        if (slot < 0) {
            return false;
        }
        seqs[slot] = nextSeq++;
        resift(positions[slot], time, slot);
        return true;
    }

    public boolean contains(long handle) {
        return slotOf(handle) >= 0;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** The earliest time, or {@link Long#MAX_VALUE} when empty. */
    public long peekTime() {
        return size == 0 ? Long.MAX_VALUE : times[0];
    }

    /**
     * Removes and returns the earliest item (ties in insertion order); its time is then
     * {@link #lastPolledTime()}.
     *
     * @throws NoSuchElementException when empty
     */
    @SuppressWarnings("unchecked")
    public T poll() {
        if (size == 0) {
            throw new NoSuchElementException("event queue is empty");
        }
        lastPolledTime = times[0];
        int slot = slots[0];
        T item = (T) items[slot];
        release(slot);
        int last = --size;
        if (last > 0) {
            siftDown(0, times[last], slots[last]);
        }
        return item;
    }

    /** Time of the item returned by the last {@link #poll()}; {@link Long#MIN_VALUE} before any. */
    public long lastPolledTime() {
        return lastPolledTime;
    }

    /** The pending slot of {@code handle}, or -1 if the handle is stale or was never issued. */
    private int slotOf(long handle) {
        int slot = (int) handle - 1;
        if (slot < 0 || slot >= slotCount || generations[slot] != (int) (handle >>> 32)) {
            return -1;
        }
        return positions[slot] >= 0 ? slot : -1;
    }

    private void release(int slot) {
        items[slot] = null; // let the item be collected
        positions[slot] = -1;
        generations[slot]++;
        freeSlots[freeCount++] = slot;
    }

    /** Whether entry (t, slot s) orders before heap entry i. */
    private boolean before(long t, int s, int i) {
        long ti = times[i];
        return t < ti || (t == ti && seqs[s] < seqs[slots[i]]);
    }

    /** Places entry (t, s) at hole i, above it or below it: wherever its key belongs. */
    private void resift(int i, long t, int s) {
        if (i > 0 && before(t, s, (i - 1) >>> 2)) {
            siftUp(i, t, s);
        } else {
            siftDown(i, t, s);
        }
    }

    /** Places entry (t, s) at hole i or above it. */
    private void siftUp(int i, long t, int s) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (!before(t, s, parent)) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        put(i, t, s);
    }

    /** Places entry (t, s) at hole i or below it. */
    private void siftDown(int i, long t, int s) {
        long[] ts = times;
        int n = size;
        int c;
        while ((c = 4 * i + 1) < n) {
            long ct = ts[c]; // find the earliest child
            for (int j = c + 1, end = Math.min(c + 4, n); j < end; j++) {
                long jt = ts[j];
                if (jt < ct || (jt == ct && seqs[slots[j]] < seqs[slots[c]])) {
                    c = j;
                    ct = jt;
                }
            }
            if (t < ct || (t == ct && seqs[s] < seqs[slots[c]])) {
                break;
            }
            move(c, i);
            i = c;
        }
        put(i, t, s);
    }

    private void move(int from, int to) {
        put(to, times[from], slots[from]);
    }

    private void put(int i, long t, int s) {
        times[i] = t;
        slots[i] = s;
        positions[s] = i;
    }

    private void grow() {
        int c = positions.length;
        if (c == Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("event queue is full");
        }
        // slot + 1 must stay a positive int for handles
        int n = (int) Math.min((long) c + (c >> 1), Integer.MAX_VALUE - 8);
        times = Arrays.copyOf(times, n);
        slots = Arrays.copyOf(slots, n);
        seqs = Arrays.copyOf(seqs, n);
        positions = Arrays.copyOf(positions, n);
        generations = Arrays.copyOf(generations, n);
        items = Arrays.copyOf(items, n);
        freeSlots = Arrays.copyOf(freeSlots, n);
    }
}
