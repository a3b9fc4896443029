package io.replisim.simulator.hunt;

/** One of the invariants every run must keep (DESIGN.md, principle 6); see {@link Invariants}. */
public interface Invariant extends TraceChecker {
    /** The invariant's name, as violations carry it: {@code no-data-loss}, {@code retry-ladder}, ... */
    String name();
}
