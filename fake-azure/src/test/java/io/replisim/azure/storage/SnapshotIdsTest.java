package io.replisim.azure.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** Snapshot ids are written and read directly (a fleet makes millions): exactly as the DateTime formatter and Instant.parse would. */
class SnapshotIdsTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void idsAreWhatTheFormatterWritesAndReadBackAsInstantParseReadsThem() {
        qt().withExamples(20_000)
                .forAll(longs().between(0, 253402300799L), longs().between(0, 999_999_999))
                .checkAssert((second, nano) -> {
                    Instant t = Instant.ofEpochSecond(second, nano);
                    String id = SnapshotIds.format(t);
                    assertEquals(REFERENCE.format(SnapshotIds.truncate(t)), id);
                    assertEquals(Instant.parse(id), SnapshotIds.parse(id));
                    assertEquals(SnapshotIds.truncate(t), SnapshotIds.parse(id));
                });
    }

    @Test
    void otherDateTimesAreStillReadAndNonsenseIsRefused() {
        assertEquals(Instant.parse("2026-01-05T08:00:00Z"), SnapshotIds.parse("2026-01-05T08:00:00Z"));
        assertEquals(Instant.parse("2026-12-31T23:59:60.0000000Z"), SnapshotIds.parse("2026-12-31T23:59:60.0000000Z"));
        assertThrows(BlobStorageException.class, () -> SnapshotIds.parse("2026-02-30T08:00:00.0000000Z"));
        assertThrows(BlobStorageException.class, () -> SnapshotIds.parse("2026-01-05T08:00:00.00000x0Z"));
        assertThrows(BlobStorageException.class, () -> SnapshotIds.parse(null));
    }
}
