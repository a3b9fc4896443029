package io.replisim.hyperv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.UUID;
import java.util.zip.CRC32C;

/** Layout of the {@code .hrl} log format; {@code docs/hrl-format.md} is its specification. */
final class HrlFormat {

    static final byte[] MAGIC = {'H', 'R', 'L', '1', 'L', 'O', 'G', 0};
    static final int VERSION = 1;
    static final int HEADER_SIZE = 48;
    static final int TYPE_WRITE = 1;
    static final int TYPE_CLOSE = 2;
    /** type, length, offset: then the payload and its CRC. */
    static final int WRITE_HEAD_SIZE = 16;
    static final int CRC_SIZE = 4;
    static final int CLOSE_SIZE = 28;
    static final int SECTOR = 512;

    private HrlFormat() {}

    static ByteBuffer header(UUID diskId, long sequence, long createdEpochNanos) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) VERSION).putShort((short) HEADER_SIZE)
                .putLong(diskId.getMostSignificantBits()).putLong(diskId.getLeastSignificantBits())
                .putLong(sequence).putLong(createdEpochNanos);
        b.putInt(crc(b.array(), 0, HEADER_SIZE - CRC_SIZE));
        return b.flip();
    }

    /** The record's head; its CRC is {@link #writeCrc} over the head and the payload. */
    static ByteBuffer writeHead(long offset, int length) {
        ByteBuffer b = ByteBuffer.allocate(WRITE_HEAD_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(TYPE_WRITE).putInt(length).putLong(offset);
        return b.flip();
    }

    /** Fills {@code head} (16 bytes, little-endian) with a record's head and flips it for writing. */
    static ByteBuffer writeHead(ByteBuffer head, long offset, int length) {
        head.clear();
        head.putInt(TYPE_WRITE).putInt(length).putLong(offset);
        return head.flip();
    }

    /** Fills {@code out} (4 bytes, little-endian) with the CRC of {@code head} and the payload, reusing {@code crc}. */
    static ByteBuffer writeCrc(CRC32C crc, ByteBuffer head, byte[] data, int off, int len, ByteBuffer out) {
        crc.reset();
        crc.update(head.array(), 0, WRITE_HEAD_SIZE);
        crc.update(data, off, len);
        out.clear();
        out.putInt((int) crc.getValue());
        return out.flip();
    }

    static ByteBuffer close(long recordCount, long sealedEpochNanos) {
        ByteBuffer b = ByteBuffer.allocate(CLOSE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(TYPE_CLOSE).putInt(0).putLong(recordCount).putLong(sealedEpochNanos);
        b.putInt(crc(b.array(), 0, CLOSE_SIZE - CRC_SIZE));
        return b.flip();
    }

    static int crc(byte[] bytes, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, off, len);
        return (int) crc.getValue();
    }

    static long epochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }
}
