package io.replisim.simulator.hunt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The invariants every run must keep (docs/architecture.md, Invariants on every run), checked on its
 * trace: no data loss at any failover, the replica never ahead of its source, the retry ladder obeyed,
 * resync if and only if a trigger held, every job finished. docs/hunt.md states them precisely.
 */
public final class Invariants implements TraceChecker {

    private static final List<Invariant> ALL = List.of(new NoDataLoss(), new ReplicaNeverAhead(), new RetryLadderObeyed(),
            new ResyncIffTrigger(), new EveryJobFinished());

    private static final Invariants INSTANCE = new Invariants();

    private Invariants() {}

    /** A checker of all five invariants. */
    public static Invariants all() {
        return INSTANCE;
    }

    /** The five invariants, in the order docs/hunt.md lists them. */
    public static List<Invariant> list() {
        return ALL;
    }

    /** Every violation of every invariant, by seq (then by invariant). */
    @Override
    public List<Violation> check(List<TraceLine> trace) {
        List<Violation> found = new ArrayList<>();
        for (Invariant invariant : ALL) {
            found.addAll(invariant.check(trace));
        }
        found.sort(Comparator.comparingLong(Violation::seq));
        return List.copyOf(found);
    }

    /**
     * Checks a trace file, parsing its lines as the checks read them rather than all at once:
     * the heap a check needs does not grow with the trace.
     */
    public List<Violation> check(java.nio.file.Path traceFile) {
        return check(TraceFile.open(traceFile));
    }

    /** Parses a JSONL trace and checks it. */
    public List<Violation> check(String jsonl) {
        return check(TraceLine.parse(jsonl));
    }
}
