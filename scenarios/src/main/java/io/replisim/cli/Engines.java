package io.replisim.cli;

import io.replisim.simulator.sweep.LocalEngine;
import io.replisim.simulator.sweep.SweepEngine;
import io.replisim.simulator.sweep.SweepEngineProvider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** The engine a command's --engine, --master and --threads choose: local, or one found on the class path (spark). */
final class Engines {
    private Engines() {}

    /** The engine, or null after saying on {@code stderr} why there is none. */
    static SweepEngine open(String command, String engine, String master, int threads, Path traces, Path out, PrintWriter stderr) {
        if (threads < 0) {
            stderr.println("replisim " + command + ": --threads " + threads + ": expected 0 (all cores) or more");
            return null;
        }
        if (engine.equals("local")) {
            if (master != null) {
                stderr.println("replisim " + command + ": --master is for the spark engine (--engine spark)");
                return null;
            }
            return new LocalEngine(threads, traces);
        }
        for (SweepEngineProvider p : ServiceLoader.load(SweepEngineProvider.class)) {
            if (p.name().equals(engine)) {
                return p.create(new SweepEngineProvider.Options(threads, traces, master, out));
            }
        }
        stderr.println("replisim " + command + ": --engine " + engine + (engine.equals("spark")
                ? ": the Spark engine comes with replisim-spark.jar (the spark module, docs/sweeps.md):"
                        + " java -jar spark/target/replisim-spark.jar " + command + " ... --engine spark"
                : ": expected local or spark"));
        return null;
    }
}
