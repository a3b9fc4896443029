package io.replisim.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs every scenario file under the named folders as a test of its own, named after the file:
 * <pre>
 * &#64;ReplisimScenarios("src/test/scenarios")
 * class ScenarioSuiteTest {}
 * </pre>
 * A scenario's test fails when one of its expectations does not hold, when the run breaks an
 * invariant of the replication stack (full traces), when the same seed does not give the same
 * trace again ({@link #determinism()}), or when the file is not a valid scenario; the message
 * says what was expected and what happened, quotes the first trace line that matters and gives
 * the command that reproduces the run. Each test keeps its run's outputs (trace.jsonl,
 * summary.json, report.html, junit.xml) in {@code <output>/<class>/<scenario>/}.
 *
 * <p>The replisim test engine (in this artifact, found by the JUnit Platform) runs the class;
 * the class needs no methods, and Jupiter's own tests in it run as usual.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface ReplisimScenarios {
    /** Scenario folders (searched recursively for *.yaml and *.yml) or files, relative to the working directory. */
    String[] value();

    /** Run each scenario a second time with the same seed and require a byte-identical trace. */
    boolean determinism() default false;

    /** Check the stack's invariants on each run's trace (runs with a full trace: up to 100 VMs by default). */
    boolean invariants() default true;

    /** Overrides every scenario's fidelity: {@code bytes}, {@code model} or {@code flow}; empty: each scenario's own. */
    String fidelity() default "";

    /** Where each test keeps its run's outputs, relative to the working directory. */
    String output() default "target/replisim";
}
