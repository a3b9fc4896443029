package io.replisim.simulator.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * One point of a sweep, all an engine needs to run it anywhere (a thread here, a Spark executor
 * there): the scenario's text with the point's values set, the file it stands for (relative
 * profile CSVs are found beside it) and the seed.
 *
 * @param index    the point's place in the sweep (result rows come in this order)
 * @param values   the grid's values of this point, as result rows show them
 * @param seed     the run's seed
 * @param file     the base scenario file
 * @param scenario the point's scenario text
 * @param digest   SHA-256 of that text: with the seed, what identifies a point when a sweep is resumed
 */
public record SweepTask(int index, List<String> values, long seed, String file, String scenario, String digest)
        implements Serializable {
    public SweepTask {
        values = List.copyOf(values);
    }

    /** What identifies this point's result: the same scenario text and seed give the same row. */
    public String key() {
        return digest + "/" + seed;
    }
}
