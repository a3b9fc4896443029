package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replisim.simulator.run.RunRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of expectation, held and broken, checked against a real run. */
class ExpectationsTest {
    @Test
    void eachKindPassesWhenItHoldsAndFailsWhenItDoesNot() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                faults:
                  - { at: 30m, kind: network-outage, for: 20m }
                actions:
                  - { at: 2h, do: test-failover, vm: vm1 }
                expect:
                  - { vm: vm1, state: Replicating, by: 5m }
                  - { vm: vm1, state: Resynchronizing }
                  - { vm: vm1, health: Normal, at: 20m }
                  - { vm: vm1, health: Normal, at: 45m }
                  - { replicaMatchesSource: true }
                  - { vm: vm1, resyncs: 0 }
                  - { vm: vm1, retries: { atLeast: 1, atMost: 10 } }
                  - { errors: 0 }
                  - { vm: vm1, rpo: { p50: 5m, max: 35m } }
                  - { rpo: { max: 5m } }
                  - { noDataLoss: true }
                  - { vm: vm1, maxDataLoss: 1h }
                  - { maxBytesSent: 1GiB }
                  - { vm: vm1, maxBytesSent: 1MiB }
                """).replace("256KiB/min", "32KiB/min"));
        List<Boolean> passed = run.record.expectations().stream().map(RunRecord.ExpectationResult::passed).toList();
        assertEquals(List.of(true, false, true, false, true, true, true, false, true, false, true, true, true, false), passed,
                run.record.expectations().toString());
        assertEquals("never reached Resynchronizing", run.record.expectations().get(1).detail());
        assertEquals("health was Warning", run.record.expectations().get(3).detail());
        assertEquals(run.record.expectations().size(), run.ofType("expectation").size());
    }

    @Test
    void aStateExpectedAfterATimeCountsOnlyAnEntryLaterThanIt() throws Exception {
        // Replicating from the end of initial replication, Failover complete at 63m, Replicating
        // again once the reprotect at 100m has compared and sent its blocks
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                actions:
                  - { at: 63m, do: unplanned-failover, vm: vm1 }
                  - { at: 80m, do: failback, vm: vm1 }
                  - { at: 100m, do: reprotect, vm: vm1 }
                expect:
                  - { vm: vm1, state: Replicating, by: 110m }
                  - { vm: vm1, state: Replicating, after: 100m, by: 110m }
                  - { vm: vm1, state: Replicating, after: 100m, by: 100m1s }
                  - { vm: vm1, state: Replicating, after: 2h }
                  - { vm: vm1, state: Failover complete, after: 64m }
                  - { vm: vm1, state: Failover complete, after: 62m, by: 64m }
                """));
        List<Boolean> passed = run.record.expectations().stream().map(RunRecord.ExpectationResult::passed).toList();
        assertEquals(List.of(true, true, false, false, false, true), passed, run.record.expectations().toString());
        assertEquals("vm1 is Replicating after 1h40m by 1h50m", run.record.expectations().get(1).name());
        assertEquals("never reached Replicating after 2h", run.record.expectations().get(3).detail());
    }
}
