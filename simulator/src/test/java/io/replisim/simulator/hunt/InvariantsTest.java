package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each invariant on hand-made traces: one that holds and ones that break it, so each can fail. */
class InvariantsTest {
    private static final long MIB = 1 << 20;

    /** A VM whose initial replication of a 16 MiB disk is done: it is Replicating. */
    static TraceBuilder replicating() {
        return new TraceBuilder()
                .at(0, "run.started", "scenario", "t", "seed", 1)
                .at(60, "ir.started", "host", "hv01", "vm", "app01", "diskBytes", 16 * MIB)
                .at(60, "vm.state", "host", "hv01", "vm", "app01", "from", "Ready for replication",
                        "to", "Waiting to complete initial replication")
                .at(70, "vm.state", "host", "hv01", "vm", "app01", "from", "Waiting to complete initial replication",
                        "to", "Replicating")
                .at(70, "ir.finished", "host", "hv01", "vm", "app01", "bytesSent", 16 * MIB, "duration", "PT10S");
    }

    /** The hand-made traces' run: app01 on hv01 with one 16 MiB disk. */
    static final io.replisim.simulator.scenario.Scenario SCENARIO = Tiny.oneVm("1h");

    /** A hand-made trace checked alone, as a trace without ground truth is. */
    static RunEvidence alone(List<TraceLine> trace) {
        return new RunEvidence(SCENARIO, trace, GroundTruth.NONE);
    }

    static void holds(Invariant invariant, List<TraceLine> trace) {
        holds(invariant, SCENARIO, trace);
    }

    static void holds(Invariant invariant, io.replisim.simulator.scenario.Scenario scenario, List<TraceLine> trace) {
        assertEquals(List.of(), invariant.check(new RunEvidence(scenario, trace, GroundTruth.NONE)),
                "expected " + invariant.name() + " to hold");
    }

    /** The invariant is violated exactly once, at {@code seq}, for a reason mentioning {@code why}. */
    static void violatedAt(Invariant invariant, List<TraceLine> trace, long seq, String why) {
        violatedAt(invariant, SCENARIO, trace, seq, why);
    }

    static void violatedAt(Invariant invariant, io.replisim.simulator.scenario.Scenario scenario, List<TraceLine> trace,
                           long seq, String why) {
        List<Violation> found = invariant.check(new RunEvidence(scenario, trace, GroundTruth.NONE));
        assertEquals(1, found.size(), found.toString());
        Violation v = found.get(0);
        assertEquals(invariant.name(), v.invariant());
        assertEquals(seq, v.seq(), v.toString());
        assertTrue(v.reason().contains(why), v.reason());
    }

    @Nested
    class NoDataLossAtAnyFailover {
        private final Invariant invariant = new NoDataLoss();

        @Test
        void holdsForVerifiedFailoversAndAPlannedOneWithoutLoss() {
            holds(invariant, replicating()
                    .at(900, "failover.finished", "vm", "app01", "kind", "test", "recoveryPoint", "rp-app01-2",
                            "dataLoss", "PT1M", "blocksLost", 3, "verified", true)
                    .at(1800, "failover.finished", "vm", "app01", "kind", "planned", "recoveryPoint", "rp-app01-5",
                            "dataLoss", "PT0S", "blocksLost", 0, "verified", true)
                    .build());
        }

        @Test
        void failsWhenAFailoverIsNotVerified() {
            TraceBuilder b = replicating();
            long seq = b.next();
            violatedAt(invariant, b.at(900, "failover.finished", "vm", "app01", "kind", "unplanned",
                    "recoveryPoint", "rp-app01-2", "dataLoss", "PT3M", "blocksLost", 9, "verified", false).build(), seq,
                    "not verified");
        }

