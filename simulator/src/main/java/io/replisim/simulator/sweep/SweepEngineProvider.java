package io.replisim.simulator.sweep;

import java.nio.file.Path;

/**
 * An engine that is not part of the core (the spark module's), found with
 * {@link java.util.ServiceLoader} when its jar is on the class path, so the core CLI stays small.
 */
public interface SweepEngineProvider {
    /** The name {@code --engine} chooses it by. */
    String name();

    /** An engine for these options. */
    SweepEngine create(Options options);

    /**
     * What a sweep asks of its engine.
     *
     * @param threads how many points run side by side where that applies (0: all cores)
     * @param traces  where each point's trace is kept, or null
     * @param master  the cluster to run on (Spark's master URL), or null for the engine's default
     * @param out     the sweep's output folder, where an engine may write more (Parquet)
     */
    record Options(int threads, Path traces, String master, Path out) {}
}
