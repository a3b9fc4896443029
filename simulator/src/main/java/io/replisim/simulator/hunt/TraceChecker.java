package io.replisim.simulator.hunt;

import java.util.List;

/** Checks a finished run's trace; returns the violations found, in trace order (empty: all held). */
@FunctionalInterface
public interface TraceChecker {
    List<Violation> check(List<TraceLine> trace);
}
