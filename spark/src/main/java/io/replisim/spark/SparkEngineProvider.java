package io.replisim.spark;

import io.replisim.simulator.sweep.SweepEngine;
import io.replisim.simulator.sweep.SweepEngineProvider;

/** {@code --engine spark}: found by the CLI's ServiceLoader when replisim-spark.jar is on the class path. */
public final class SparkEngineProvider implements SweepEngineProvider {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public SweepEngine create(Options options) {
        return new SparkEngine(options);
    }
}
