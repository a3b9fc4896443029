package io.replisim.azure.storage;

/**
 * A range of written pages as Get Page Ranges reports it: {@code start} and {@code end} are both
 * inclusive byte offsets, like the REST API's {@code <Start>}/{@code <End>} and the SDK's
 * {@code PageRange}, so a backend can pass them through unchanged.
 */
public record PageRange(long start, long end) {
    public PageRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid page range " + start + "-" + end);
        }
    }

    /** Number of bytes in the range. */
    public long length() {
        return end - start + 1;
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
