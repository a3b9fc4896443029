package io.replisim.hyperv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The open {@code .hrl} log of one disk. Every append either completes or is cut back off, so
 * the log always ends on a record boundary. In bytes fidelity it writes the file; in model
 * fidelity it keeps only the size the file would have, booked on the volume, and in both the
 * writes' (offset, length, version) list.
 */
final class ActiveLog {

    private final VirtualDisk disk;
    private final long sequence;
    private final Path path;
    private final Volume volume;
    /** Null in model fidelity. */
    private final FileChannel channel;
    private final WriteList writes = new WriteList();
    /** Reused by every append: a log appends on every guest write. */
    private final ByteBuffer head = ByteBuffer.allocate(HrlFormat.WRITE_HEAD_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer crcBytes = ByteBuffer.allocate(HrlFormat.CRC_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer[] record = new ByteBuffer[3];
    private long size;
    private long records;
    /** The version the last record gave the disk. */
    private long lastVersion;

    private ActiveLog(VirtualDisk disk, long sequence, Path path, FileChannel channel, long size) {
        this.disk = disk;
        this.sequence = sequence;
        this.path = path;
        this.volume = disk.vm().volume();
        this.channel = channel;
        this.size = size;
    }

    /** {@code <disk>-<sequence, six digits at least>.hrl}, as {@code String.format("%s-%06d.hrl")} would write it. */
    static String fileName(String disk, long sequence) {
        if (sequence < 0) {
            return String.format("%s-%06d.hrl", disk, sequence);
        }
        String digits = Long.toString(sequence);
        return new StringBuilder(disk.length() + 12).append(disk).append('-')
                .append("000000", 0, Math.max(0, 6 - digits.length())).append(digits).append(".hrl").toString();
    }

    /** Creates {@code <disk>-<sequence>.hrl} next to the disk and writes its header. */
    static ActiveLog create(VirtualDisk disk, long sequence, long createdEpochNanos) throws IOException {
        Path path = disk.sibling(fileName(disk.name(), sequence));
        Volume volume = disk.vm().volume();
        volume.grow(path, 0, HrlFormat.HEADER_SIZE);
        if (disk.fidelity() != Fidelity.BYTES) {
            return new ActiveLog(disk, sequence, path, null, HrlFormat.HEADER_SIZE);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw volume.translate(e, path);
        }
        try {
            writeFully(channel, HrlFormat.header(disk.id(), sequence, createdEpochNanos));
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw volume.translate(e, path);
        }
        return new ActiveLog(disk, sequence, path, channel, HrlFormat.HEADER_SIZE);
    }

    /**
     * Appends a write record; returns the size before it, to {@link #truncate} back to. In
     * model fidelity {@code data} is not read (and may be null).
     */
    long append(long offset, byte[] data, int off, int len, long version) throws IOException {
        long mark = size;
        long end = mark + HrlFormat.WRITE_HEAD_SIZE + len + HrlFormat.CRC_SIZE;
        volume.grow(path, mark, end);
        if (channel != null) {
            record[0] = HrlFormat.writeHead(head, offset, len);
            record[1] = ByteBuffer.wrap(data, off, len);
            record[2] = HrlFormat.writeCrc(crc, head, data, off, len, crcBytes);
            try {
                writeFully(channel, record);
            } catch (IOException e) {
                channel.truncate(mark);
                channel.position(mark);
                throw volume.translate(e, path);
            }
        }
        size = end;
        records++;
        writes.add(offset, len, version);
        lastVersion = version;
        return mark;
    }

    /**
     * Flow fidelity: appends {@code count} records of {@code payload} bytes in all at once, the
     * last of which gives the disk {@code lastVersion}; booked on the volume as their records would be.
     */
    void appendBatch(long count, long payload, long lastVersion) throws IOException {
        long end = size + count * (HrlFormat.WRITE_HEAD_SIZE + HrlFormat.CRC_SIZE) + payload;
        volume.grow(path, size, end);
        size = end;
        records += count;
        this.lastVersion = lastVersion;
    }

    /** Removes the record appended at {@code mark} (the guest write it logged failed). */
    void truncate(long mark) throws IOException {
        if (mark < size) {
            records--;
            writes.removeLast();
        }
        if (channel != null) {
            channel.truncate(mark);
            channel.position(mark);
        }
        volume.shrink(size, mark);
        size = mark;
    }

    /** Writes the close marker, flushes and closes the file. On failure the log stays active. */
    SealedLog seal(long sealedEpochNanos) throws IOException {
        long mark = size;
        volume.grow(path, mark, mark + HrlFormat.CLOSE_SIZE);
        if (channel != null) {
            try {
                writeFully(channel, HrlFormat.close(records, sealedEpochNanos));
                channel.force(true);
            } catch (IOException e) {
                channel.truncate(mark);
                channel.position(mark);
                volume.shrink(mark + HrlFormat.CLOSE_SIZE, mark);
                throw volume.translate(e, path);
            }
            channel.close();
        }
        size = mark + HrlFormat.CLOSE_SIZE;
        return sealed(true);
    }

    /**
     * Closes the log without a close marker, as a crash leaves it; with {@code tornOffset} not
     * negative, after the head of a record whose payload never made it (a failed log write),
     * if that head still fits on the volume.
     */
    SealedLog abandon(long tornOffset, int tornLength) throws IOException {
        if (tornOffset >= 0) {
            long end = size + HrlFormat.WRITE_HEAD_SIZE;
            try {
                volume.grow(path, size, end);
                if (channel != null) {
                    writeFully(channel, HrlFormat.writeHead(tornOffset, tornLength));
                }
                size = end;
            } catch (VolumeFullException noRoomForTheHead) {
                // The log just ends after its last whole record: as corrupt, one head shorter.
            }
        }
        if (channel != null) {
            channel.close();
        }
        return sealed(false);
    }

    /** Closes and deletes the file: its writes will never be replicated. */
    void discard() throws IOException {
        if (channel != null) {
            channel.close();
            Files.deleteIfExists(path);
        }
        volume.shrink(size, 0);
    }

    /** Closes the file, leaving it on the volume (host shutdown). */
    void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    private SealedLog sealed(boolean cleanly) {
        return new SealedLog(disk.vm().name(), disk.name(), disk.id(), sequence, path, size, records,
                disk.fidelity(), cleanly, writes.freeze(), lastVersion);
    }

    private static void writeFully(FileChannel channel, ByteBuffer... buffers) throws IOException {
        long remaining = 0;
        for (ByteBuffer b : buffers) {
            remaining += b.remaining();
        }
        while (remaining > 0) {
            remaining -= channel.write(buffers);
        }
    }
}
