package io.replisim.hyperv;

import java.util.Arrays;

/** One logged write: the bytes written at a byte offset of the virtual disk. */
public final class HrlRecord {

    private final long offset;
    private final byte[] payload;

    HrlRecord(long offset, byte[] payload) {
        this.offset = offset;
        this.payload = payload;
    }

    /** Byte offset on the virtual disk, a multiple of 512. */
    public long offset() {
        return offset;
    }

    /** Length in bytes, a positive multiple of 512. */
    public int length() {
        return payload.length;
    }

    /** A copy of the written bytes. */
    public byte[] payload() {
        return payload.clone();
    }

    /** Copies the written bytes into {@code dst} at {@code dstOffset}, without allocating. */
    public void copyPayload(byte[] dst, int dstOffset) {
        System.arraycopy(payload, 0, dst, dstOffset, payload.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HrlRecord r && offset == r.offset && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(offset) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "HrlRecord{offset=" + offset + ", length=" + payload.length + '}';
    }
}
