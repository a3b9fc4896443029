package io.replisim.simulator.scenario;

import java.time.Duration;

/**
 * The replication policy of the site or cloud (DOMAIN.md): copy frequency 30s, 5m or 15m
 * (default 5m), recovery point retention 0-24h (default 2h), app-consistent snapshots every
 * 0-12h (default 1h, 0 = off, never above retention).
 */
public record Policy(Duration copyFrequency, Duration retention, Duration appConsistentEvery) {

    public static final Policy DEFAULT =
            new Policy(Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofHours(1));

    public Policy withDefaults() {
        return new Policy(
                copyFrequency != null ? copyFrequency : DEFAULT.copyFrequency,
                retention != null ? retention : DEFAULT.retention,
                appConsistentEvery != null ? appConsistentEvery : DEFAULT.appConsistentEvery);
    }
}
