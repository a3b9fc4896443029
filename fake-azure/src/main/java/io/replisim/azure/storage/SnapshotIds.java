package io.replisim.azure.storage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Snapshot ids as the Blob service makes them: the snapshot's time as a DateTime with seven
 * fractional digits ({@code 2026-01-05T08:00:00.0000000Z}), so ids sort chronologically.
 */
public final class SnapshotIds {

    /** Snapshot times have 100 ns resolution (.NET ticks). */
    public static final long TICK_NANOS = 100;

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private SnapshotIds() {
    }

    /** The id for a snapshot taken at {@code time} (truncated to 100 ns). */
    public static String format(Instant time) {
        return FORMAT.format(truncate(time));
    }

    /** The time a snapshot id names; {@code InvalidQueryParameterValue} if it is not a DateTime. */
    public static Instant parse(String snapshot) {
        try {
            return Instant.parse(snapshot);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new BlobStorageException(BlobErrorCode.INVALID_QUERY_PARAMETER_VALUE,
                    "Value for one of the query parameters specified in the request URI is invalid: snapshot="
                            + snapshot);
        }
    }

    static Instant truncate(Instant time) {
        return time.minusNanos(time.getNano() % TICK_NANOS);
    }
}
