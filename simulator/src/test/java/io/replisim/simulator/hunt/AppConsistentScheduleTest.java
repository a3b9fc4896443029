package io.replisim.simulator.hunt;

import static io.replisim.simulator.hunt.InvariantsTest.holds;
import static io.replisim.simulator.hunt.InvariantsTest.violatedAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** app-consistent-schedule on hand-made traces, on real runs, and against planted bug b6's schedule. */
class AppConsistentScheduleTest {
    private final Invariant invariant = new AppConsistentSchedule();

    /** Tiny's one VM with 5-minute copies kept 2 hours, app-consistent every {@code hours}. */
    private static Scenario appEvery(int hours) {
        return Tiny.parse(Tiny.ONE_VM.formatted("4h").replace("policy: { copyFrequency: 5m }",
                "policy: { copyFrequency: 5m, retention: 2h, appConsistentEvery: " + hours + "h }"));
    }

    private static String at(double seconds) {
        return OffsetDateTime.parse("2026-01-05T08:00:00+01:00").plusNanos(Math.round(seconds * 1e9)).toString();
    }

    /** Point {@code n} of {@code vm}, created 10 s after its cycle's switch at {@code n x 300} s. */
    private static TraceBuilder point(TraceBuilder b, String vm, int n, boolean app) {
        return b.at(n * 300 + 10, "recovery-point.created", "vm", vm, "recoveryPoint", "rp-" + vm + "-" + n,
                "consistency", app ? "app" : "crash", "pointInTime", at(n * 300));
    }

    /** Points 1 to {@code last} of app01, app-consistent where {@code app} says. */
    private static TraceBuilder points(int last, IntPredicate app) {
        TraceBuilder b = new TraceBuilder();
        for (int n = 1; n <= last; n++) {
            point(b, "app01", n, app.test(n));
        }
        return b;
    }

    @Test
    void holdsWhenThePointAnHourAfterTheLastAppConsistentOneIsAppConsistent() {
        // 300 s, 3900 s, 7500 s: exactly an hour apart, which is due (at least, not more than)
        holds(invariant, appEvery(1), points(30, n -> n % 12 == 1).build());
        holds(invariant, appEvery(2), points(30, n -> n % 24 == 1).build());
    }

    @Test
    void failsWhenAnAppConsistentPointComesACycleLate() {
        // b6's schedule: the hour counted from 10 s after the switch, so point 13 is crash and 14 app;
        // judged against the labels before it, point 14 is due again: one violation, not a cascade
        TraceBuilder b = points(16, n -> n == 1 || n == 14);
        violatedAt(invariant, appEvery(1), b.build(), 12, "crash-consistent, but its pointInTime is PT1H after that of the"
                + " last app-consistent point, rp-app01-1, and the policy wants one every PT1H");
    }

    @Test
    void failsWhenAnAppConsistentPointComesEarly() {
        violatedAt(invariant, appEvery(1), points(16, n -> n == 1 || n == 12).build(), 11,
                "is app-consistent, but its pointInTime is only PT55M after that of the last app-consistent point, rp-app01-1");
    }

    @Test
    void theFirstPointIsAppConsistentUnlessTheFrequencyIsZero() {
        violatedAt(invariant, appEvery(1), points(1, n -> false).build(), 0, "it is the VM's first point");
        holds(invariant, appEvery(0), points(30, n -> false).build());
        violatedAt(invariant, appEvery(0), points(30, n -> n == 7).build(), 6, "frequency is 0 (off)");
    }

    @Test
    void eachVmKeepsItsOwnScheduleAcrossAResync() {
        // app02 starts 10 minutes later; app01's points all go at a resync's end at 1200 s, and its
        // schedule goes on from rp-app01-1 (the stack does not restart it: docs/domain.md)
        TraceBuilder b = new TraceBuilder();
        for (int n = 1; n <= 16; n++) {
            point(b, "app01", n, n == 1 || n == 13);
            if (n >= 3) {
                point(b, "app02", n, n == 3 || n == 15);
            }
            if (n == 4) {
                for (int k = 1; k <= 4; k++) {
                    b.at(1210, "recovery-point.pruned", "vm", "app01", "recoveryPoint", "rp-app01-" + k);
                }
                b.at(1210, "resync.finished", "vm", "app01", "blocksCompared", 8, "blocksSent", 1);
            }
        }
        holds(invariant, appEvery(1), b.build());
        TraceBuilder restarted = new TraceBuilder();
        point(point(point(restarted, "app01", 1, true), "app01", 2, false), "app01", 3, false)
                .at(910, "resync.finished", "vm", "app01", "blocksCompared", 8, "blocksSent", 1);
        long seq = restarted.next();
        violatedAt(invariant, appEvery(1), point(restarted, "app01", 4, true).build(), seq, "only PT15M after");
    }

