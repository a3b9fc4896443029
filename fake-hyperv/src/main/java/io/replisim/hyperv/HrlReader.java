package io.replisim.hyperv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A sealed {@code .hrl} log, read and fully verified: magic, version, header CRC, every
 * record's CRC-32C, and the close marker (present, last, with the right record count). Anything
 * else is a {@link CorruptLogException} naming the log and the byte offset of the damage.
 */
public final class HrlReader {

    private final UUID diskId;
    private final long sequence;
    private final long createdEpochNanos;
    private final long sealedEpochNanos;
    private final List<HrlRecord> records;

    private HrlReader(UUID diskId, long sequence, long created, long sealed, List<HrlRecord> records) {
        this.diskId = diskId;
        this.sequence = sequence;
        this.createdEpochNanos = created;
        this.sealedEpochNanos = sealed;
        this.records = records;
    }

    public static HrlReader read(Path log) throws IOException {
        return parse(Files.readAllBytes(log), log.toString());
    }

    public static HrlReader read(byte[] log) throws CorruptLogException {
        return parse(log, "<" + log.length + " bytes>");
    }

    public UUID diskId() {
        return diskId;
    }

    public long sequence() {
        return sequence;
    }

    public Instant created() {
        return HrlFormat.instant(createdEpochNanos);
    }

    public Instant sealed() {
        return HrlFormat.instant(sealedEpochNanos);
    }

    /** The write records, in the order they must be applied. */
    public List<HrlRecord> records() {
        return records;
    }

    private static HrlReader parse(byte[] bytes, String source) throws CorruptLogException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HrlFormat.HEADER_SIZE) {
            throw corrupt(source, 0, "truncated header: " + bytes.length + " of " + HrlFormat.HEADER_SIZE + " bytes");
        }
        if (!Arrays.equals(bytes, 0, HrlFormat.MAGIC.length, HrlFormat.MAGIC, 0, HrlFormat.MAGIC.length)) {
            throw corrupt(source, 0, "bad magic: not an .hrl replication log");
        }
        int version = Short.toUnsignedInt(b.getShort(8));
        int headerSize = Short.toUnsignedInt(b.getShort(10));
        if (version != HrlFormat.VERSION || headerSize != HrlFormat.HEADER_SIZE) {
            throw corrupt(source, 8, "unsupported format version " + version + " (header size " + headerSize
                    + "); this reader knows version " + HrlFormat.VERSION);
        }
        checkCrc(source, bytes, 0, HrlFormat.HEADER_SIZE - HrlFormat.CRC_SIZE, "header");
        UUID diskId = new UUID(b.getLong(12), b.getLong(20));
        long sequence = b.getLong(28);
        long created = b.getLong(36);

        List<HrlRecord> records = new ArrayList<>();
        int pos = HrlFormat.HEADER_SIZE;
        while (true) {
            if (pos == bytes.length) {
                throw corrupt(source, pos, "no close marker after " + records.size()
                        + " records: the log was not sealed cleanly");
            }
            if (bytes.length - pos < 8) {
                throw corrupt(source, pos, "truncated record");
            }
            int type = b.getInt(pos);
            if (type == HrlFormat.TYPE_WRITE) {
                if (bytes.length - pos < HrlFormat.WRITE_HEAD_SIZE + HrlFormat.CRC_SIZE) {
                    throw corrupt(source, pos, "truncated write record " + (records.size() + 1));
                }
                long length = Integer.toUnsignedLong(b.getInt(pos + 4));
                long offset = b.getLong(pos + 8);
                long end = pos + HrlFormat.WRITE_HEAD_SIZE + length + HrlFormat.CRC_SIZE;
                if (end > bytes.length) {
                    throw corrupt(source, pos, "write record " + (records.size() + 1) + " claims " + length
                            + " bytes but the log ends first");
                }
                int payloadAt = pos + HrlFormat.WRITE_HEAD_SIZE;
                checkCrc(source, bytes, pos, HrlFormat.WRITE_HEAD_SIZE + (int) length,
                        "write record " + (records.size() + 1));
                if (length == 0 || length % HrlFormat.SECTOR != 0 || offset < 0 || offset % HrlFormat.SECTOR != 0) {
                    throw corrupt(source, pos, "write record " + (records.size() + 1) + " is not sector-aligned"
                            + " (offset " + offset + ", length " + length + ")");
                }
                records.add(new HrlRecord(offset, Arrays.copyOfRange(bytes, payloadAt, payloadAt + (int) length)));
                pos = (int) end;
            } else if (type == HrlFormat.TYPE_CLOSE) {
                if (bytes.length - pos < HrlFormat.CLOSE_SIZE) {
                    throw corrupt(source, pos, "truncated close marker");
                }
                checkCrc(source, bytes, pos, HrlFormat.CLOSE_SIZE - HrlFormat.CRC_SIZE, "close marker");
                long count = b.getLong(pos + 8);
                long sealed = b.getLong(pos + 16);
                if (count != records.size()) {
                    throw corrupt(source, pos, "close marker counts " + count + " records but the log holds "
                            + records.size());
                }
                if (pos + HrlFormat.CLOSE_SIZE != bytes.length) {
                    throw corrupt(source, pos + HrlFormat.CLOSE_SIZE, (bytes.length - pos - HrlFormat.CLOSE_SIZE)
                            + " bytes after the close marker");
                }
                return new HrlReader(diskId, sequence, created, sealed, List.copyOf(records));
            } else {
                throw corrupt(source, pos, "unknown record type " + type + " after " + records.size() + " records");
            }
        }
    }

    /** The CRC-32C of {@code [from, from + len)} must equal the 4 bytes that follow. */
    private static void checkCrc(String source, byte[] bytes, int from, int len, String what)
            throws CorruptLogException {
        int stored = ByteBuffer.wrap(bytes, from + len, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int computed = HrlFormat.crc(bytes, from, len);
        if (stored != computed) {
            throw corrupt(source, from, what + " fails its CRC-32C check (stored " + hex(stored) + ", computed "
                    + hex(computed) + ")");
        }
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }

    private static CorruptLogException corrupt(String source, long at, String what) {
        return new CorruptLogException("Corrupt replication log " + source + " at byte " + at + ": " + what);
    }
}
