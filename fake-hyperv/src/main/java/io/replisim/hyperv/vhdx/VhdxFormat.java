package io.replisim.hyperv.vhdx;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.CRC32C;

/** Constants and little-endian codecs of the on-disk format, per [MS-VHDX]. */
final class VhdxFormat {

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;

    // Header section (first 1 MiB): file type identifier, two headers, two region tables.
    static final long HEADER_SECTION_SIZE = MIB;
    static final long HEADER1_OFFSET = 64 * KIB;
    static final long HEADER2_OFFSET = 128 * KIB;
    static final long REGION_TABLE1_OFFSET = 192 * KIB;
    static final long REGION_TABLE2_OFFSET = 256 * KIB;
    static final int HEADER_SIZE = 4 * 1024;
    static final int REGION_TABLE_SIZE = 64 * 1024;
    static final int CREATOR_SIZE = 512;

    // Our fixed layout after the header section, the same as Hyper-V's and qemu's choice.
    static final long LOG_OFFSET = MIB;
    static final int LOG_LENGTH = (int) MIB;
    static final long METADATA_OFFSET = 2 * MIB;
    static final int METADATA_LENGTH = (int) MIB;
    static final long BAT_OFFSET = 3 * MIB;

    static final int METADATA_TABLE_SIZE = 64 * 1024;
    static final int MAX_REGION_ENTRIES = 2047;
    static final int MAX_METADATA_ENTRIES = 2047;
    static final int SECTOR_BITMAP_BLOCK_SIZE = (int) MIB;

    static final byte[] FILE_SIGNATURE = ascii("vhdxfile");
    static final byte[] HEADER_SIGNATURE = ascii("head");
    static final byte[] REGION_SIGNATURE = ascii("regi");
    static final byte[] METADATA_SIGNATURE = ascii("metadata");
    static final String CREATOR = "replisim";

    static final UUID BAT_REGION = UUID.fromString("2DC27766-F623-4200-9D64-115E9BFD4A08");
    static final UUID METADATA_REGION = UUID.fromString("8B7CA206-4790-4B9A-B8FE-575F050F886E");

    static final UUID FILE_PARAMETERS = UUID.fromString("CAA16737-FA36-4D43-B3B6-33F0AA44E76B");
    static final UUID VIRTUAL_DISK_SIZE = UUID.fromString("2FA54224-CD1B-4876-B211-5DBED83BF4B8");
    static final UUID VIRTUAL_DISK_ID = UUID.fromString("BECA12AB-B2E6-4523-93EF-C309E000C746");
    static final UUID LOGICAL_SECTOR_SIZE = UUID.fromString("8141BF1D-A96F-4709-BA47-F233A8FAAB5F");
    static final UUID PHYSICAL_SECTOR_SIZE = UUID.fromString("CDA348C7-445D-4471-9CC9-E9885251C556");
    static final UUID PARENT_LOCATOR = UUID.fromString("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C");
    static final UUID VHDX_PARENT_LOCATOR_TYPE = UUID.fromString("B04AEFB7-D19E-4A81-B789-25B8E9445913");

    static final UUID ZERO_GUID = new UUID(0, 0);

    // Metadata table entry flags.
    static final int META_IS_USER = 1;
    static final int META_IS_VIRTUAL_DISK = 2;
    static final int META_IS_REQUIRED = 4;

    // File Parameters flags.
    static final int PARAM_LEAVE_BLOCK_ALLOCATED = 1;
    static final int PARAM_HAS_PARENT = 2;

    // BAT entry states (bits 0-2); bits 20-63 hold the file offset in MiB.
    static final int PAYLOAD_BLOCK_NOT_PRESENT = 0;
    static final int PAYLOAD_BLOCK_UNDEFINED = 1;
    static final int PAYLOAD_BLOCK_ZERO = 2;
    static final int PAYLOAD_BLOCK_UNMAPPED = 3;
    static final int PAYLOAD_BLOCK_FULLY_PRESENT = 6;
    static final int PAYLOAD_BLOCK_PARTIALLY_PRESENT = 7;
    static final int SB_BLOCK_NOT_PRESENT = 0;
    static final int SB_BLOCK_PRESENT = 6;
    static final long BAT_STATE_MASK = 0x7L;
    static final long BAT_OFFSET_MASK = ~(MIB - 1);

