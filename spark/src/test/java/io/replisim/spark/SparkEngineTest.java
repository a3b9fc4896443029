package io.replisim.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.cli.Main;
import io.replisim.simulator.sweep.LocalEngine;
import io.replisim.simulator.sweep.Sweep;
import io.replisim.simulator.sweep.SweepEngineProvider;
import io.replisim.simulator.sweep.SweepResults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real SparkSession on local[2], in this JVM: the same rows as the local engine, and the CLI finds the engine. */
class SparkEngineTest {
    /** The bundled small site (three VMs, model fidelity, 3 hours): a point takes a few tens of milliseconds. */
    private static final Path BASE = Path.of("../scenarios/sweeps/small-site.yaml").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void sparkGivesTheLocalEnginesRowsInTheSameOrderAndWritesParquet() throws Exception {
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, "scenario: " + BASE + "\ngrid:\n  site.uplink.bandwidth: [2Mbps, 5Mbps, 20Mbps]\n"
                + "  policy.copyFrequency: [30s, 5m]\nseeds: 2\n");
        Sweep sweep = Sweep.load(file);
        Path local = dir.resolve("local");
        Path spark = dir.resolve("spark");
        SweepResults.run(sweep, local, new LocalEngine(2, null), SweepResults.Progress.NONE);
        try (SparkEngine engine = new SparkEngine(new SweepEngineProvider.Options(2, null, "local[2]", spark))) {
            SweepResults.run(sweep, spark, engine, SweepResults.Progress.NONE);
            assertEquals(Files.readString(local.resolve("results.csv")), Files.readString(spark.resolve("results.csv")));
            var parquet = SparkSession.active().read().parquet(spark.resolve("results.parquet").toString());
            assertEquals(12, parquet.count());
            assertEquals(4, parquet.filter("`site.uplink.bandwidth` = '2Mbps' AND ir_end_s > 600 AND vms = 3").count(),
                    "typed columns: the 2 Mbps points' initial replication ends after 10 minutes");
        }
    }

    @Test
    void theCliRunsASweepOnSparkAndTheMasterDefaultsToTheLocalCores() throws Exception {
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, "scenario: " + BASE + "\ngrid:\n  site.uplink.bandwidth: [2Mbps, 20Mbps]\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new String[] {"sweep", file.toString(), "--engine", "spark", "--master", "local[2]", "--out",
                dir.resolve("out").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("2 points (2 run in"), out.toString());
        assertTrue(Files.isDirectory(dir.resolve("out/results.parquet")));
        assertEquals("local[*]", new SparkEngine(new SweepEngineProvider.Options(0, null, null, dir)).master());
        assertEquals("local[3]", new SparkEngine(new SweepEngineProvider.Options(3, null, null, dir)).master());
    }

    @Test
    void aHuntChecksItsRunsOnSparkAndFindsWhatTheLocalHuntFinds() {
        String[] hunt = {"hunt", BASE.toString(), "--runs", "4", "--max-faults", "1", "--max-actions", "1", "--seed", "5"};
        StringWriter local = new StringWriter();
        assertEquals(0, Main.execute(concat(hunt, "--out", dir.resolve("l").toString()), new PrintWriter(local, true),
                new PrintWriter(new StringWriter(), true)));
        StringWriter spark = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.execute(concat(hunt, "--engine", "spark", "--master", "local[2]", "--out", dir.resolve("s").toString()),
                new PrintWriter(spark, true), new PrintWriter(err, true)), err.toString());
        String held = "hunt small-site (seed 5): 4 runs, every invariant held";
        assertTrue(local.toString().startsWith(held) && spark.toString().startsWith(held), local + " / " + spark);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
