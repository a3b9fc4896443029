package io.replisim.simulator.hunt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A trace file as a list of {@link TraceLine}s that parses each line when it is asked for,
 * instead of holding them all: a week of hundreds of VMs writes millions of lines, and parsed
 * they would take gigabytes of heap. The file is memory-mapped (outside the heap); the list keeps
 * only where each line starts and a small cache, so the invariants' forward passes with a few
 * lines of look-ahead and look-behind parse each line once per pass. Blank lines are skipped, as
 * {@link TraceLine#parse} does.
 */
final class TraceFile extends AbstractList<TraceLine> implements RandomAccess {

    /** Mapped segments stay well under a MappedByteBuffer's 2 GiB limit. */
    private static final long SEGMENT = 1L << 30;
    private static final int CACHE = 4096;

    private final MappedByteBuffer[] segments;
    private final long[] segmentStarts;
    /** Per non-blank line: its offset in the file and its length, without the newline. */
    private long[] starts = new long[1024];
    private int[] lengths = new int[1024];
    private int size;
    private final TraceLine[] cache = new TraceLine[CACHE];
    private final int[] cached = new int[CACHE];
    private byte[] buffer = new byte[512];

    TraceFile(Path file, long segmentBytes) throws IOException {
        Arrays.fill(cached, -1);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            List<MappedByteBuffer> mapped = new ArrayList<>();
            List<Long> mappedStarts = new ArrayList<>();
            long at = 0;
            while (at < fileSize) {
                MappedByteBuffer segment = channel.map(FileChannel.MapMode.READ_ONLY, at, Math.min(segmentBytes, fileSize - at));
                // a segment ends after its last newline, so no line spans two (the file's last line may lack one)
                int end = segment.limit();
                if (at + end < fileSize) {
                    while (end > 0 && segment.get(end - 1) != '\n') {
                        end--;
                    }
                    if (end == 0) {
                        throw new IOException(file + ": a line longer than " + segmentBytes + " bytes");
                    }
                }
                int segmentIndex = mapped.size();
                mapped.add(segment);
                mappedStarts.add(at);
                index(segment, end, at, segmentIndex);
                at += end;
            }
            this.segments = mapped.toArray(new MappedByteBuffer[0]);
            this.segmentStarts = mappedStarts.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** Opens {@code file} as a list of trace lines. */
    static List<TraceLine> open(Path file) {
        try {
            return new TraceFile(file, SEGMENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void index(MappedByteBuffer segment, int end, long segmentStart, int segmentIndex) {
        int lineStart = 0;
        for (int i = 0; i <= end; i++) {
            if (i == end || segment.get(i) == '\n') {
                if (i == end && i == lineStart) {
                    break;
                }
                if (!blank(segment, lineStart, i)) {
                    add(segmentStart + lineStart, i - lineStart);
                }
                lineStart = i + 1;
            }
        }
    }

    private static boolean blank(MappedByteBuffer segment, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = segment.get(i);
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private void add(long start, int length) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        starts[size] = start;
        lengths[size] = length;
        size++;
    }

    @Override
    public TraceLine get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("line " + index + " of " + size);
        }
        int slot = index & (CACHE - 1);
        if (cached[slot] == index) {
            return cache[slot];
        }
        TraceLine line = TraceLine.parseLine(text(index));
        cache[slot] = line;
        cached[slot] = index;
        return line;
    }

    private String text(int index) {
        long start = starts[index];
        int s = Arrays.binarySearch(segmentStarts, start);
        if (s < 0) {
            s = -s - 2;
        }
        int length = lengths[index];
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        segments[s].get((int) (start - segmentStarts[s]), buffer, 0, length);
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public int size() {
        return size;
    }
}