        @Test
        void failsWhenAPlannedFailoverLosesData() {
            TraceBuilder b = replicating();
            long seq = b.next();
            violatedAt(invariant, b.at(900, "failover.finished", "vm", "app01", "kind", "planned",
                    "recoveryPoint", "rp-app01-2", "dataLoss", "PT2M", "blocksLost", 4, "verified", true).build(), seq,
                    "lost data");
        }
    }

    @Nested
    class ReplicaNeverAheadOfItsSource {
        private final Invariant invariant = new ReplicaNeverAhead();

        private TraceBuilder twoLogs() {
            return replicating()
                    .at(300, "log.switched", "vm", "app01", "disk", "os", "sequence", 1, "bytes", 100)
                    .at(301, "log.applied", "vm", "app01", "disk", "os", "sequence", 1, "applied", true)
                    .at(600, "log.switched", "vm", "app01", "disk", "os", "sequence", 2, "bytes", 100)
                    .at(601, "log.applied", "vm", "app01", "disk", "os", "sequence", 2, "applied", true);
        }

        @Test
        void holdsWhenLogsAreAppliedInOrderAfterTheirSwitchAndTheReplicaMatches() {
            holds(invariant, twoLogs()
                    .at(602, "log.applied", "vm", "app01", "disk", "os", "sequence", 1, "applied", false)
                    .at(900, "replica.verified", "vm", "app01", "disk", "os", "matches", true).build());
        }

        @Test
        void failsWhenALogIsAppliedBeforeItWasSealed() {
            TraceBuilder b = twoLogs();
            long seq = b.next();
            violatedAt(invariant, b.at(700, "log.applied", "vm", "app01", "disk", "os", "sequence", 3, "applied", true)
                    .at(710, "log.switched", "vm", "app01", "disk", "os", "sequence", 3, "bytes", 100).build(), seq,
                    "never sealed");
        }

        @Test
        void failsWhenLogsAreAppliedOutOfOrder() {
            TraceBuilder b = replicating()
                    .at(300, "log.switched", "vm", "app01", "disk", "os", "sequence", 1, "bytes", 100)
                    .at(600, "log.switched", "vm", "app01", "disk", "os", "sequence", 2, "bytes", 100)
                    .at(601, "log.applied", "vm", "app01", "disk", "os", "sequence", 2, "applied", true);
            long seq = b.next();
            violatedAt(invariant, b.at(602, "log.applied", "vm", "app01", "disk", "os", "sequence", 1, "applied", true).build(),
                    seq, "out of sequence order");
        }

        @Test
        void failsWhenTheReplicaOfAReplicatingVmDiffersAtTheEnd() {
            TraceBuilder b = twoLogs();
            long seq = b.next();
            violatedAt(invariant, b.at(900, "replica.verified", "vm", "app01", "disk", "os", "sourceSha256", "aa",
                    "replicaSha256", "bb", "matches", false).build(), seq, "differs from its source");
        }

        @Test
        void aReplicaMayDifferAfterAnUnplannedFailoverOrWhenTheVmEndsInError() {
            holds(invariant, twoLogs()
                    .at(700, "failover.finished", "vm", "app01", "kind", "unplanned", "verified", true)
                    .at(900, "replica.verified", "vm", "app01", "disk", "os", "matches", false).build());
            holds(invariant, twoLogs()
                    .at(700, "error", "vm", "app01", "code", "VmNotFound", "recoverable", false)
                    .at(700, "vm.state", "vm", "app01", "from", "Replicating", "to", "Error")
                    .at(900, "replica.verified", "vm", "app01", "disk", "os", "matches", false).build());
        }

        @Test
        void aReplicaMayDifferAfterAFailbackUntilAReprotectFinishes() {
            holds(invariant, failedBack()
                    .at(900, "replica.verified", "vm", "app01", "disk", "os", "matches", false).build());
            TraceBuilder reprotected = failedBack().at(850, "reprotect.finished", "vm", "app01");
            long seq = reprotected.next();
            violatedAt(invariant, reprotected.at(900, "replica.verified", "vm", "app01", "disk", "os", "matches", false).build(),
                    seq, "differs from its source");
        }

