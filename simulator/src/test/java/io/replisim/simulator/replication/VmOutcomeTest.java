package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replisim.hyperv.ReplicationHealth;
import io.replisim.hyperv.ReplicationState;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** What the planner and the expectations read of a VM's outcome: health at an instant, state entries, the RPO's share within a target. */
class VmOutcomeTest {
    private static final VmSummary SUMMARY = new VmSummary("hv01", "app01", "Replicating", "Normal", Duration.ZERO,
            0, 0, 0, 0, 0, 0, 0, 0, 0, null, List.of());

    private static VmOutcome outcome(List<long[]> health, List<long[]> entries, Histogram rpo) {
        return new VmOutcome(SUMMARY, health, List.of(), entries, 7, 12_345, rpo);
    }

    private static long[] at(long t, Enum<?> value) {
        return new long[] {t, value.ordinal()};
    }

    @Test
    void healthChangesAtTheInstantOfTheChange() {
        VmOutcome o = outcome(List.of(at(100, ReplicationHealth.CRITICAL), at(200, ReplicationHealth.NORMAL)),
                List.of(), new Histogram(3));
        assertEquals("Normal", o.healthAt(99));
        assertEquals("Critical", o.healthAt(100), "the change holds from its own instant");
        assertEquals("Critical", o.healthAt(199));
        assertEquals("Normal", o.healthAt(200));
    }

    @Test
    void aStateIsEnteredFirstAtItsFirstEntryAndAgainOnlyStrictlyAfterAGivenTime() {
        VmOutcome o = outcome(List.of(), List.of(at(5, ReplicationState.REPLICATING), at(50, ReplicationState.RESYNCHRONIZING),
                at(80, ReplicationState.REPLICATING)), new Histogram(3));
        assertEquals(5, o.firstEntered(ReplicationState.REPLICATING));
        assertEquals(80, o.enteredAfter(ReplicationState.REPLICATING, 5));
        assertEquals(-1, o.enteredAfter(ReplicationState.REPLICATING, 80));
        assertEquals(-1, o.firstEntered(ReplicationState.FAILOVER_COMPLETE));
        assertEquals(7, o.initialReplicationStartedAt());
        assertEquals(12_345, o.peakPendingLogBytes());
    }

    @Test
    void theRpoWithinATargetIsTheShareOfSamplesAtOrBelowIt() {
        Histogram rpo = new Histogram(3);
        rpo.recordValue(60_000); // 1 min
        rpo.recordValue(300_000); // 5 min
        rpo.recordValue(300_000);
        rpo.recordValue(900_000); // 15 min
        VmOutcome o = outcome(List.of(), List.of(), rpo);
        assertEquals(0.25, o.rpoWithin(Duration.ofMinutes(1)));
        assertEquals(0.75, o.rpoWithin(Duration.ofMinutes(5)), "a sample equal to the target is within it");
        assertEquals(0.0, o.rpoWithin(Duration.ofSeconds(30)));
        assertEquals(1.0, o.rpoWithin(Duration.ofHours(1)));
        assertEquals(4, o.rpoMillis().getTotalCount());
        assertEquals(1.0, outcome(List.of(), List.of(), new Histogram(3)).rpoWithin(Duration.ofSeconds(1)),
                "no sample (no recovery point yet): nothing missed the target");
    }
}
