package io.replisim.hyperv.vhdx;

import static io.replisim.hyperv.vhdx.VhdxFormat.HEADER_SIGNATURE;
import static io.replisim.hyperv.vhdx.VhdxFormat.HEADER_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.UUID;

/** One of the two 4 KiB headers of the header section ([MS-VHDX] 2.2.2). */
record VhdxHeader(
        long sequenceNumber,
        UUID fileWriteGuid,
        UUID dataWriteGuid,
        UUID logGuid,
        int logVersion,
        int version,
        int logLength,
        long logOffset) {

    static final int CHECKSUM_AT = 4;

    VhdxHeader next(UUID newFileWriteGuid, UUID newDataWriteGuid) {
        return new VhdxHeader(sequenceNumber + 1, newFileWriteGuid, newDataWriteGuid, logGuid,
                logVersion, version, logLength, logOffset);
    }

    byte[] encode() {
        byte[] bytes = new byte[HEADER_SIZE];
        ByteBuffer b = VhdxFormat.le(bytes);
        b.put(0, HEADER_SIGNATURE);
        b.putLong(8, sequenceNumber);
        VhdxFormat.putGuid(b, 16, fileWriteGuid);
        VhdxFormat.putGuid(b, 32, dataWriteGuid);
        VhdxFormat.putGuid(b, 48, logGuid);
        b.putShort(64, (short) logVersion);
        b.putShort(66, (short) version);
        b.putInt(68, logLength);
        b.putLong(72, logOffset);
        b.putInt(CHECKSUM_AT, VhdxFormat.crc32c(bytes, CHECKSUM_AT));
        return bytes;
    }

    /** Decodes a header, or throws with the reason it is not valid (signature, CRC, version). */
    static VhdxHeader decode(byte[] bytes) throws IOException {
        ByteBuffer b = VhdxFormat.le(bytes);
        if (!VhdxFormat.startsWith(bytes, 0, HEADER_SIGNATURE)) {
            throw new IOException("no 'head' signature");
        }
        int stored = b.getInt(CHECKSUM_AT);
        int computed = VhdxFormat.crc32c(bytes, CHECKSUM_AT);
        if (stored != computed) {
            throw new IOException(String.format(
                    "CRC-32C mismatch (stored %08x, computed %08x)", stored, computed));
        }
        VhdxHeader h = new VhdxHeader(
                b.getLong(8),
                VhdxFormat.getGuid(b, 16),
                VhdxFormat.getGuid(b, 32),
                VhdxFormat.getGuid(b, 48),
                b.getShort(64) & 0xFFFF,
                b.getShort(66) & 0xFFFF,
                b.getInt(68),
                b.getLong(72));
        if (h.version != 1) {
            throw new IOException("unsupported header version " + h.version);
        }
        return h;
    }
}
