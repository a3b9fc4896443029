package io.replisim.hyperv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The open {@code .hrl} log of one disk. Every append either completes or is cut back off the
 * file, so the file always ends on a record boundary.
 */
final class ActiveLog {

    private final VirtualDisk disk;
    private final long sequence;
    private final Path path;
    private final FileChannel channel;
    private long size;
    private long records;

    private ActiveLog(VirtualDisk disk, long sequence, Path path, FileChannel channel, long size) {
        this.disk = disk;
        this.sequence = sequence;
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Creates {@code <disk>-<sequence>.hrl} next to the disk and writes its header. */
    static ActiveLog create(VirtualDisk disk, long sequence, long createdEpochNanos) throws IOException {
        Path path = disk.path().resolveSibling(String.format("%s-%06d.hrl", disk.name(), sequence));
        Volume volume = disk.vm().volume();
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

    /** Appends a write record; returns the size before it, to {@link #truncate} back to. */
    long append(long offset, byte[] data, int off, int len) throws IOException {
        long mark = size;
        ByteBuffer head = HrlFormat.writeHead(offset, len);
        ByteBuffer crc = HrlFormat.writeCrc(head, data, off, len);
        try {
            writeFully(channel, head, ByteBuffer.wrap(data, off, len), crc);
        } catch (IOException e) {
            truncate(mark);
            throw disk.vm().volume().translate(e, path);
        }
        size = mark + HrlFormat.WRITE_HEAD_SIZE + len + HrlFormat.CRC_SIZE;
        records++;
        return mark;
    }

    /** Removes the record appended at {@code mark} (the guest write it logged failed). */
    void truncate(long mark) throws IOException {
        if (mark < size) {
            records--;
        }
        channel.truncate(mark);
        channel.position(mark);
        size = mark;
    }

    /** Writes the close marker, flushes and closes the file. On failure the log stays active. */
    SealedLog seal(long sealedEpochNanos) throws IOException {
        long mark = size;
        try {
            writeFully(channel, HrlFormat.close(records, sealedEpochNanos));
            channel.force(true);
        } catch (IOException e) {
            channel.truncate(mark);
            channel.position(mark);
            throw disk.vm().volume().translate(e, path);
        }
        channel.close();
        size = mark + HrlFormat.CLOSE_SIZE;
        return new SealedLog(disk.vm().name(), disk.name(), disk.id(), sequence, path, size, records);
    }

    /** Closes and deletes the file: its writes will never be replicated. */
    void discard() throws IOException {
        channel.close();
        Files.deleteIfExists(path);
    }

    /** Closes the file, leaving it on the volume (host shutdown). */
    void close() throws IOException {
        channel.close();
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
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
