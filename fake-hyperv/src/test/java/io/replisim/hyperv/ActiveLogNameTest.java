package io.replisim.hyperv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Log file names are built directly, as String.format("%s-%06d.hrl") writes them. */
class ActiveLogNameTest {
    @Test
    void namesAreWhatTheFormatWrites() {
        for (long seq : new long[] {0, 1, 9, 10, 99_999, 999_999, 1_000_000, 123_456_789, Long.MAX_VALUE, -1, -12}) {
            assertEquals(String.format("%s-%06d.hrl", "data", seq), ActiveLog.fileName("data", seq), "sequence " + seq);
        }
    }
}
