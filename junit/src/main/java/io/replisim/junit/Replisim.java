package io.replisim.junit;

import java.nio.file.Path;

/**
 * A single scenario run in a test, fluently:
 * <pre>
 * RunRecord r = Replisim.run(Path.of("src/test/scenarios/outage.yaml")).seed(7).fidelity(Fidelity.MODEL).assertPassed();
 * assertEquals(1, r.vms().get(0).resyncs());
 * </pre>
 */
public final class Replisim {
    private Replisim() {}

    /** A run of the scenario file {@code scenario} with its own seed and fidelity, on the memory backend. */
    public static ScenarioRun run(Path scenario) {
        return new ScenarioRun(scenario);
    }

    /** {@link #run(Path)} for a path given as a string. */
    public static ScenarioRun run(String scenario) {
        return run(Path.of(scenario));
    }
}
