package io.replisim.azure.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A recovery point of one replica disk: a snapshot of its page blob.
 *
 * @param snapshot       the blob snapshot id
 * @param time           when the point was taken (the snapshot's time)
 * @param lastAppliedLog sequence of the newest replication log the point contains, if any
 * @param appConsistent  whether the point was taken from an app-consistent (VSS) source snapshot
 */
public record DiskRecoveryPoint(String snapshot, Instant time, OptionalLong lastAppliedLog, boolean appConsistent) {
    public DiskRecoveryPoint {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(lastAppliedLog, "lastAppliedLog");
    }
}
