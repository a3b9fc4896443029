package io.replisim.simulator.replication;

import io.replisim.simulator.kernel.SimTime;

/**
 * Site Recovery's schedule for recoverable errors (docs/domain.md, Retry ladder): retry 1, 2, 4, 8 and 10
 * minutes after successive failures, then every 30 minutes until an attempt succeeds.
 */
public final class RetryLadder {
    private static final long[] LADDER = {
        SimTime.minutes(1), SimTime.minutes(2), SimTime.minutes(4), SimTime.minutes(8), SimTime.minutes(10)
    };
    /** The interval once the ladder is exhausted. */
    public static final long PERSISTENT = SimTime.minutes(30);

    private RetryLadder() {}

    /** The delay before retry number {@code attempt} (1 for the first retry). */
    public static long delay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1");
        }
        return attempt <= LADDER.length ? LADDER[attempt - 1] : PERSISTENT;
    }

    /** Whether retries have reached the 30-minute rhythm: the error persists. */
    public static boolean persistent(int attempt) {
        return attempt > LADDER.length;
    }
}