    static final int LOGICAL_SECTOR = 512;
    static final int PHYSICAL_SECTOR = 4096;
    static final int MIN_BLOCK_SIZE = (int) MIB;
    static final int MAX_BLOCK_SIZE = (int) (256 * MIB);
    static final long MAX_VIRTUAL_SIZE = 64L * 1024 * 1024 * 1024 * 1024; // 64 TiB

    private VhdxFormat() {}

    /** Offset of header copy 0 or 1. */
    static long headerOffset(int slot) {
        return slot == 0 ? HEADER1_OFFSET : HEADER2_OFFSET;
    }

    /** Offset of region table copy 0 or 1. */
    static long regionTableOffset(int copy) {
        return copy == 0 ? REGION_TABLE1_OFFSET : REGION_TABLE2_OFFSET;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static boolean startsWith(byte[] bytes, int at, byte[] signature) {
        for (int i = 0; i < signature.length; i++) {
            if (bytes[at + i] != signature[i]) {
                return false;
            }
        }
        return true;
    }

    /** Writes a GUID in the Windows layout: Data1..Data3 little-endian, Data4 as is. */
    static void putGuid(ByteBuffer b, int at, UUID guid) {
        long msb = guid.getMostSignificantBits();
        long lsb = guid.getLeastSignificantBits();
        b.putInt(at, (int) (msb >>> 32));
        b.putShort(at + 4, (short) (msb >>> 16));
        b.putShort(at + 6, (short) msb);
        for (int i = 0; i < 8; i++) {
            b.put(at + 8 + i, (byte) (lsb >>> (56 - 8 * i)));
        }
    }

    static UUID getGuid(ByteBuffer b, int at) {
        long msb = ((long) b.getInt(at) << 32)
                | ((b.getShort(at + 4) & 0xFFFFL) << 16)
                | (b.getShort(at + 6) & 0xFFFFL);
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            lsb = (lsb << 8) | (b.get(at + 8 + i) & 0xFFL);
        }
        return new UUID(msb, lsb);
    }

    /** The "{XXXXXXXX-...}" form Windows uses for GUIDs in parent locators. */
    static String guidString(UUID guid) {
        return "{" + guid.toString().toUpperCase(Locale.ROOT) + "}";
    }

    static UUID parseGuidString(String s) throws IOException {
        String t = s.trim();
        if (t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1);
        }
        try {
            return UUID.fromString(t);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a GUID: '" + s + "'", e);
        }
    }

    /** CRC-32C of the whole structure, computed with its 4-byte checksum field taken as zero. */
    static int crc32c(byte[] structure, int checksumAt) {
        CRC32C crc = new CRC32C();
        crc.update(structure, 0, checksumAt);
        crc.update(new byte[4]);
        crc.update(structure, checksumAt + 4, structure.length - checksumAt - 4);
        return (int) crc.getValue();
    }

    /**
     * A GUID derived from inputs only (name-based, version 3), so that the same operations on
     * the same disk give byte-identical files; the spec asks for "new" GUIDs, not random ones.
     */
    static UUID derive(UUID diskId, String purpose, UUID previous, long counter) {
        byte[] name = purpose.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + 16 + 8 + name.length);
        b.putLong(diskId.getMostSignificantBits()).putLong(diskId.getLeastSignificantBits());
        b.putLong(previous.getMostSignificantBits()).putLong(previous.getLeastSignificantBits());
        b.putLong(counter).put(name);
        return UUID.nameUUIDFromBytes(b.array());
    }

    static long roundUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    static void readFully(FileChannel ch, ByteBuffer dst, long position, String what)
            throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new EOFException(what + " ends past the end of the file (offset "
                        + pos + "): the file is truncated");
            }
            pos += n;
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
        long pos = position;
        while (src.hasRemaining()) {
            pos += ch.write(src, pos);
        }
    }

    static String sizeText(long bytes) {
        if (bytes % MIB == 0) {
            return (bytes / MIB) + " MiB";
        }
        if (bytes % KIB == 0) {
            return (bytes / KIB) + " KiB";
        }
        return bytes + " bytes";
    }
}