    @Test
    void failsOnAConsistencyItDoesNotKnow() {
        TraceBuilder b = new TraceBuilder().at(310, "recovery-point.created", "vm", "app01", "recoveryPoint", "rp-app01-1",
                "consistency", "vss", "pointInTime", at(300));
        violatedAt(invariant, appEvery(1), b.build(), 0, "consistency vss, neither app nor crash");
    }

    /** Library scenarios with app-consistent points: off the grid after outages, and across a resync, a failback and a reprotect. */
    @ParameterizedTest
    @ValueSource(strings = {"copy-frequency-30s", "copy-frequency-5m", "copy-frequency-15m", "vmm-cloud", "failback-after-resync",
            "manual-resync"})
    void holdsOnRealRuns(String name) throws Exception {
        Scenario s = new ScenarioLoader().load(Path.of("../scenarios/library/" + name + ".yaml"));
        CheckedRun run = CheckedRun.of(s, s.effectiveSeed(), invariant);
        assertEquals(List.of(), run.violations());
        long app = run.trace().stream().filter(l -> l.is("recovery-point.created") && "app".equals(l.str("consistency"))).count();
        assertTrue(app >= 2, name + ": " + app + " app-consistent points, so the schedule was judged at least once");
    }

    /**
     * Over random policies, lengths and outages, the stack keeps the schedule, and b6's schedule
     * (the same run relabelled by {@link AppConsistentFromCreation}) fails exactly when its labels
     * differ, first at the first point they differ: up to there both were judged alike.
     */
    @Test
    void theStackKeepsTheScheduleAndB6FailsWhereverItsLabelsDiffer() {
        String[] copies = {"30s", "5m", "15m"};
        int[] differed = {0};
        qt().withFixedSeed(20260106L)
                .withExamples(16)
                .withShrinkCycles(4)
                .forAll(integers().between(0, 2), integers().between(0, 3), integers().between(2, 5), integers().between(0, 999))
                .checkAssert((copy, app, hours, outage) -> {
                    // an outage in two runs of three, from 20 minutes in to 20 before the end: cycles leave the grid
                    String faults = outage % 3 == 0 ? "" : "faults:\n  - { at: " + (20 + outage * (hours * 60 - 40) / 1000)
                            + "m, kind: network-outage, for: " + (7 + outage % 40) + "m }\n";
                    Scenario s = Tiny.parse(Tiny.ONE_VM.formatted(hours + "h").replace("policy: { copyFrequency: 5m }",
                            "policy: { copyFrequency: " + copies[copy] + ", retention: " + Math.max(app, 1) + "h, appConsistentEvery: "
                                    + app + "h }") + faults);
                    CheckedRun run = CheckedRun.of(s, outage, invariant);
                    assertEquals(List.of(), run.violations(), s.toString());
                    AppConsistentFromCreation b6 = new AppConsistentFromCreation(s.effectivePolicy().appConsistentEvery());
                    String relabelled = run.trace().stream().map(l -> b6.apply(l.text())).collect(Collectors.joining("\n", "", "\n"));
                    List<TraceLine> broken = TraceLine.parse(relabelled);
                    long firstDiffering = -1;
                    for (int i = 0; i < broken.size() && firstDiffering < 0; i++) {
                        if (!broken.get(i).text().equals(run.trace().get(i).text())) {
                            firstDiffering = broken.get(i).seq();
                        }
                    }
                    List<Violation> found = invariant.check(new RunEvidence(s.withSeed(outage), broken, GroundTruth.NONE));
                    if (firstDiffering < 0) {
                        assertEquals(List.of(), found);
                    } else {
                        differed[0]++;
                        assertEquals(firstDiffering, found.get(0).seq(), found.toString());
                    }
                });
        assertTrue(differed[0] >= 4, "b6 relabelled points in only " + differed[0] + " of 16 runs");
    }
}
