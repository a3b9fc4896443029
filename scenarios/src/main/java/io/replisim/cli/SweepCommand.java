package io.replisim.cli;

import io.replisim.reports.SweepReport;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.sweep.Sweep;
import io.replisim.simulator.sweep.SweepEngine;
import io.replisim.simulator.sweep.SweepResults;
import io.replisim.simulator.sweep.SweepRow;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a scenario over a grid of field values and seeds (docs/sweeps.md): one run per point, on all cores.",
            "Writes results.csv (one row per point: the grid's values, the seed and the run's figures) and report.html (the figures against the grid, with the seeds' spread) into the output folder. Points already in the folder are not run again, so an interrupted sweep resumes.",
            "Exit 0 when the sweep ran (1 with --check when a point's expectations failed), 2 on invalid input, 3 on an internal error, 4 when the environment stopped it (an output folder not writable, a full disk)."
        })
final class SweepCommand implements Callable<Integer> {
    /** Rows printed on the terminal; the rest are in results.csv. */
    private static final int PRINTED_ROWS = 40;

    @Parameters(paramLabel = "SWEEP", description = "The sweep file (YAML): scenario, grid and seeds.")
    Path file;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local",
            description = "Where the points run: local (a pool of this machine's threads) or spark (Apache Spark, with replisim-spark.jar of the spark module). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "The Spark master (spark engine): local[*], spark://host:7077, yarn, k8s://... Default: what spark-submit set, else local[*].")
    String master;

    @Option(names = "--threads", paramLabel = "N", description = "Points run side by side. Default: all cores.")
    int threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/sweep-<name>/")
    Path out;

    @Option(names = "--keep-traces", description = "Keep each point's trace as traces/point-<n>.trace.jsonl.")
    boolean keepTraces;

    @Option(names = "--check", description = "Exit 1 if the expectations of any point failed (a CI suite over seeds).")
    boolean check;

    @Option(names = "--quiet", description = "Print nothing but errors.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try (SweepEngine probe = Engines.open("sweep", engine, master, threads, null, null, stderr)) {
            if (probe == null) { // the engine's flags are checked before the sweep file is read
                return Main.INVALID_INPUT;
            }
        }
        Sweep sweep;
        try {
            sweep = Sweep.load(file);
        } catch (ScenarioException e) {
            for (ScenarioError error : e.errors()) {
                stderr.println(error.format());
            }
            return Main.INVALID_INPUT;
        }
        Path dir = out != null ? out : Path.of("runs", "sweep-" + sweep.name());
        Path traces = keepTraces ? dir.resolve("traces") : null;
        String unwritable = Outputs.prepare(traces != null ? traces : dir);
        if (unwritable != null) {
            stderr.println("replisim sweep: --out " + dir + ": " + unwritable);
            return Main.ENVIRONMENT;
        }
        StatusLine line = new StatusLine(stderr, System.console() != null && !quiet);
        long wallStart = System.nanoTime();
        int[] skipped = {0};
        SweepEngine chosen = Engines.open("sweep", engine, master, threads, traces, dir, stderr);
        if (chosen == null) {
            return Main.INVALID_INPUT;
        }
        List<SweepRow> rows;
        try (SweepEngine runner = chosen) {
            rows = SweepResults.run(sweep, dir, runner, new SweepResults.Progress() {
                @Override
                public void started(int points, int alreadyDone) {
                    skipped[0] = alreadyDone;
                    line.show(String.format(Locale.ROOT, "sweep %s: %d points, %d already done", sweep.name(), points, alreadyDone));
                }

                @Override
                public void finished(SweepRow row, int done, int points) {
                    line.show(String.format(Locale.ROOT, "sweep %s: %d/%d points (point %d, seed %d)", sweep.name(), done, points,
                            row.index(), row.seed()));
                }
            });
        }
        line.clear();
        double wall = (System.nanoTime() - wallStart) / 1e9;
        Path report = dir.resolve("report.html");
        Files.writeString(report, SweepReport.render(sweep, rows));
        long failed = rows.stream().filter(r -> !r.passed()).count();
        if (!quiet) {
            print(stdout, sweep, rows);
            int ran = rows.size() - skipped[0];
            stdout.printf(Locale.ROOT, "sweep %s: %d points (%d run in %.1f s, %d found in %s), %d with failed expectations%n",
                    sweep.name(), rows.size(), ran, wall, skipped[0], dir, failed);
            stdout.println("wrote " + dir.resolve(SweepResults.RESULTS) + " and " + report);
        }
        return check && failed > 0 ? Main.EXPECTATION_FAILED : Main.OK;
    }

    /** A table of the main figures, the first rows only when there are many. */
    private static void print(PrintWriter out, Sweep sweep, List<SweepRow> rows) {
        List<String> header = new ArrayList<>(List.of("point"));
        sweep.axes().forEach(a -> header.add(a.path()));
        header.addAll(List.of("seed", "passed", "IR end", "RPO p95", "RPO max", "resyncs", "sent"));
        List<List<String>> table = new ArrayList<>();
        table.add(header);
        for (SweepRow r : rows.subList(0, Math.min(PRINTED_ROWS, rows.size()))) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.index())));
            cells.addAll(r.values());
            cells.addAll(List.of(Long.toString(r.seed()), r.expectationsHeld() + "/" + r.expectations(),
                    r.irEndSeconds() < 0 ? "never" : duration(r.irEndSeconds()), duration(r.rpoP95Seconds()),
                    duration(r.rpoMaxSeconds()), Long.toString(r.resyncs()), bytes(r.bytesSent())));
            table.add(cells);
        }
        TextTable.print(out, table);
        if (rows.size() > PRINTED_ROWS) {
            out.println("... " + (rows.size() - PRINTED_ROWS) + " more rows in results.csv");
        }
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        }
        return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
    }

    private static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? b + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
