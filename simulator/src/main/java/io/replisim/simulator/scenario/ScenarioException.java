package io.replisim.simulator.scenario;

import java.util.List;
import java.util.stream.Collectors;

/** A scenario file that cannot be run, with every located problem found. */
public final class ScenarioException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ScenarioError> errors;

    public ScenarioException(List<ScenarioError> errors) {
        super(errors.stream().map(ScenarioError::format).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ScenarioError> errors() {
        return errors;
    }
}
