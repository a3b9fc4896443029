package io.replisim.simulator.run;

/** Told how far a run is, between slices of simulated time; never influences the run. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (simulated, total, events) -> {};

    void progress(long simulatedNanos, long totalNanos, long events);
}
