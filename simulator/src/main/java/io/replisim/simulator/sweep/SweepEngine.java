package io.replisim.simulator.sweep;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a sweep's points: on this machine's cores ({@link LocalEngine}) or elsewhere (the spark
 * module). Whatever the engine and its parallelism, the rows are the same and come back in
 * point order: each is a function of its task alone.
 */
public interface SweepEngine extends AutoCloseable {
    /**
     * Runs {@code tasks} and returns their rows in the tasks' order; {@code done} hears of each
     * row as it finishes (in any order, on any thread), so a sweep's progress can be kept.
     */
    List<SweepRow> run(List<SweepTask> tasks, Consumer<SweepRow> done) throws Exception;

    /**
     * Applies {@code fn} to every input on this engine (other runs than a sweep's points: a
     * hunt's); the results in the inputs' order.
     */
    <T extends Serializable, R extends Serializable> List<R> map(List<T> inputs, RemoteFunction<T, R> fn) throws Exception;

    /** Every row of the sweep is in {@code out}'s results.csv: an engine may write them in its own forms too. */
    default void written(Sweep sweep, List<SweepRow> rows, Path out) throws Exception {}

    /** Releases what the engine holds (a Spark session). */
    @Override
    default void close() throws Exception {}
}
