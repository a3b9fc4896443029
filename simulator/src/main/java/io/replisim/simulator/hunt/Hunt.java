package io.replisim.simulator.hunt;

import io.replisim.simulator.kernel.RandomStreams;
import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.sweep.SweepEngine;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Random fault search (issue 6, item 4): runs a scenario many times under random fault schedules,
 * administrator actions and seeds, checks the invariants on every run, and shrinks the first
 * failure to a minimal failing scenario. Everything follows from the scenario and the hunt's seed
 * {@code S}: run {@code i} has the seed {@link #seedOfRun(long, int)}, the faults drawn from the
 * stream {@code hunt/faults/<i>} of {@code S} and the actions from {@code hunt/actions/<i>}, so
 * a hunt is reproducible and any run can be replayed alone. A hunt over shapes first replaces the
 * scenario's topology, policy, workloads and duration by a shape drawn from
 * {@code hunt/shape/<i>} ({@link RandomShapes}). No wall clock: timing is the caller's business.
 */
public final class Hunt {
    /** At most this many random faults per run, unless told otherwise. */
    public static final int DEFAULT_MAX_FAULTS = 4;
    /** At most this many random administrator episodes (failovers and what follows them, ...) per run, unless told otherwise. */
    public static final int DEFAULT_MAX_ACTIONS = 2;

    /** Told how the hunt goes. */
    public interface Listener {
        /** Run {@code run} (from 0) is about to start. */
        default void runStarted(int run, long seed, Scenario scenario) {}

        /** Run {@code run} ended; {@code result.held()} says whether every invariant held. */
        default void runFinished(int run, CheckedRun result) {}

        /** A shrinking step was tried. */
        default void shrinkStep(String step, boolean kept, CheckedRun current) {}
    }

    /** The first failure: the run that failed, the violation, and the minimal scenario it shrank to. */
    public record Failure(int run, CheckedRun failing, Violation violation, Shrinker.Result shrunk) {}

    /**
     * How a hunt ended: how many runs, the first failure (null when every run held), and how
     * many runs failed (more than one only when the hunt kept going past the first).
     */
    public record Result(int runs, Failure failure, int failed) {
        public Result(int runs, Failure failure) {
            this(runs, failure, failure == null ? 0 : 1);
        }

        public boolean held() {
            return failure == null;
        }
    }

    private final TraceChecker checker;
    private final int maxFaults;
    private final int maxActions;
    private final boolean shapes;

    public Hunt(TraceChecker checker, int maxFaults, int maxActions) {
        this(checker, maxFaults, maxActions, false);
    }

    /** With {@code shapes}, every run draws its own shape ({@link RandomShapes}) from the base scenario. */
    public Hunt(TraceChecker checker, int maxFaults, int maxActions, boolean shapes) {
        if (maxFaults < 0 || maxActions < 0) {
            throw new IllegalArgumentException("maxFaults and maxActions cannot be negative: " + maxFaults + ", " + maxActions);
        }
        this.checker = checker;
        this.maxFaults = maxFaults;
        this.maxActions = maxActions;
        this.shapes = shapes;
    }

    public Hunt() {
        this(Invariants.all(), DEFAULT_MAX_FAULTS, DEFAULT_MAX_ACTIONS);
    }

    /** The seed of run {@code run} of a hunt seeded {@code huntSeed}: non-negative, below 2^31. */
    public static long seedOfRun(long huntSeed, int run) {
        return new RandomStreams(huntSeed).stream("hunt/seed/" + run).nextLong(1L << 31);
    }

    /**
     * The scenario run {@code run} runs: {@code base} (or, hunting over shapes, the shape drawn for
     * it from {@code base}) with the faults and actions drawn for it, and without expectations.
     */
    public Scenario scenarioOfRun(Scenario base, long huntSeed, int run) {
        RandomStreams streams = new RandomStreams(huntSeed);
        if (shapes) {
            base = RandomShapes.draw(base, streams.stream("hunt/shape/" + run));
        }
        RandomFaults.Schedule faults = RandomFaults.draw(base, streams.stream("hunt/faults/" + run), maxFaults);
        List<ActionSpec> actions = new ArrayList<>(faults.actions());
        actions.addAll(RandomActions.draw(base, streams.stream("hunt/actions/" + run), maxActions));
        return RandomFaults.apply(base, new RandomFaults.Schedule(faults.faults(), actions)).withSeed(seedOfRun(huntSeed, run));
    }

    /** The hunt's base scenario as a file's text, so that any machine can draw run {@code i} from it as this one does. */
    public record Source(String file, String text) implements Serializable {
        /** The scenario the hunt starts from: the file's, on its first site. */
        public Scenario load() throws ScenarioException {
            Scenario s = new ScenarioLoader().parse(Path.of(file), text);
            return s.withSite(s.effectiveSites().get(0));
        }
    }

    /** Makes the checker where a run is checked (an engine may check runs on other machines). */
    @FunctionalInterface
    public interface Checkers extends Serializable {
        TraceChecker make();
    }

    /** Runs in a batch on an engine: at most this many run past the first failure, for nothing. */
    static final int BATCH = 16;

    /** What a run checked on an engine sends back: its violations and the trace lines they point at. */
    record Verdict(ArrayList<Violation> violations, ArrayList<String> lines) implements Serializable {
        static Verdict of(CheckedRun r) {
            ArrayList<String> lines = new ArrayList<>();
            for (Violation v : r.violations()) {
                TraceLine l = r.line(v.seq());
                if (l != null) {
                    lines.add(l.text());
                }
            }
            return new Verdict(new ArrayList<>(r.violations()), lines);
        }

        /** The run as far as the verdict tells it: the violations and the lines they point at. */
        CheckedRun toRun(Scenario scenario) {
            return new CheckedRun(scenario, scenario.seed(), lines.stream().map(TraceLine::parseLine).toList(), violations);
        }
    }

    /** As {@link #run(Source, long, int, Listener, SweepEngine, Checkers, boolean)}, stopping at the first failure. */
    public Result run(Source source, long huntSeed, int runs, Listener listener, SweepEngine engine, Checkers checkers)
            throws Exception {
        return run(source, huntSeed, runs, listener, engine, checkers, false);
    }

    /**
     * As {@link #run(Scenario, long, int, Listener)}, the runs checked on {@code engine} in
     * batches; the same runs, verdicts, first failure and shrinking, told to the listener in the
     * same order. The first failing run is run again here, whole, to be shrunk. With
     * {@code keepGoing} every run is checked whatever fails (each failure told to the listener),
     * and the first failure is shrunk once all have run.
     */
    public Result run(Source source, long huntSeed, int runs, Listener listener, SweepEngine engine, Checkers checkers,
                      boolean keepGoing) throws Exception {
        Listener l = listener == null ? new Listener() {} : listener;
        Scenario base = source.load();
        int maxF = maxFaults;
        int maxA = maxActions;
        boolean drawShapes = shapes;
        int failedRun = -1;
        CheckedRun failing = null;
        int failed = 0;
        for (int start = 0; start < runs; start += BATCH) {
            List<Integer> batch = new ArrayList<>();
            for (int i = start; i < Math.min(runs, start + BATCH); i++) {
                batch.add(i);
            }
            List<Verdict> verdicts = engine.map(batch, run -> {
                Hunt there = new Hunt(checkers.make(), maxF, maxA, drawShapes);
                Scenario s;
                try {
                    s = there.scenarioOfRun(source.load(), huntSeed, run);
                } catch (ScenarioException e) { // it loaded here before the hunt began
                    throw new IllegalStateException(e.errors().get(0).format(), e);
                }
                return Verdict.of(CheckedRun.of(s, s.seed(), there.checker));
            });
            for (int k = 0; k < batch.size(); k++) {
                int i = batch.get(k);
                Scenario scenario = scenarioOfRun(base, huntSeed, i);
                l.runStarted(i, scenario.seed(), scenario);
                Verdict verdict = verdicts.get(k);
                if (verdict.violations().isEmpty()) {
                    l.runFinished(i, new CheckedRun(scenario, scenario.seed(), List.of(), List.of()));
                    continue;
                }
                failed++;
                if (failing != null) {
                    l.runFinished(i, verdict.toRun(scenario));
                    continue;
                }
                failing = CheckedRun.of(scenario, scenario.seed(), checker);
                failedRun = i;
                l.runFinished(i, failing);
                if (!keepGoing) {
                    return shrunk(i + 1, failedRun, failing, failed, l);
                }
            }
        }
        return failing == null ? new Result(runs, null) : shrunk(runs, failedRun, failing, failed, l);
    }

    private Result shrunk(int runs, int failedRun, CheckedRun failing, int failed, Listener l) {
        Violation first = failing.violations().get(0);
        Shrinker.Result shrunk = new Shrinker(checker, l::shrinkStep).shrink(failing, first);
        return new Result(runs, new Failure(failedRun, failing, first, shrunk), failed);
    }

    /** Runs up to {@code runs} runs; stops at the first that violates an invariant, and shrinks it. */
    public Result run(Scenario base, long huntSeed, int runs, Listener listener) {
        Listener l = listener == null ? new Listener() {} : listener;
        for (int i = 0; i < runs; i++) {
            Scenario scenario = scenarioOfRun(base, huntSeed, i);
            long seed = scenario.seed();
            l.runStarted(i, seed, scenario);
            CheckedRun result = CheckedRun.of(scenario, seed, checker);
            l.runFinished(i, result);
            if (!result.held()) {
                Violation first = result.violations().get(0);
                Shrinker.Result shrunk = new Shrinker(checker, l::shrinkStep).shrink(result, first);
                return new Result(i + 1, new Failure(i, result, first, shrunk));
            }
        }
        return new Result(runs, null);
    }
}
