package io.replisim.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void durationsReadTheShortUnitsAndIso() {
        assertEquals(Duration.ofSeconds(30), Units.duration("30s"));
        assertEquals(Duration.ofMinutes(5), Units.duration("5m"));
        assertEquals(Duration.ofHours(2), Units.duration("2h"));
        assertEquals(Duration.ofDays(2), Units.duration("2d"));
        assertEquals(Duration.ofMillis(1500), Units.duration("1.5s"));
        assertEquals(Duration.ofMinutes(90), Units.duration("PT1H30M"));
        assertEquals(5_000_000_000L, Units.durationNanos("5s"));
        assertEquals(Duration.ofMinutes(90), Units.duration("1h30m"));
        assertEquals(Duration.ofSeconds(330), Units.duration("5m30s"));
        assertEquals(Duration.ofHours(60), Units.duration("2d12h"));
    }

    @Test
    void sizesAreBinaryWithIecNamesAndDecimalWithSiNames() {
        assertEquals(64L << 20, Units.sizeBytes("64MiB"));
        assertEquals(8L << 30, Units.sizeBytes("8GiB"));
        assertEquals(2L << 40, Units.sizeBytes("2TiB"));
        assertEquals(500_000_000L, Units.sizeBytes("500MB"));
        assertEquals(4096L, Units.sizeBytes("4096"));
    }

    @Test
    void bandwidthsAreBitsPerSecond() {
        assertEquals(50_000_000L, Units.bandwidthBitsPerSecond("50Mbps"));
        assertEquals(512_000L, Units.bandwidthBitsPerSecond("512Kbps"));
        assertEquals(1_000_000_000L, Units.bandwidthBitsPerSecond("1Gbps"));
    }

    @Test
    void ratesAreBytesPerSecond() {
        assertEquals(2L * (1 << 20) / 60, Units.rateBytesPerSecond("2MiB/min"));
        assertEquals(1_000_000L, Units.rateBytesPerSecond("1MB/s"));
        assertEquals((20L << 30) / 3600, Units.rateBytesPerSecond("20GiB/h"));
    }

    @Test
    void badUnitsSayWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.sizeBytes("12 parsecs"));
        assertTrue(e.getMessage().contains("is not a size such as"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Units.duration("-5m"));
        assertThrows(IllegalArgumentException.class, () -> Units.duration("5m 30"));
        assertThrows(IllegalArgumentException.class, () -> Units.duration("h"));
        assertThrows(IllegalArgumentException.class, () -> Units.bandwidthBitsPerSecond("50MB/s"));
        assertThrows(IllegalArgumentException.class, () -> Units.sizeBytes("99999999PiB"));
    }

    @Test
    void formattingRoundTripsWholeUnits() {
        assertEquals("64MiB", Units.formatSize(64L << 20));
        assertEquals("163.5MiB", Units.formatSize(171_478_324L));
        assertEquals("1000B", Units.formatSize(1000));
        assertEquals("15m", Units.formatDuration(Duration.ofMinutes(15)));
        assertEquals("1d", Units.formatDuration(Duration.ofDays(1)));
        assertEquals("1h30m", Units.formatDuration(Duration.ofMinutes(90)));
        assertEquals("0s", Units.formatDuration(Duration.ZERO));
    }
}