        private TraceBuilder failedBack() {
            return twoLogs()
                    .at(700, "failover.finished", "vm", "app01", "kind", "planned", "verified", true)
                    .at(800, "failback.finished", "vm", "app01", "verified", true);
        }
    }

    @Nested
    class RetryLadder {
        private final Invariant invariant = new RetryLadderObeyed();

        /** Errors and retries of app01 on the full ladder, each retry failing exactly when due. */
        private TraceBuilder ladder(int attempts) {
            TraceBuilder b = replicating();
            double t = 1000;
            for (int a = 1; a <= attempts; a++) {
                b.at(t, "log.switched", "vm", "app01", "disk", "os", "sequence", a, "bytes", 100);
                b.at(t, "error", "vm", "app01", "code", "NetworkError", "recoverable", true);
                long delay = RetryLadderObeyed.delayOf(a).toSeconds();
                b.at(t, "retry.scheduled", "vm", "app01", "attempt", a, "delay", RetryLadderObeyed.delayOf(a).toString());
                t += delay;
            }
            return b;
        }

        @Test
        void holdsForTheWholeLadderThenASuccessThenAFreshLadder() {
            TraceBuilder b = ladder(7);
            double due = 1000 + 60 + 120 + 240 + 480 + 600 + 1800 + 1800;
            b.at(due, "log.switched", "vm", "app01", "disk", "os", "sequence", 8, "bytes", 100)
                    .at(due + 5, "transfer.finished", "vm", "app01", "disk", "os", "kind", "log")
                    .at(due + 5, "log.applied", "vm", "app01", "disk", "os", "sequence", 8, "applied", true)
                    .at(due + 5, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-2")
                    .at(due + 300, "error", "vm", "app01", "code", "ServerBusy", "recoverable", true)
                    .at(due + 300, "retry.scheduled", "vm", "app01", "attempt", 1, "delay", "PT1M")
                    // guest writes on a full volume: reported once, nothing to retry
                    .at(due + 310, "error", "vm", "app01", "code", "LowDiskSpace", "recoverable", true);
            holds(invariant, b.build());
        }

        @Test
        void judgesAnErrorByItsCodeNotByTheStacksFlag() {
            // LowMemory is recoverable by docs/domain.md's table: reported non-recoverable is a violation
            TraceBuilder b = replicating();
            long seq = b.next();
            // and the table's verdict decides: the retry after it follows a recoverable error
            violatedAt(invariant, b.at(1000, "error", "vm", "app01", "code", "LowMemory", "recoverable", false)
                    .at(1000, "retry.scheduled", "vm", "app01", "attempt", 1, "delay", "PT1M").build(), seq,
                    "error table says it is recoverable");
            // VmNotFound waits for an administrator: reported recoverable and retried, both are wrong
            TraceBuilder c = replicating();
            long at = c.next();
            List<Violation> found = invariant.check(alone(c.at(1000, "error", "vm", "app01", "code", "VmNotFound", "recoverable", true)
                    .at(1000, "retry.scheduled", "vm", "app01", "attempt", 1, "delay", "PT1M").build()));
            assertEquals(2, found.size(), found.toString());
            assertTrue(found.get(0).reason().contains("error table says it is not"), found.toString());
            assertEquals(at, found.get(0).seq());
            assertTrue(found.get(1).reason().contains("does not directly follow a recoverable error"), found.toString());
            // a code the table does not name (a service's other 4xx) is judged by its flag
            holds(invariant, replicating().at(1000, "error", "vm", "app01", "code", "InvalidHeaderValue", "recoverable", false)
                    .build());
        }

        @Test
        void aReplicaThatDiffersAfterAnErrorTheTableRetriesIsNotExcused() {
            // the stack says LowMemory waits for an administrator; by the table it does not, so the VM
            // ending Replicating with a differing replica is not excused
            TraceBuilder b = replicating()
                    .at(700, "error", "vm", "app01", "code", "LowMemory", "recoverable", false);
            long seq = b.next();
            violatedAt(new ReplicaNeverAhead(), b.at(900, "replica.verified", "vm", "app01", "disk", "os", "matches", false)
                    .build(), seq, "differs from its source");
        }

        @Test
        void failsWhenADelayIsOffTheLadder() {
            TraceBuilder b = ladder(1);
            b.at(1060, "error", "vm", "app01", "code", "NetworkError", "recoverable", true);
            long seq = b.next();
            violatedAt(invariant, b.at(1060, "retry.scheduled", "vm", "app01", "attempt", 2, "delay", "PT1M").build(), seq,
                    "the ladder says PT2M");
        }

        @Test
        void failsWhenTheAttemptsRestartWithoutASuccess() {
            TraceBuilder b = ladder(2);
            b.at(1180, "error", "vm", "app01", "code", "NetworkError", "recoverable", true);
            long seq = b.next();
            violatedAt(invariant, b.at(1180, "retry.scheduled", "vm", "app01", "attempt", 1, "delay", "PT1M").build(), seq,
                    "restarted at 1");
        }

        @Test
        void failsWhenTheLadderContinuesAfterACompletedCycle() {
            TraceBuilder b = ladder(1);
            b.at(1060, "log.switched", "vm", "app01", "disk", "os", "sequence", 2, "bytes", 100)
                    .at(1061, "log.applied", "vm", "app01", "disk", "os", "sequence", 2, "applied", true)
                    .at(1061, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-2")
                    .at(1400, "error", "vm", "app01", "code", "NetworkError", "recoverable", true);
            long seq = b.next();
            violatedAt(invariant, b.at(1400, "retry.scheduled", "vm", "app01", "attempt", 2, "delay", "PT2M").build(), seq,
                    "should have restarted at attempt 1");
        }

        @Test
        void failsWhenTheVmActsBeforeItsRetryIsDue() {
            TraceBuilder b = ladder(3); // attempt 3 at 1180 s, due at 1420 s
            long seq = b.next();
            violatedAt(invariant, b.at(1300, "log.switched", "vm", "app01", "disk", "os", "sequence", 9, "bytes", 100)
                    .at(1300, "error", "vm", "app01", "code", "NetworkError", "recoverable", true)
                    .at(1300, "retry.scheduled", "vm", "app01", "attempt", 4, "delay", "PT8M").build(), seq,
                    "before its retry was due");
        }

        @Test
        void failsWhenARecoverableErrorIsNotRetried() {
            TraceBuilder b = replicating();
            long seq = b.next();
            violatedAt(invariant, b.at(500, "error", "vm", "app01", "code", "ServerBusy", "recoverable", true).build(), seq,
                    "not retried");
        }
    }

    @Nested
    class ResyncIfAndOnlyIfATriggerHeld {
        private final Invariant invariant = new ResyncIffTrigger();

        @Test
        void holdsForAThresholdResyncAndOneAfterARevert() {
            holds(invariant, replicating()
                    .at(300, "log.switched", "vm", "app01", "disk", "os", "sequence", 1, "bytes", 9 * MIB)
                    .at(305, "resync.required", "host", "hv01", "vm", "app01", "reason", "log-threshold",
                            "logBytes", 9 * MIB, "diskBytes", 16 * MIB)
                    .at(305, "vm.state", "vm", "app01", "from", "Replicating", "to", "Resynchronization required")
                    .at(600, "resync.started", "vm", "app01", "trigger", "scheduled")
                    .at(700, "resync.finished", "vm", "app01")
                    .at(700, "vm.state", "vm", "app01", "from", "Resynchronizing", "to", "Replicating")
                    .at(900, "fault.injected", "vm", "app01", "kind", "vm-reverted")
                    .at(910, "resync.required", "host", "hv01", "vm", "app01", "reason", "vm-reverted",
                            "logBytes", 1000, "diskBytes", 16 * MIB)
                    .at(910, "vm.state", "vm", "app01", "from", "Replicating", "to", "Resynchronization required")
                    .at(1200, "resync.started", "vm", "app01", "trigger", "manual").build());
        }

        @Test
        void failsWhenTheThresholdResyncHasTooFewLogBytes() {
            TraceBuilder b = replicating();
            long seq = b.next();
            violatedAt(invariant, b.at(305, "resync.required", "host", "hv01", "vm", "app01", "reason", "log-threshold",
                    "logBytes", 7 * MIB, "diskBytes", 16 * MIB).build(), seq, "below half");
        }

        @Test
        void duringInitialReplicationTheThresholdIsTheWholeDisk() {
            TraceBuilder b = new TraceBuilder()
                    .at(60, "ir.started", "host", "hv01", "vm", "app01", "diskBytes", 16 * MIB)
                    .at(60, "vm.state", "vm", "app01", "from", "Ready for replication", "to", "Waiting to complete initial replication");
            long seq = b.next();
            violatedAt(invariant, b.at(305, "resync.required", "host", "hv01", "vm", "app01", "reason", "log-threshold",
                    "logBytes", 9 * MIB, "diskBytes", 16 * MIB).build(), seq, "all (initial replication)");
        }

        @Test
        void failsWhenAFaultReasonHasNoSuchFault() {
            TraceBuilder b = replicating().at(200, "fault.injected", "vm", "app01", "kind", "vhd-changed-offline")
                    .at(205, "resync.required", "host", "hv01", "vm", "app01", "reason", "vhd-changed-offline",
                            "logBytes", 0, "diskBytes", 16 * MIB)
                    .at(205, "vm.state", "vm", "app01", "from", "Replicating", "to", "Resynchronization required");
            long seq = b.next();
            violatedAt(invariant, b.at(400, "resync.required", "host", "hv01", "vm", "app01", "reason", "low-disk-space",
                    "logBytes", 0, "diskBytes", 16 * MIB).build(), seq, "no low-disk-space fault");
        }

        @Test
        void noResyncIsDueOnceAnUnplannedFailoverBegan() {
            holds(invariant, replicating()
                    .at(300, "job.started", "vm", "app01", "job", "j2", "name", "Unplanned failover")
                    .at(310, "fault.injected", "vm", "app01", "kind", "vm-reverted")
                    .at(400, "log.switched", "vm", "app01", "disk", "os", "sequence", 1, "bytes", 9 * MIB)
                    .at(900, "log.switched", "vm", "app01", "disk", "os", "sequence", 2, "bytes", 1).build());
        }

        @Test
        void failsWhenAResyncIsRequiredAfterReplicationWasDisabled() {
            TraceBuilder b = replicating().at(200, "fault.injected", "vm", "app01", "kind", "vm-reverted")
                    .at(200, "job.started", "vm", "app01", "job", "j2", "name", "Disable replication");
            long seq = b.next();
            violatedAt(invariant, b.at(205, "resync.required", "host", "hv01", "vm", "app01", "reason", "vm-reverted",
                    "logBytes", 0, "diskBytes", 16 * MIB).build(), seq, "after replication stopped for good");
        }

        @Test
        void failsWhenAResyncStartsWithoutARequirement() {
            TraceBuilder b = replicating();
            long seq = b.next();
            violatedAt(invariant, b.at(600, "resync.started", "vm", "app01", "trigger", "manual").build(), seq,
                    "without a resync.required");
        }

        @Test
        void failsWhenPendingLogsReachHalfTheDiskAndNoResyncFollows() {
            TraceBuilder b = replicating().at(300, "log.switched", "vm", "app01", "disk", "os", "sequence", 1, "bytes", 5 * MIB);
            long seq = b.next();
            violatedAt(invariant, b.at(600, "log.switched", "vm", "app01", "disk", "os", "sequence", 2, "bytes", 4 * MIB)
                    .at(900, "log.switched", "vm", "app01", "disk", "os", "sequence", 3, "bytes", 1 * MIB).build(), seq,
                    "no resync.required followed");
        }

        @Test
        void failsWhenARevertLeavesTheVmReplicating() {
            TraceBuilder b = replicating();
            long seq = b.next();
            violatedAt(invariant, b.at(300, "fault.injected", "vm", "app01", "kind", "vm-reverted")
                    .at(600, "log.switched", "vm", "app01", "disk", "os", "sequence", 1, "bytes", 100).build(), seq,
                    "fault vm-reverted struck app01");
        }

        @Test
        void holdsWhenARevertCouldNotStrike() {
            // the VM was gone: the stack clears the event at once, and nothing changed
            holds(invariant, replicating()
                    .at(300, "fault.injected", "vm", "app01", "kind", "vm-reverted")
                    .at(300, "fault.cleared", "vm", "app01", "kind", "vm-reverted")
                    .at(600, "log.switched", "vm", "app01", "disk", "os", "sequence", 1, "bytes", 100).build());
            // cleared later, it did strike
            TraceBuilder b = replicating();
            long seq = b.next();
            violatedAt(invariant, b.at(300, "fault.injected", "vm", "app01", "kind", "vm-reverted")
                    .at(301, "fault.cleared", "vm", "app01", "kind", "vm-reverted")
                    .at(600, "log.switched", "vm", "app01", "disk", "os", "sequence", 1, "bytes", 100).build(), seq,
                    "fault vm-reverted struck app01");
        }
    }

    @Nested
    class EveryJobFinishes {
        private final Invariant invariant = new EveryJobFinished();

        @Test
        void holdsWhenOnlyTheLastJobOfAVmRunsAtTheEnd() {
            holds(invariant, new TraceBuilder()
                    .at(0, "job.started", "vm", "app01", "job", "j1", "name", "Enable protection")
                    .at(60, "job.finished", "vm", "app01", "job", "j1", "name", "Enable protection", "status", "Succeeded")
                    .at(100, "job.started", "vm", "app02", "job", "j2", "name", "Enable protection")
                    .at(200, "job.started", "vm", "app01", "job", "j3", "name", "Resynchronize")
                    .at(300, "run.finished", "passed", true).build());
        }

        @Test
        void failsWhenAJobNeverFinishesThoughALaterOneStarted() {
            TraceBuilder b = new TraceBuilder();
            long seq = b.next();
            violatedAt(invariant, b.at(0, "job.started", "vm", "app01", "job", "j1", "name", "Resynchronize")
                    .at(60, "job.started", "vm", "app01", "job", "j2", "name", "Unplanned failover")
                    .at(100, "job.finished", "vm", "app01", "job", "j2", "name", "Unplanned failover", "status", "Succeeded")
                    .build(), seq, "never finished");
        }
    }

    @Test
    void allInvariantsTogetherReportByTraceOrder() {
        TraceBuilder b = replicating()
                .at(100, "job.started", "vm", "app01", "job", "j1", "name", "Resynchronize")
                .at(200, "resync.started", "vm", "app01", "trigger", "manual")
                .at(300, "job.started", "vm", "app01", "job", "j2", "name", "Test failover")
                .at(400, "failover.finished", "vm", "app01", "kind", "test", "verified", false);
        List<Violation> found = Invariants.all().check(alone(b.build()));
        // health: Normal during initial replication (seq 2), and still Normal once no cycle came after it (seen at seq 8)
        assertEquals(List.of(HealthFollowsRules.NAME, EveryJobFinished.NAME, ResyncIffTrigger.NAME, NoDataLoss.NAME,
                        HealthFollowsRules.NAME),
                found.stream().map(Violation::invariant).toList(), found.toString());
    }
}
