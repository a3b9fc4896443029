package io.replisim.simulator.hunt;

import static io.replisim.simulator.hunt.InvariantsTest.holds;
import static io.replisim.simulator.hunt.InvariantsTest.violatedAt;

import org.junit.jupiter.api.Test;

/** health-follows-rules on hand-made traces of app01 (copy frequency 5 minutes): each rule held and broken. */
class HealthFollowsRulesTest {
    private final Invariant invariant = new HealthFollowsRules();

    /** Initial replication from 60 s to 70 s, Warning meanwhile, then Replicating with its first point at 70 s. */
    private static TraceBuilder replicating() {
        return new TraceBuilder()
                .at(0, "run.started", "scenario", "t", "seed", 1)
                .at(60, "vm.state", "host", "hv01", "vm", "app01", "from", "Ready for replication",
                        "to", "Waiting to complete initial replication")
                .at(60, "vm.health", "vm", "app01", "from", "Normal", "to", "Warning")
                .at(70, "vm.state", "vm", "app01", "from", "Waiting to complete initial replication", "to", "Replicating")
                .at(70, "vm.health", "vm", "app01", "from", "Warning", "to", "Normal")
                .at(70, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-1", "pointInTime", at(69));
    }

    /** The trace's time of {@code seconds} after the start, as TraceBuilder writes it. */
    private static String at(double seconds) {
        return java.time.OffsetDateTime.parse("2026-01-05T08:00:00+01:00").plusNanos(Math.round(seconds * 1e9)).toString();
    }

    /** A cycle every 5 minutes from 370 s to {@code until}, each point standing for its cycle's start. */
    private static TraceBuilder cycles(TraceBuilder b, int until) {
        for (int t = 370, n = 2; t <= until; t += 300, n++) {
            b.at(t + 1, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-" + n, "pointInTime", at(t));
        }
        return b;
    }

    @Test
    void holdsThroughInitialReplicationRegularCyclesAndARetryThatSucceeds() {
        holds(invariant, cycles(replicating(), 1900)
                .at(2000, "error", "vm", "app01", "code", "NetworkError", "recoverable", true)
                .at(2000, "retry.scheduled", "vm", "app01", "attempt", 1, "delay", "PT1M")
                .at(2000, "vm.health", "vm", "app01", "from", "Normal", "to", "Warning")
                .at(2060, "log.applied", "vm", "app01", "disk", "os", "sequence", 7, "applied", true)
                .at(2060, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-9", "pointInTime", at(2059))
                .at(2060, "vm.health", "vm", "app01", "from", "Warning", "to", "Normal")
                .at(2200, "run.finished").build());
    }

    @Test
    void failsWhenInitialReplicationShowsNormal() {
        TraceBuilder b = new TraceBuilder().at(0, "run.started");
        long seq = b.next();
        b.at(60, "vm.state", "vm", "app01", "from", "Ready for replication", "to", "Waiting to complete initial replication");
        violatedAt(invariant, b.at(61, "transfer.started", "vm", "app01", "disk", "os", "kind", "initial").build(), seq,
                "state Waiting to complete initial replication");
    }

    @Test
    void failsWhenARetryOnTheLadderLeavesTheVmNormal() {
        TraceBuilder b = cycles(replicating(), 1000)
                .at(1100, "error", "vm", "app01", "code", "ServerBusy", "recoverable", true)
                .at(1100, "retry.scheduled", "vm", "app01", "attempt", 1, "delay", "PT1M");
        long seq = b.next() - 1;
        violatedAt(invariant, b.at(1130, "fault.cleared", "kind", "storage-unavailable").build(), seq, "retries on the ladder");
    }

    @Test
    void failsWhenAnErrorPersistingToTheThirtyMinuteRetriesShowsOnlyWarning() {
        TraceBuilder b = cycles(replicating(), 1000);
        double t = 1000;
        for (int a = 1; a <= 6; a++) {
            b.at(t, "error", "vm", "app01", "code", "NetworkError", "recoverable", true)
                    .at(t, "retry.scheduled", "vm", "app01", "attempt", a, "delay", RetryLadderObeyed.delayOf(a).toString());
            if (a == 1) {
                b.at(t, "vm.health", "vm", "app01", "from", "Normal", "to", "Warning");
            }
            t += RetryLadderObeyed.delayOf(a).toSeconds();
        }
        violatedAt(invariant, b.build(), b.next() - 1, "persists to the 30-minute retries");
    }

    @Test
    void failsWhenAVmShowsWarningWithNoRuleForIt() {
        TraceBuilder b = cycles(replicating(), 1000);
        long seq = b.next();
        violatedAt(invariant, b.at(1050, "vm.health", "vm", "app01", "from", "Normal", "to", "Warning").build(), seq,
                "with no rule for it");
    }

    @Test
    void aMissedCycleTurnsTheVmWarningWithinOneStep() {
        // after the point at 70 s no cycle comes: at 670 s 2 cycles were expected, 1 made: 50% missed
        holds(invariant, replicating()
                .at(680, "vm.health", "vm", "app01", "from", "Normal", "to", "Warning")
                .at(700, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-2", "pointInTime", at(670))
                .at(710, "vm.health", "vm", "app01", "from", "Warning", "to", "Normal")
                .at(800, "run.finished").build());
        // Warning a step late: reported at the first line after 680 s
        TraceBuilder late = replicating();
        long seq = late.next();
        violatedAt(invariant, late.at(681, "vm.health", "vm", "app01", "from", "Normal", "to", "Warning").build(), seq,
                "a time rule has held since");
        // Warning too early, before the second cycle was due
        TraceBuilder early = replicating();
        long at = early.next();
        violatedAt(invariant, early.at(600, "vm.health", "vm", "app01", "from", "Normal", "to", "Warning").build(), at,
                "no time rule held");
        // Normal again more than a step after the cycle came
        TraceBuilder stuck = replicating()
                .at(675, "vm.health", "vm", "app01", "from", "Normal", "to", "Warning")
                .at(700, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-2", "pointInTime", at(670));
        long stuckAt = stuck.next();
        violatedAt(invariant, stuck.at(711, "vm.health", "vm", "app01", "from", "Warning", "to", "Normal").build(), stuckAt,
                "with no rule for it");
    }

    @Test
    void aPointOverAnHourOldTurnsTheVmWarningAfterCyclesThatTookLong() {
        // cycles keep coming every 5 minutes, but each stands for a switch long before: the newest
        // point's time is over an hour old from 3670 s + 1 ns on, though no cycle was missed
        TraceBuilder b = replicating();
        for (int t = 370, n = 2; t <= 3670; t += 300, n++) {
            b.at(t + 1, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-" + n, "pointInTime", at(70));
        }
        holds(invariant, b.at(3680, "vm.health", "vm", "app01", "from", "Normal", "to", "Warning")
                .at(3971, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-14", "pointInTime", at(70))
                .at(4000, "run.finished").build());
    }

    /** app01 gone at 1100 s (Error, Critical), resumed at 1700 s: Replicating again. */
    private static TraceBuilder resumed() {
        return cycles(replicating(), 1000)
                .at(1100, "error", "vm", "app01", "code", "VmNotFound", "recoverable", false)
                .at(1100, "vm.state", "vm", "app01", "from", "Replicating", "to", "Error")
                .at(1100, "vm.health", "vm", "app01", "from", "Normal", "to", "Critical")
                .at(1700, "action", "vm", "app01", "action", "resume")
                .at(1700, "vm.state", "vm", "app01", "from", "Error", "to", "Replicating");
    }

    @Test
    void afterAResumeTheVmStaysCriticalUntilTheResumedWorkMakesProgress() {
        holds(invariant, resumed().build());
        holds(invariant, resumed()
                .at(1710, "log.applied", "vm", "app01", "disk", "os", "sequence", 5, "applied", true)
                .at(1710, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-6", "pointInTime", at(1700))
                .at(1710, "vm.health", "vm", "app01", "from", "Critical", "to", "Normal").build());
        // Normal at the resume, before any progress
        TraceBuilder bad = resumed();
        long seq = bad.next();
        violatedAt(invariant, bad.at(1700, "vm.health", "vm", "app01", "from", "Critical", "to", "Normal").build(), seq,
                "resumed, and the resumed work has made no progress");
    }

    @Test
    void aFailoverCompletedByTheResumeIsTheResumedWorkDone() {
        // Hyper-V refused the unplanned failover's last change; the resume makes it, and with
        // replication stopped nothing else is left to prove
        TraceBuilder b = cycles(replicating(), 1000)
                .at(1010, "action", "vm", "app01", "action", "unplanned-failover")
                .at(1060, "failover.finished", "vm", "app01", "kind", "unplanned")
                .at(1070, "error", "vm", "app01", "code", "VmNotFound", "recoverable", false)
                .at(1070, "vm.health", "vm", "app01", "from", "Normal", "to", "Critical")
                .at(1300, "action", "vm", "app01", "action", "resume")
                .at(1300, "vm.state", "vm", "app01", "from", "Replicating", "to", "Failover complete");
        holds(invariant, b.at(1300, "vm.health", "vm", "app01", "from", "Critical", "to", "Normal").build());
    }

    @Test
    void aStepToldDoneWithoutRunningIsNoProgressOfTheResumedWork() {
        // a resumed resync: its new job says the block comparison, done before the error, Succeeded
        // in the instant it starts; the logs it still ships are the progress that ends Critical
        holds(invariant, resumed()
                .at(1700, "job.started", "vm", "app01", "job", "j2", "name", "Resynchronize")
                .at(1700, "job.step", "vm", "app01", "job", "j2", "step", "Compare and synchronize blocks", "status", "Succeeded")
                .at(1700, "transfer.started", "vm", "app01", "disk", "os", "transfer", "log/app01/os/5", "kind", "log")
                .at(1900, "log.applied", "vm", "app01", "disk", "os", "sequence", 5, "applied", true)
                .at(1900, "vm.health", "vm", "app01", "from", "Critical", "to", "Warning").build());
        // a step that ran (in progress at an earlier instant) is progress: Critical after it has no rule
        // (Warning at 1900 s: most of the last hour's cycles were missed)
        TraceBuilder ran = resumed()
                .at(1700, "job.started", "vm", "app01", "job", "j2", "name", "Resynchronize")
                .at(1700, "job.step", "vm", "app01", "job", "j2", "step", "Prerequisites check", "status", "In progress");
        long seq = ran.next();
        violatedAt(invariant, ran
                .at(1720, "job.step", "vm", "app01", "job", "j2", "step", "Prerequisites check", "status", "Succeeded")
                .at(1900, "log.applied", "vm", "app01", "disk", "os", "sequence", 5, "applied", true)
                .at(1900, "vm.health", "vm", "app01", "from", "Critical", "to", "Warning").build(), seq, "no rule for it");
    }

    @Test
    void anErrorTheTableSaysWaitsForAnAdministratorIsCriticalWhateverItsFlag() {
        // BrokenVhdChain reported recoverable: the VM must still show Critical
        TraceBuilder b = cycles(replicating(), 1000)
                .at(1100, "error", "vm", "app01", "code", "BrokenVhdChain", "recoverable", true)
                .at(1100, "retry.scheduled", "vm", "app01", "attempt", 1, "delay", "PT1M")
                .at(1100, "vm.health", "vm", "app01", "from", "Normal", "to", "Warning");
        long seq = b.next() - 1;
        violatedAt(invariant, b.at(1130, "fault.cleared", "vm", "app01", "kind", "broken-vhd-chain").build(), seq,
                "waits for an administrator");
    }

    @Test
    void failsWhenAHealthChangeDoesNotStartFromTheHealthShown() {
        TraceBuilder b = cycles(replicating(), 1000);
        long seq = b.next();
        violatedAt(invariant, b.at(1050, "vm.health", "vm", "app01", "from", "Warning", "to", "Normal").build(), seq,
                "last showed it Normal");
    }
}
