package io.replisim.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * An administrator's action at a time: {@code {at: 3h, do: resume, vm: app01}}. Without
 * {@code vm} it applies to every VM it can. Test and unplanned failovers take a
 * {@code recoveryPoint}: {@code latest} (the default) or {@code latest-app}.
 */
public record ActionSpec(Duration at, @JsonProperty("do") String action, String vm, String recoveryPoint) {
    /** The actions replisim knows. */
    public static final java.util.List<String> KNOWN = java.util.List.of("resume", "resync", "test-failover",
            "test-failover-cleanup", "planned-failover", "unplanned-failover", "commit", "disable-replication");
    /** Which recovery point a failover takes. */
    public static final java.util.List<String> RECOVERY_POINTS = java.util.List.of("latest", "latest-app");
}
