package io.replisim.azure.vault;

import java.time.Duration;
import java.util.List;

/**
 * A Hyper-V-to-Azure replication policy, validated against the ranges ASR accepts. Retention and
 * app-consistent frequency are whole hours, as the portal and PowerShell take them.
 *
 * @param copyFrequency           how often a log is shipped: 30 s, 5 min or 15 min
 * @param recoveryPointRetention  how long recovery points are kept: 0-24 h
 * @param appConsistentFrequency  how often an app-consistent (VSS) point is taken: 0 (off) to 12 h,
 *                                never more than the retention
 * @param initialReplicationStart immediately, or at a scheduled time
 */
public record ReplicationPolicy(Duration copyFrequency, Duration recoveryPointRetention,
        Duration appConsistentFrequency, InitialReplicationStart initialReplicationStart) {

    public static final List<Duration> COPY_FREQUENCIES =
            List.of(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(15));
    public static final Duration MAX_RETENTION = Duration.ofHours(24);
    public static final Duration MAX_APP_CONSISTENT_FREQUENCY = Duration.ofHours(12);

    public static final Duration DEFAULT_COPY_FREQUENCY = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(2);
    public static final Duration DEFAULT_APP_CONSISTENT_FREQUENCY = Duration.ofHours(1);

    public ReplicationPolicy {
        require("copyFrequency", copyFrequency);
        require("recoveryPointRetention", recoveryPointRetention);
        require("appConsistentFrequency", appConsistentFrequency);
        require("initialReplicationStart", initialReplicationStart);
        if (!COPY_FREQUENCIES.contains(copyFrequency)) {
            throw new PolicyValidationException("copyFrequency",
                    "copyFrequency " + copyFrequency + " is not one of 30s, 5m, 15m");
        }
        if (!wholeHoursWithin(recoveryPointRetention, MAX_RETENTION)) {
            throw new PolicyValidationException("recoveryPointRetention",
                    "recoveryPointRetention " + recoveryPointRetention + " is not a whole number of hours in 0h-24h");
        }
        if (!wholeHoursWithin(appConsistentFrequency, MAX_APP_CONSISTENT_FREQUENCY)) {
            throw new PolicyValidationException("appConsistentFrequency", "appConsistentFrequency "
                    + appConsistentFrequency + " is not a whole number of hours in 0h (off)-12h");
        }
        if (appConsistentFrequency.compareTo(recoveryPointRetention) > 0) {
            throw new PolicyValidationException("appConsistentFrequency", "appConsistentFrequency "
                    + appConsistentFrequency + " exceeds recoveryPointRetention " + recoveryPointRetention);
        }
    }

    /** ASR's defaults: 5 min, 2 h, 1 h, immediately. */
    public static ReplicationPolicy defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().copyFrequency(copyFrequency).recoveryPointRetention(recoveryPointRetention)
                .appConsistentFrequency(appConsistentFrequency).initialReplicationStart(initialReplicationStart);
    }

    /** Whether app-consistent snapshots are taken at all. */
    public boolean appConsistentEnabled() {
        return !appConsistentFrequency.isZero();
    }

    private static void require(String field, Object value) {
        if (value == null) {
            throw new PolicyValidationException(field, field + " is required");
        }
    }

    private static boolean wholeHoursWithin(Duration value, Duration max) {
        return !value.isNegative() && value.compareTo(max) <= 0 && value.getSeconds() % 3600 == 0
                && value.getNano() == 0;
    }

    /** Collects values and validates them all in {@link #build()}. */
    public static final class Builder {
        private Duration copyFrequency = DEFAULT_COPY_FREQUENCY;
        private Duration recoveryPointRetention = DEFAULT_RETENTION;
        private Duration appConsistentFrequency = DEFAULT_APP_CONSISTENT_FREQUENCY;
        private InitialReplicationStart initialReplicationStart = InitialReplicationStart.IMMEDIATELY;

        private Builder() {
        }

        public Builder copyFrequency(Duration value) {
            this.copyFrequency = value;
            return this;
        }

        public Builder recoveryPointRetention(Duration value) {
            this.recoveryPointRetention = value;
            return this;
        }

        public Builder appConsistentFrequency(Duration value) {
            this.appConsistentFrequency = value;
            return this;
        }

        public Builder initialReplicationStart(InitialReplicationStart value) {
            this.initialReplicationStart = value;
            return this;
        }

        public ReplicationPolicy build() {
            return new ReplicationPolicy(copyFrequency, recoveryPointRetention, appConsistentFrequency,
                    initialReplicationStart);
        }
    }
}
