package io.replisim.hyperv;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * A log's writes in three primitive arrays (24 bytes a write), growing while the log is active
 * and frozen when it is sealed: logs of big model-fidelity disks hold many writes.
 */
final class WriteList extends AbstractList<LoggedWrite> implements RandomAccess {

    private long[] offsets = new long[16];
    private int[] lengths = new int[16];
    private long[] versions = new long[16];
    private int size;
    private boolean frozen;

    void add(long offset, int length, long version) {
        if (frozen) {
            throw new IllegalStateException("the log is sealed");
        }
        if (size == offsets.length) {
            int capacity = size * 2;
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            versions = Arrays.copyOf(versions, capacity);
        }
        offsets[size] = offset;
        lengths[size] = length;
        versions[size] = version;
        size++;
    }

    /** Drops the last write (its guest write failed). */
    void removeLast() {
        size--;
    }

    /** Trims and freezes: the list becomes an immutable value. */
    WriteList freeze() {
        offsets = Arrays.copyOf(offsets, size);
        lengths = Arrays.copyOf(lengths, size);
        versions = Arrays.copyOf(versions, size);
        frozen = true;
        return this;
    }

    @Override
    public LoggedWrite get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return new LoggedWrite(offsets[index], lengths[index], versions[index]);
    }

    @Override
    public int size() {
        return size;
    }
}
