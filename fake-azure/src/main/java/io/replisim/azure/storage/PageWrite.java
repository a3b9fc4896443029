package io.replisim.azure.storage;

import java.util.Objects;

/** One write of a replication log: {@code data} goes to byte {@code offset} of the disk. */
public record PageWrite(long offset, byte[] data) {
    public PageWrite {
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset + " is negative");
        }
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return "PageWrite[offset=" + offset + ", length=" + data.length + "]";
    }
}
