package io.replisim.simulator.scenario;

import java.time.Duration;

/**
 * The replication policy of the site or cloud (DOMAIN.md): copy frequency 30s, 5m or 15m
 * (default 5m), recovery point retention 0-24h (default 2h), app-consistent snapshots every
 * 0-12h (default 1h, 0 = off, never above retention), and when initial replication starts:
 * {@code immediately} (default), at a time of day ({@code "22:00"}: the next one, local time)
 * or at a date-time with offset.
 */
public record Policy(Duration copyFrequency, Duration retention, Duration appConsistentEvery,
                     String initialReplicationStart) {

    public static final String IMMEDIATELY = "immediately";
    public static final Policy DEFAULT =
            new Policy(Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofHours(1), IMMEDIATELY);

    public Policy withDefaults() {
        return new Policy(
                copyFrequency != null ? copyFrequency : DEFAULT.copyFrequency,
                retention != null ? retention : DEFAULT.retention,
                appConsistentEvery != null ? appConsistentEvery : DEFAULT.appConsistentEvery,
                initialReplicationStart != null ? initialReplicationStart : IMMEDIATELY);
    }

    /**
     * When initial replication starts for a VM whose protection is enabled at {@code enabled},
     * or {@code enabled} itself for {@code immediately}.
     */
    public java.time.ZonedDateTime initialReplicationAt(java.time.ZonedDateTime enabled) {
        String when = initialReplicationStart == null ? IMMEDIATELY : initialReplicationStart.trim();
        if (when.equals(IMMEDIATELY)) {
            return enabled;
        }
        if (when.contains("T")) {
            java.time.ZonedDateTime at = java.time.OffsetDateTime.parse(when).atZoneSameInstant(enabled.getZone());
            return at.isBefore(enabled) ? enabled : at;
        }
        java.time.LocalTime time = java.time.LocalTime.parse(when.length() == 4 ? "0" + when : when);
        java.time.ZonedDateTime today = enabled.toLocalDate().atTime(time).atZone(enabled.getZone());
        return today.isBefore(enabled) ? today.plusDays(1) : today;
    }

    /** Whether {@link #initialReplicationStart} reads: immediately, HH:MM, or a date-time with offset. */
    static boolean validStart(String when) {
        try {
            new Policy(null, null, null, when).initialReplicationAt(java.time.ZonedDateTime.parse("2026-01-05T08:00:00Z"));
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }
}
