package io.replisim.simulator.hunt;

import static io.replisim.simulator.hunt.InvariantsTest.holds;
import static io.replisim.simulator.hunt.InvariantsTest.violatedAt;

import io.replisim.simulator.scenario.Scenario;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** recovery-points-within-retention on hand-made traces: copy frequency 5 minutes, retention as each test says. */
class RecoveryPointsWithinRetentionTest {
    private final Invariant invariant = new RecoveryPointsWithinRetention();
    private static final Scenario RETENTION_ZERO = retention(0);

    private static String at(double seconds) {
        return OffsetDateTime.parse("2026-01-05T08:00:00+01:00").plusNanos(Math.round(seconds * 1e9)).toString();
    }

    /** Point {@code n} created 10 s after its cycle's switch at {@code n x 300} s. */
    private static TraceBuilder point(TraceBuilder b, int n) {
        return b.at(n * 300 + 10, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-" + n,
                "pointInTime", at(n * 300));
    }

    private static TraceBuilder pruned(TraceBuilder b, int n, int atPoint) {
        return b.at(atPoint * 300 + 10, "recovery-point.pruned", "vm", "app01", "recoveryPoint", "rp-app01-" + n);
    }

    /** Retention {@code hours}: {@link Tiny}'s scenario with that policy. */
    private static Scenario retention(int hours) {
        return Tiny.parse(Tiny.ONE_VM.formatted("4h").replace("policy: { copyFrequency: 5m }",
                "policy: { copyFrequency: 5m, retention: " + hours + "h, appConsistentEvery: " + Math.min(hours, 1) + "h }"));
    }

    @Test
    void holdsWhenEachPointGoesAsItAgesOutOfAnHour() {
        TraceBuilder b = new TraceBuilder();
        for (int n = 1; n <= 20; n++) {
            point(b, n);
            if (n > 12) {
                pruned(b, n - 12, n); // at n x 300 + 10, point n - 12 is 3610 s old
            }
        }
        holds(invariant, retention(1), b.build());
    }

    @Test
    void failsWhenAPointOlderThanTheRetentionSurvivesANewOne() {
        TraceBuilder b = new TraceBuilder();
        for (int n = 1; n <= 13; n++) {
            point(b, n);
        }
        violatedAt(invariant, retention(1), b.build(), b.next() - 1, "past the retention of PT1H");
    }

    @Test
    void failsWhenAPointIsPrunedBeforeItAgedOut() {
        TraceBuilder b = new TraceBuilder();
        for (int n = 1; n <= 5; n++) {
            point(b, n);
        }
        long seq = b.next();
        violatedAt(invariant, retention(1), pruned(b, 1, 5).build(), seq, "within the retention of PT1H");
    }

    @Test
    void withRetentionZeroOnlyTheNewestIsKept() {
        TraceBuilder b = new TraceBuilder();
        point(b, 1);
        for (int n = 2; n <= 4; n++) {
            pruned(point(b, n), n - 1, n);
        }
        holds(invariant, RETENTION_ZERO, b.build());
        TraceBuilder kept = new TraceBuilder();
        point(point(kept, 1), 2);
        violatedAt(invariant, RETENTION_ZERO, kept.build(), kept.next() - 1, "past the retention of PT0S");
    }

    @Test
    void theNewestIsPrunedOnlyWhenAllPointsGo() {
        // all of them at a resync's end, the oldest first: allowed
        TraceBuilder resync = point(point(new TraceBuilder(), 1), 2)
                .at(900, "recovery-point.pruned", "vm", "app01", "recoveryPoint", "rp-app01-1")
                .at(900, "recovery-point.pruned", "vm", "app01", "recoveryPoint", "rp-app01-2")
                .at(900, "resync.finished", "vm", "app01", "blocksCompared", 8, "blocksSent", 1);
        holds(invariant, retention(2), resync.build());
        // the newest first, while an older one remains
        TraceBuilder order = point(point(new TraceBuilder(), 1), 2);
        long seq = order.next();
        violatedAt(invariant, retention(2), order.at(900, "recovery-point.pruned", "vm", "app01", "recoveryPoint", "rp-app01-2")
                .at(900, "recovery-point.pruned", "vm", "app01", "recoveryPoint", "rp-app01-1")
                .at(900, "resync.finished", "vm", "app01", "blocksCompared", 8, "blocksSent", 1).build(), seq,
                "was pruned while 1 older ones remained");
        // all of them with nothing that drops them
        TraceBuilder none = point(point(new TraceBuilder(), 1), 2)
                .at(900, "recovery-point.pruned", "vm", "app01", "recoveryPoint", "rp-app01-1");
        long at = none.next();
        violatedAt(invariant, retention(2), none.at(900, "recovery-point.pruned", "vm", "app01", "recoveryPoint", "rp-app01-2")
                .build(), at, "the newest is always kept");
    }

    @Test
    void failsWhenMorePointsAreKeptThanTheCopyFrequencyAllows() {
        // cycles every minute under a 5-minute policy: 14 points within the hour's retention, each young
        Scenario hour = retention(1);
        TraceBuilder many = new TraceBuilder();
        for (int n = 1; n <= 14; n++) {
            many.at(n * 60 + 10, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-" + n, "pointInTime", at(n * 60));
        }
        violatedAt(invariant, hour, many.build(), many.next() - 1, "the policy allows at most 13");
    }
}
