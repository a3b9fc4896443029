package io.replisim.azure.vault;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A VM's recovery point: one snapshot per replicated disk, all taken for the same cycle.
 *
 * @param time          when the point was taken
 * @param appConsistent whether it is app-consistent (VSS) rather than crash-consistent
 * @param diskSnapshots disk id -> blob snapshot id
 */
public record RecoveryPoint(Instant time, boolean appConsistent, SortedMap<String, String> diskSnapshots) {
    public RecoveryPoint {
        Objects.requireNonNull(time, "time");
        diskSnapshots = Collections.unmodifiableSortedMap(new TreeMap<>(diskSnapshots));
    }
}
