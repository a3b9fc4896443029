package io.replisim.simulator.run;

/** Told how far a run is, between slices of simulated time; never influences the run. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (simulated, total, events) -> {};

    void progress(long simulatedNanos, long totalNanos, long events);

    /** A line about how the run was set up that the trace does not hold (which Azurite serves, say). */
    default void note(String line) {}
}
