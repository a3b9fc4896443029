package io.replisim.azure.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FixedVhdTest {
    private static final UUID ID = UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    private static final Instant CREATED = Instant.parse("2026-01-05T07:00:00.750Z");
    private static final long GIB = 1L << 30;

    @Test
    void aFooterReadsBackAsWritten() {
        FixedVhd footer = FixedVhd.of(10 * GIB, ID, CREATED);
        byte[] bytes = footer.toBytes();
        assertEquals(512, bytes.length);
        FixedVhd parsed = FixedVhd.parse(bytes);
        assertEquals(footer, parsed);
        assertEquals(Instant.parse("2026-01-05T07:00:00Z"), parsed.timestamp());
        assertEquals("win ", parsed.creatorApplication());
        assertEquals("Wi2k", parsed.creatorHostOs());
        assertEquals(10 * GIB, parsed.currentSize());
        assertFalse(parsed.savedState());
    }

    @Test
    void theFooterOfA1GiBDiskMatchesTheSpecificationByteForByte() {
        // cookie, features, version, data offset, timestamp (820911600 s after 2000-01-01), "win ",
        // creator version 10.0, "Wi2k", original and current size, CHS 2080/16/63, type 2, checksum, id, state
        String expected = "636f6e6563746978" + "00000002" + "00010000" + "ffffffffffffffff" + "30ee1df0" + "77696e20"
                + "000a0000" + "5769326b" + "0000000040000000" + "0000000040000000" + "0820" + "10" + "3f" + "00000002"
                + "ffffe6b6" + "0f1e2d3c4b5a69788796a5b4c3d2e1f0" + "00";
        byte[] bytes = FixedVhd.of(GIB, ID, CREATED).toBytes();
        assertEquals(expected, HexFormat.of().formatHex(bytes, 0, 85));
        assertTrue(Arrays.equals(new byte[427], Arrays.copyOfRange(bytes, 85, 512)), "reserved bytes are zero");
    }

    @ParameterizedTest(name = "{0} bytes -> {1}/{2}/{3}")
    @CsvSource({
        // small disks: 17 sectors per track, at least 4 heads
        "10485760, 301, 4, 17",
        // heads overflow 16 at 17 and 31 sectors per track: 63
        "1073741824, 2080, 16, 63",
        // from 65535*16*63 sectors on: 255 sectors per track
        "136365211648, 65278, 16, 255",
        // beyond the largest geometry: capped at 65535/16/255
        "4395899027456, 65535, 16, 255",
        // 31 sectors per track band
        "209715200, 825, 16, 31",
    })
    void geometryFollowsTheSpecificationsAlgorithm(long size, int cylinders, int heads, int sectors) {
        assertEquals(new FixedVhd.Geometry(cylinders, heads, sectors), FixedVhd.Geometry.forSize(size));
    }

    @Test
    void aCorruptedFooterFailsItsChecksum() {
        byte[] bytes = FixedVhd.of(GIB, ID, CREATED).toBytes();
        bytes[45] ^= 1;
        InvalidVhdException e = assertThrows(InvalidVhdException.class, () -> FixedVhd.parse(bytes));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aFooterWithoutTheCookieIsRejected() {
        byte[] bytes = FixedVhd.of(GIB, ID, CREATED).toBytes();
        bytes[0] = 'C';
        InvalidVhdException e = assertThrows(InvalidVhdException.class, () -> FixedVhd.parse(bytes));
        assertTrue(e.getMessage().contains("cookie"), e.getMessage());
        assertThrows(InvalidVhdException.class, () -> FixedVhd.parse(new byte[511]));
    }

    @Test
    void theChecksumIsTheOnesComplementOfTheByteSum() {
        byte[] bytes = FixedVhd.of(GIB, ID, CREATED).toBytes();
        int sum = 0;
        for (byte b : bytes) {
            sum += b & 0xFF;
        }
        int stored = (bytes[64] & 0xFF) << 24 | (bytes[65] & 0xFF) << 16 | (bytes[66] & 0xFF) << 8 | bytes[67] & 0xFF;
        for (int i = 64; i < 68; i++) {
            sum -= bytes[i] & 0xFF;
        }
        assertEquals(~sum, stored);
    }

    @Test
    void timestampsBefore2000AreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FixedVhd.of(GIB, ID, Instant.parse("1999-12-31T23:59:59Z")));
    }
}
