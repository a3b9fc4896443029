package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

/** The trace's times are read without java.time's parser; they must mean exactly what it reads. */
class TraceLineTimeTest {

    private static long viaJavaTime(String t) {
        Instant at = OffsetDateTime.parse(t).toInstant();
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    @Test
    void agreesWithJavaTimeOnEveryShapeTheTraceWrites() {
        // OffsetDateTime.toString drops zero seconds and writes fractions in groups of three digits
        qt().withFixedSeed(3L).withExamples(3000)
                .forAll(longs().between(0, 4_102_444_800_000_000_000L), integers().between(-18 * 4, 18 * 4),
                        integers().between(0, 3))
                .checkAssert((nanos, quarterHours, precision) -> {
                    long truncated = switch (precision) {
                        case 0 -> nanos - nanos % 60_000_000_000L; // whole minutes: no seconds
                        case 1 -> nanos - nanos % 1_000_000_000L;
                        case 2 -> nanos - nanos % 1_000_000L;
                        default -> nanos;
                    };
                    Instant at = Instant.ofEpochSecond(0, truncated);
                    // round the instant to whole minutes in the offset too, for the no-seconds shape
                    String t = OffsetDateTime.ofInstant(at, ZoneOffset.ofTotalSeconds(quarterHours * 900)).toString();
                    assertEquals(viaJavaTime(t), TraceLine.fastEpochNanos(t), t + " (read directly)");
                });
    }

    @Test
    void readsOtherValidShapesAndRejectsWhatJavaTimeRejects() {
        for (String t : new String[] {"2026-01-05T08:00:30Z", "2026-01-05T08:00:30.5+01:00", "2026-01-05T08:00:30.123456789-05:30",
                "2024-02-29T23:59:59.9999+14:00", "1969-12-31T23:59:59.999999999Z",
                "2026-01-05T08:00:30.+01:00"}) {
            assertEquals(viaJavaTime(t), TraceLine.epochNanos(t), t);
        }
        for (String t : new String[] {"2026-02-30T08:00Z", "2026-01-05T24:00Z", "2026-01-05T08:00",
                "2026-01-05T08:00:30.1234567891+01:00"}) {
            assertThrows(DateTimeParseException.class, () -> TraceLine.epochNanos(t), t);
        }
    }
}
