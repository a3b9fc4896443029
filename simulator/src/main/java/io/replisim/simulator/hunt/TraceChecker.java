package io.replisim.simulator.hunt;

import java.util.List;

/** Checks a finished run; returns the violations found, in trace order (empty: all held). */
@FunctionalInterface
public interface TraceChecker {
    List<Violation> check(RunEvidence run);
}
