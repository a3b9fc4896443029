package io.replisim.junit;

import io.replisim.simulator.run.Backend;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.trace.TraceLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A scenario run being set up ({@link Replisim#run}); {@link #record()} or {@link #assertPassed()}
 * runs it. Unset options take the scenario's own seed and fidelity, the memory backend, the trace
 * level for the scenario's size, the invariants checked, and outputs kept in
 * {@code target/replisim/<scenario file>-<seed>/}.
 */
public final class ScenarioRun {
    private final Path file;
    private Long seed;
    private Fidelity fidelity;
    private Backend backend = Backend.MEMORY;
    private TraceLevel traceLevel;
    private boolean invariants = true;
    private boolean determinism;
    private Path outputs;

    ScenarioRun(Path file) {
        this.file = file;
    }

    /** Overrides the scenario's seed. */
    public ScenarioRun seed(long s) {
        seed = s;
        return this;
    }

    /** Overrides the scenario's fidelity. */
    public ScenarioRun fidelity(Fidelity f) {
        fidelity = f;
        return this;
    }

    /** Replicates to this Azure backend (default: memory). */
    public ScenarioRun backend(Backend b) {
        backend = b;
        return this;
    }

    /** The trace's level (default: full up to 100 VMs, states beyond). */
    public ScenarioRun traceLevel(TraceLevel level) {
        traceLevel = level;
        return this;
    }

    /** Does not check the stack's invariants on the trace ({@link #assertPassed()} checks them by default). */
    public ScenarioRun withoutInvariants() {
        invariants = false;
        return this;
    }

    /** Runs a second time with the same seed and requires a byte-identical trace. */
    public ScenarioRun checkingDeterminism() {
        determinism = true;
        return this;
    }

    /** Keeps the run's outputs (trace.jsonl, summary.json, report.html, junit.xml) in {@code dir}. */
    public ScenarioRun outputs(Path dir) {
        outputs = dir;
        return this;
    }

    /** Runs the scenario and returns its record, whether or not its expectations held. */
    public RunRecord record() {
        return check().record();
    }

    /**
     * Runs the scenario and returns its record; fails with a readable message when an expectation
     * does not hold, an invariant is broken or (if asked) the trace does not reproduce.
     */
    public RunRecord assertPassed() {
        return check().orFail();
    }

    private ScenarioCheck.Outcome check() {
        ScenarioCheck.Settings settings = new ScenarioCheck.Settings(seed, fidelity, backend, traceLevel, invariants, determinism);
        Path dir = outputs;
        if (dir == null) {
            String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            dir = Path.of("target", "replisim", name + (seed == null ? "" : "-" + seed));
        }
        try {
            return ScenarioCheck.run(file, settings, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the outputs of " + file + " into " + dir, e);
        }
    }
}
