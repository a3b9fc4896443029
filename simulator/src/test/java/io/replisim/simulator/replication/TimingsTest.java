package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Initial replication's piece size: 4 MiB up to 1 GiB (256 pieces), then the next multiple of 4 MiB that keeps 256 pieces at most. */
class TimingsTest {
    private static final long MIB = 1 << 20;

    @Test
    void aDiskUpToAGibibyteGoesInFourMebibytePieces() {
        assertEquals(4 * MIB, Timings.irChunkBytes(16 * MIB));
        assertEquals(4 * MIB, Timings.irChunkBytes(1020 * MIB), "255 pieces");
        assertEquals(4 * MIB, Timings.irChunkBytes(1024 * MIB), "256 pieces");
    }

    @Test
    void aLargerDiskGoesInAtMostTwoHundredFiftySixPiecesOfAMultipleOfFourMebibytes() {
        assertEquals(8 * MIB, Timings.irChunkBytes(1024 * MIB + 1), "257 pieces of 4 MiB would be one too many");
        assertEquals(8 * MIB, Timings.irChunkBytes(2048 * MIB));
        assertEquals(12 * MIB, Timings.irChunkBytes(2048 * MIB + 1));
        assertEquals(4096 * MIB, Timings.irChunkBytes(1024L * 1024 * MIB), "1 TiB: 256 pieces of 4 GiB");
    }
}
