package io.replisim.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * An administrator's action at a time: {@code {at: 3h, do: resume, vm: app01}}. Without
 * {@code vm} it applies to every VM it can. Test and unplanned failovers take a
 * {@code recoveryPoint}: {@code latest} (the default) or {@code latest-app}. A failback takes a
 * {@code sync}: {@code checksum} (the default: only the blocks that differ come back) or
 * {@code full} (every block is downloaded).
 */
public record ActionSpec(Duration at, @JsonProperty("do") String action, String vm, String recoveryPoint, String sync) {
    /** The actions replisim knows. */
    public static final java.util.List<String> KNOWN = java.util.List.of("resume", "resync", "test-failover",
            "test-failover-cleanup", "planned-failover", "unplanned-failover", "commit", "failback", "reprotect",
            "disable-replication");
    /** Which recovery point a failover takes. */
    public static final java.util.List<String> RECOVERY_POINTS = java.util.List.of("latest", "latest-app");
    /** How a failback synchronizes the on-premises disks. */
    public static final java.util.List<String> SYNCS = java.util.List.of("checksum", "full");

    public ActionSpec {
        // checked here rather than in the validator so a bad value still fails loading, located
        if (sync != null && !SYNCS.contains(sync)) {
            throw new IllegalArgumentException("'" + sync + "' is not one of: " + String.join(", ", SYNCS));
        }
    }

    /** An action without a failback sync. */
    public ActionSpec(Duration at, String action, String vm, String recoveryPoint) {
        this(at, action, vm, recoveryPoint, null);
    }
}
