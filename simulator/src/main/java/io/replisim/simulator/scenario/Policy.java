package io.replisim.simulator.scenario;

import java.time.Duration;

/**
 * The replication policy of the site or cloud (docs/domain.md, Replication policy): copy frequency 30s,
 * 5m or 15m (default 5m), recovery point retention 0-24h (default 2h), app-consistent snapshots every
 * 0-12h (default 1h, 0 = off, never above retention), and when initial replication starts:
 * {@code immediately} (default), at a time of day ({@code "22:00"}: the next one, local time) or at a
 * date-time with offset.
 */
public record Policy(Duration copyFrequency, Duration retention, Duration appConsistentEvery,
                     String initialReplicationStart) {

    public static final String IMMEDIATELY = "immediately";
    /** Every VM starts with its replica in step: steady state from the first cycle. */
    public static final String REPLICATED = "replicated";
    public static final Policy DEFAULT =
            new Policy(Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofHours(1), IMMEDIATELY);

    public Policy withDefaults() {
        return new Policy(
                copyFrequency != null ? copyFrequency : DEFAULT.copyFrequency,
                retention != null ? retention : DEFAULT.retention,
                appConsistentEvery != null ? appConsistentEvery : DEFAULT.appConsistentEvery,
                initialReplicationStart != null ? initialReplicationStart : IMMEDIATELY);
    }

    /** Whether {@link #initialReplicationStart} reads: immediately, HH:MM, or a date-time with offset. */
    static boolean validStart(String when) {
        try {
            io.replisim.simulator.replication.ReplicationConfig.StartAt.parse(when);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }
}
