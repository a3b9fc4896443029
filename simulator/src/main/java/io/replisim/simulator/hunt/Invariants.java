package io.replisim.simulator.hunt;

import io.replisim.simulator.scenario.Scenario;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The invariants every run must keep (docs/architecture.md, Invariants on every run), checked on
 * its trace against the scenario and the fakes' ground truth: no data loss at any failover, the
 * replica never ahead of its source, the retry ladder obeyed, resync if and only if a trigger
 * held, every job finished, only differing blocks sent, health as docs/domain.md's rules give it, automatic
 * resyncs outside office hours, recovery points within the retention, app-consistent points on the
 * policy's schedule. docs/hunt.md states them precisely.
 */
public final class Invariants implements TraceChecker {

    private static final List<Invariant> ALL = List.of(new NoDataLoss(), new ReplicaNeverAhead(), new RetryLadderObeyed(),
            new UplinkWithinCapacity(), new ResyncIffTrigger(), new SendsOnlyDifferingBlocks(), new EveryJobFinished(),
            new HealthFollowsRules(), new ResyncOutsideOfficeHours(), new RecoveryPointsWithinRetention(), new AppConsistentSchedule());

    private static final Invariants INSTANCE = new Invariants();

    private Invariants() {}

    /** A checker of every invariant. */
    public static Invariants all() {
        return INSTANCE;
    }

    /** The invariants, in the order docs/hunt.md lists them. */
    public static List<Invariant> list() {
        return ALL;
    }

    /** Every violation of every invariant, by seq (then by invariant). */
    @Override
    public List<Violation> check(RunEvidence run) {
        List<Violation> found = new ArrayList<>();
        for (Invariant invariant : ALL) {
            found.addAll(invariant.check(run));
        }
        found.sort(Comparator.comparingLong(Violation::seq));
        return List.copyOf(found);
    }

    /**
     * Checks a trace file of {@code scenario}'s run, parsing its lines as the checks read them rather
     * than all at once: the heap a check needs does not grow with the trace.
     */
    public List<Violation> check(Scenario scenario, java.nio.file.Path traceFile, GroundTruth truth) {
        return check(new RunEvidence(scenario, TraceFile.open(traceFile), truth));
    }

    /** Parses a JSONL trace of {@code scenario}'s run, not probed, and checks it. */
    public List<Violation> check(Scenario scenario, String jsonl) {
        return check(new RunEvidence(scenario, TraceLine.parse(jsonl), GroundTruth.NONE));
    }
}
