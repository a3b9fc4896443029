package io.replisim.hyperv.vhdx;

import static io.replisim.hyperv.vhdx.VhdxFormat.REGION_SIGNATURE;
import static io.replisim.hyperv.vhdx.VhdxFormat.REGION_TABLE_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A region table entry ([MS-VHDX] 2.2.3.2); lengths are uint32 on disk. */
record VhdxRegion(UUID guid, long fileOffset, long length, boolean required) {

    static final int CHECKSUM_AT = 4;
    private static final int ENTRIES_AT = 16;
    private static final int ENTRY_SIZE = 32;

    static byte[] encodeTable(List<VhdxRegion> regions) {
        byte[] bytes = new byte[REGION_TABLE_SIZE];
        ByteBuffer b = VhdxFormat.le(bytes);
        b.put(0, REGION_SIGNATURE);
        b.putInt(8, regions.size());
        int at = ENTRIES_AT;
        for (VhdxRegion r : regions) {
            VhdxFormat.putGuid(b, at, r.guid);
            b.putLong(at + 16, r.fileOffset);
            b.putInt(at + 24, (int) r.length);
            b.putInt(at + 28, r.required ? 1 : 0);
            at += ENTRY_SIZE;
        }
        b.putInt(CHECKSUM_AT, VhdxFormat.crc32c(bytes, CHECKSUM_AT));
        return bytes;
    }

    /** Decodes a region table, or throws with the reason it is not valid. */
    static List<VhdxRegion> decodeTable(byte[] bytes) throws IOException {
        ByteBuffer b = VhdxFormat.le(bytes);
        if (!VhdxFormat.startsWith(bytes, 0, REGION_SIGNATURE)) {
            throw new IOException("no 'regi' signature");
        }
        int stored = b.getInt(CHECKSUM_AT);
        int computed = VhdxFormat.crc32c(bytes, CHECKSUM_AT);
        if (stored != computed) {
            throw new IOException(String.format(
                    "CRC-32C mismatch (stored %08x, computed %08x)", stored, computed));
        }
        long count = b.getInt(8) & 0xFFFFFFFFL;
        if (count > VhdxFormat.MAX_REGION_ENTRIES) {
            throw new IOException("entry count " + count + " exceeds 2047");
        }
        List<VhdxRegion> regions = new ArrayList<>();
        int at = ENTRIES_AT;
        for (int i = 0; i < count; i++) {
            regions.add(new VhdxRegion(
                    VhdxFormat.getGuid(b, at),
                    b.getLong(at + 16),
                    b.getInt(at + 24) & 0xFFFFFFFFL,
                    (b.getInt(at + 28) & 1) != 0));
            at += ENTRY_SIZE;
        }
        return regions;
    }
}
