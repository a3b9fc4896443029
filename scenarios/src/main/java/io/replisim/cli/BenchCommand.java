package io.replisim.cli;

import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.trace.TraceLevel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs fleets and prints what they cost: wall time, simulated VM-days per second, kernel events
 * per second, peak heap and trace bytes. Without files it generates the fleets the capacity
 * targets name (benchmarks/README.md); with files it runs those. A benchmark, not a test: it
 * prints figures and always passes unless a run fails to start.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs fleets and prints wall time, simulated VM-days per second, kernel events per second, peak heap and trace bytes.",
            "Without SCENARIO files, generates fleets of --vms VMs (sites of 20-200 VMs, 2 disks each, 127-512 GiB,"
                    + " churn with an hourly pattern, 5-minute copy frequency, a bandwidth profile per site) for --days days"
                    + " into --out, where 'replisim run' can run them again.",
            "Exit 0 when every run ran (1 when a run's expectations failed), 2 on invalid input (a file, a flag), 3 on an internal error, 4 when the environment stopped it (an output folder not writable, a full disk)."
        })
final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Scenario files to run instead of generated fleets (plan files with --plans).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--vms", paramLabel = "N[,N...]", split = ",", description = "Fleet sizes to generate. Default: 1000,10000.")
    List<Integer> vms = List.of(1000, 10000);

    @Option(names = "--days", paramLabel = "D", description = "Simulated days of a generated fleet. Default: 31.")
    int days = 31;

    @Option(names = "--fidelity", paramLabel = "LEVEL", description = "Fidelity of a generated fleet. Default: flow.")
    String fidelity = "flow";

    @Option(names = "--trace", paramLabel = "LEVEL", description = "full, states or none. Default: states.")
    String trace = "states";

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the sites. Default: all cores.")
    int threads;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the generated fleets and their runs. Default: 2026.")
    long seed = 2026;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the generated fleets and the traces go. Default: runs/bench/")
    Path out = Path.of("runs", "bench");

    @Option(names = "--plans", description = "Answer capacity plans instead: the given PLAN files, or the bundled example"
            + " (scenarios/planner/example.yaml, when run from the project) and a generated plan of the first of --vms VMs over"
            + " --days days with --plan-seeds seeds; prints each step's wall time and the simulated VM-days.")
    boolean plans;

    @Option(names = "--plan-seeds", paramLabel = "N", description = "Seeds of a generated plan. Default: 10.")
    int planSeeds = 10;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One run's figures. */
    record Figures(String name, int vms, double days, int sites, double wallSeconds, long events, long peakHeapBytes,
                   long traceBytes, boolean passed) {
        double vmDaysPerSecond() {
            return vms * days / wallSeconds;
        }

        double eventsPerSecond() {
            return events / wallSeconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        TraceLevel level = TraceLevel.of(trace);
        if (level == null) {
            stderr.println("replisim: --trace " + trace + ": expected full, states or none");
            return Main.INVALID_INPUT;
        }
        if (!List.of("bytes", "model", "flow").contains(fidelity)) {
            stderr.println("replisim: --fidelity " + fidelity + ": expected bytes, model or flow");
            return Main.INVALID_INPUT;
        }
        if (days < 1 || threads < 0 || vms.stream().anyMatch(n -> n < BenchFleet.MIN_SITE)) {
            stderr.println("replisim: --days must be 1 or more, --threads 0 or more, and each of --vms at least "
                    + BenchFleet.MIN_SITE + " (a site's least)");
            return Main.INVALID_INPUT;
        }
        if (plans) {
            return plans(stdout, stderr);
        }
        List<Path> scenarios = new ArrayList<>(files);
        if (scenarios.isEmpty()) {
            for (int n : vms) {
                scenarios.add(BenchFleet.write(out.resolve("fleet-" + n), "fleet-" + n, n, days, fidelity, seed));
            }
        }
        List<Scenario> loaded = new ArrayList<>();
        for (Path f : scenarios) {
            try {
                loaded.add(new ScenarioLoader().load(f));
            } catch (ScenarioException e) {
                e.errors().forEach(err -> stderr.println(err.format()));
                return Main.INVALID_INPUT;
            }
        }
        stdout.printf(Locale.ROOT, "replisim bench: %d cores, max heap %s, Java %s, GC %s, trace %s%n",
                Runtime.getRuntime().availableProcessors(), mib(Runtime.getRuntime().maxMemory()),
                System.getProperty("java.version"), ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(java.lang.management.GarbageCollectorMXBean::getName).collect(java.util.stream.Collectors.joining(" + ")),
                level.label());
        stdout.printf(Locale.ROOT, "%-22s %7s %6s %5s %9s %12s %12s %13s %10s %11s%n", "scenario", "VMs", "days", "sites",
                "wall s", "VM-days/s", "events", "events/s", "peak heap", "trace");
        boolean all = true;
        for (int i = 0; i < loaded.size(); i++) {
            Figures f = run(loaded.get(i), scenarios.get(i), level, stderr);
            all &= f.passed();
            stdout.printf(Locale.ROOT, "%-22s %7d %6.1f %5d %9.1f %12.1f %12d %13.0f %10s %11s%s%n", f.name(), f.vms(), f.days(),
                    f.sites(), f.wallSeconds(), f.vmDaysPerSecond(), f.events(), f.eventsPerSecond(), mib(f.peakHeapBytes()),
                    level == TraceLevel.NONE ? "none" : mib(f.traceBytes()), f.passed() ? "" : "  (expectations failed)");
            stdout.flush();
        }
        return all ? Main.OK : Main.EXPECTATION_FAILED;
    }

    /** Answers each plan once and prints what each step took. */
    private int plans(PrintWriter stdout, PrintWriter stderr) throws Exception {
        List<Path> planFiles = new ArrayList<>(files);
        if (planFiles.isEmpty()) {
            Path example = Path.of("scenarios", "planner", "example.yaml");
            if (Files.exists(example)) {
                planFiles.add(example);
            }
            int n = vms.get(0);
            planFiles.add(BenchPlan.write(out.resolve("plan-" + n), "plan-" + n, n, days, planSeeds, seed));
        }
        List<io.replisim.simulator.plan.PlanInput> inputs = new ArrayList<>();
        for (Path f : planFiles) {
            try {
                inputs.add(io.replisim.simulator.plan.PlanLoader.load(f));
            } catch (ScenarioException e) {
                e.errors().forEach(err -> stderr.println(err.format()));
                return Main.INVALID_INPUT;
            }
        }
        stdout.printf(Locale.ROOT, "replisim bench --plans: %d cores, max heap %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                mib(Runtime.getRuntime().maxMemory()), System.getProperty("java.version"));
        stdout.printf(Locale.ROOT, "%-14s %5s %5s %5s %5s %10s %13s %10s %10s %9s %11s%n", "plan", "VMs", "sites", "days", "seeds",
                "steady s", "search s", "IR s", "total s", "VM-days", "VM-days/s");
        for (io.replisim.simulator.plan.PlanInput input : inputs) {
            List<Double> steps = new ArrayList<>();
            long[] last = {System.nanoTime()};
            long t0 = last[0];
            var result = io.replisim.simulator.plan.Planner.plan(input, "plan", new io.replisim.simulator.plan.Planner.Options(threads,
                    line -> {
                        long now = System.nanoTime();
                        steps.add((now - last[0]) / 1e9);
                        last[0] = now;
                    }));
            double total = (System.nanoTime() - t0) / 1e9;
            var work = result.work();
            stdout.printf(Locale.ROOT, "%-14s %5d %5d %5.0f %5d %10.1f %13s %10s %10.1f %9.0f %11.1f%n", result.plan(), result.vms().size(),
                    result.sites().size(), result.horizonSeconds() / 86400.0, result.seeds(), steps.get(0),
                    String.format(Locale.ROOT, "%.1f (%d)", steps.get(1), work.probes()),
                    String.format(Locale.ROOT, "%.1f (%d)", steps.get(2), work.irRuns()), total, work.vmDays(), work.vmDays() / total);
            stdout.flush();
        }
        return Main.OK;
    }

    private Figures run(Scenario s, Path file, TraceLevel level, PrintWriter stderr) throws IOException {
        Path dir = out.resolve("runs");
        Files.createDirectories(dir);
        Path tracePath = dir.resolve(s.name() + ".trace.jsonl");
        int vmCount = s.effectiveSites().stream().mapToInt(site -> site.hosts().stream().mapToInt(h -> h.vms().size()).sum()).sum();
        HeapPeak peak = new HeapPeak();
        Progress progress = Progress.forTerminal(stderr, false);
        System.gc(); // start from what the previous run left, not its garbage
        peak.start();
        long t0 = System.nanoTime();
        RunRecord r;
        try (BufferedWriter w = level == TraceLevel.NONE ? null : Files.newBufferedWriter(tracePath, StandardCharsets.UTF_8)) {
            r = Simulator.run(s, RunOptions.withSeed(seed).trace(w).progress(progress).threads(threads).traceLevel(level));
        } finally {
            progress.done();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long heap = peak.stop();
        long bytes = level == TraceLevel.NONE ? 0 : Files.size(tracePath);
        return new Figures(s.name(), vmCount, s.duration().toSeconds() / 86400.0, s.effectiveSites().size(), wall, r.events(), heap,
                bytes, r.passed());
    }

    private static String mib(long bytes) {
        if (bytes < 1L << 20) {
            return String.format(Locale.ROOT, "%d KiB", (bytes + 1023) >> 10);
        }
        return bytes >= 10L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }

    /** The most heap in use, sampled every 20 ms on a daemon thread (what a run held, garbage included). */
    private static final class HeapPeak {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running;
        private Thread thread;

        void start() {
            running = true;
            peak.set(memory.getHeapMemoryUsage().getUsed());
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "replisim-heap-peak");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws IOException {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        }
    }
}
