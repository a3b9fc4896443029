package io.replisim.simulator.hunt;

/**
 * One of the invariants every run must keep (docs/architecture.md, Invariants on every run); see
 * {@link Invariants}.
 */
public interface Invariant extends TraceChecker {
    /** The invariant's name, as violations carry it: {@code no-data-loss}, {@code retry-ladder}, ... */
    String name();
}
