package io.replisim.cli;

import io.replisim.simulator.hunt.CheckedRun;
import io.replisim.simulator.hunt.Hunt;
import io.replisim.simulator.hunt.Invariants;
import io.replisim.simulator.hunt.RandomShapes;
import io.replisim.simulator.hunt.ScenarioYaml;
import io.replisim.simulator.hunt.TraceLine;
import io.replisim.simulator.hunt.Violation;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.scenario.Site;
import io.replisim.simulator.scenario.Units;
import io.replisim.simulator.sweep.SweepEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "hunt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a scenario many times under random faults, administrator actions and seeds and checks the invariants on every run (no data loss, replica never ahead of its source, retry ladder, resync iff a trigger held, every job finished; docs/hunt.md).",
            "With --shapes every run also draws its own shape: hosts, VMs, disks, site or VMM cloud, policy, workloads, bandwidth, start and duration.",
            "The first failure is shrunk to a minimal failing scenario, written as YAML, with the command that reproduces it.",
            "Exit 0 when every run held, 1 when a failure was found, 2 on invalid input, 3 on an internal error, 4 when the environment stopped it (an output folder not writable, a full disk)."
        })
final class HuntCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SCENARIO", arity = "0..1", description = {
            "The scenario file (YAML) to hunt in; its expectations are ignored.",
            "With --shapes it is optional: it then gives only the name, seed, start week, time zone, resync settings and fidelity."})
    Path file;

    @Option(names = "--shapes", description = {
            "Draw a random shape for every run (from the stream hunt/shape/<i>): 1-3 hosts of 1-4 VMs on one uplink, 1-3 disks of different sizes per VM, a Hyper-V site or a VMM cloud, a policy within ASR's ranges, uniform, hot-spot or Zipf workloads with hourly patterns and bursts, a bandwidth sometimes too scarce for them, 1-4 hours starting anywhere in the week.",
            "SCENARIO's site, policy, duration, faults and actions are replaced; without SCENARIO a built-in base is used."})
    boolean shapes;

    @Option(names = "--keep-going", description = "Run all N runs even after a failure: every failing run is printed, the first is shrunk, and the last line counts the failures.")
    boolean keepGoing;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "100", description = "How many runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", paramLabel = "S", description = {
            "The hunt's seed (default: the scenario's). Run i's seed, faults, actions and shape are drawn from (S, i)."})
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the minimal failing scenario goes. Default: runs/hunt-<scenario>-<seed>/")
    Path out;

    @Option(names = "--max-faults", paramLabel = "K", defaultValue = "" + Hunt.DEFAULT_MAX_FAULTS,
            description = "Each run gets 0 to K random faults (default: ${DEFAULT-VALUE}), on top of the scenario's own.")
    int maxFaults;

    @Option(names = "--max-actions", paramLabel = "K", defaultValue = "" + Hunt.DEFAULT_MAX_ACTIONS,
            description = "Each run gets 0 to K random administrator episodes (default: ${DEFAULT-VALUE}): a test failover and its cleanup, a planned or unplanned failover then a commit or a failback and reprotect, a manual resync, disabling replication.")
    int maxActions;

    @Option(names = "--replay",
            description = "Run SCENARIO once as written (with --seed, or its own seed) and check the invariants: no random faults, no shrinking. Use it on a minimal.yaml that hunt wrote.")
    boolean replay;

    @Option(names = "--threads", paramLabel = "N", description = "Runs checked side by side (in batches of 16, in order). Default: all cores.")
    int threads;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local",
            description = "Where the runs are checked: local or spark (with replisim-spark.jar; docs/sweeps.md). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "The Spark master (spark engine). Default: spark-submit's, else local[*].")
    String master;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Makes the invariants checked, wherever a run is checked; tests put a deliberately failing checker here. */
    Hunt.Checkers checkers = Invariants::all;
    /** Whether progress is redrawn in place with carriage returns (a terminal). */
    boolean terminal = System.console() != null;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (runs < 1) {
            stderr.println("replisim hunt: --runs " + runs + ": expected at least 1");
            return Main.INVALID_INPUT;
        }
        if (maxFaults < 0) {
            stderr.println("replisim hunt: --max-faults " + maxFaults + ": expected 0 or more");
            return Main.INVALID_INPUT;
        }
        if (maxActions < 0) {
            stderr.println("replisim hunt: --max-actions " + maxActions + ": expected 0 or more");
            return Main.INVALID_INPUT;
        }
        if (file == null && !shapes) {
            stderr.println("replisim hunt: expected a SCENARIO file (or --shapes, which draws the scenarios)");
            return Main.INVALID_INPUT;
        }
        if (replay && (shapes || keepGoing)) {
            stderr.println("replisim hunt: --replay runs SCENARIO once as written: it takes neither --shapes nor --keep-going");
            return Main.INVALID_INPUT;
        }
        try (SweepEngine probe = Engines.open("hunt", engine, master, threads, null, null, stderr)) {
            if (probe == null) {
                return Main.INVALID_INPUT;
            }
        }
        Hunt.Source source = new Hunt.Source(RandomShapes.BASE_FILE, RandomShapes.BASE);
        Scenario scenario;
        try {
            scenario = file == null ? source.load() : new ScenarioLoader().load(file);
        } catch (ScenarioException e) {
            for (ScenarioError error : e.errors()) {
                stderr.println(error.format());
            }
            return Main.INVALID_INPUT;
        }
        if (file != null) {
            source = new Hunt.Source(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
        if (scenario.effectiveSites().size() > 1) {
            stderr.println("replisim: " + file + ": hunt takes scenarios of one site (its random faults, actions, shapes and shrinking"
                    + " work on one site's hosts and VMs); this one has " + scenario.effectiveSites().size());
            return Main.INVALID_INPUT;
        }
        if (shapes && scenario.effectiveFidelity() == io.replisim.simulator.scenario.Fidelity.FLOW) {
            stderr.println("replisim: " + file + ": --shapes draws bytes- or model-fidelity runs (disks of a few MiB); this"
                    + " scenario asks for flow fidelity");
            return Main.INVALID_INPUT;
        }
        scenario = scenario.withSite(scenario.effectiveSites().get(0));
        if (replay) {
            return replay(scenario, stdout);
        }
        long huntSeed = seed != null ? seed : scenario.effectiveSeed();
        Path dir = out != null ? out : Path.of("runs", "hunt-" + scenario.name() + "-" + huntSeed);

        StatusLine line = new StatusLine(stderr, terminal);
        long wallStart = System.nanoTime();
        long[] wallRuns = {0};
        Exercised exercised = new Exercised();
        Hunt.Result result;
        try (SweepEngine runner = Engines.open("hunt", engine, master, threads, null, null, stderr)) {
            result = new Hunt(checkers.make(), maxFaults, maxActions, shapes).run(source, huntSeed, runs, new Hunt.Listener() {
                @Override
                public void runStarted(int run, long runSeed, Scenario s) {
                    line.show(String.format("run %d/%d (seed %d, %d faults, %d actions%s)", run + 1, runs, runSeed, s.faults().size(),
                            s.actions().size(), shapes ? ", " + vmCount(s) + " VMs" : ""));
                }

                @Override
                public void runFinished(int run, CheckedRun r) {
                    wallRuns[0] = System.nanoTime() - wallStart;
                    exercised.add(r.scenario());
                    if (!r.held()) {
                        line.clear();
                        Violation v = r.violations().get(0);
                        stdout.printf("run %d/%d (seed %d, %d faults, %d actions): %s%n", run + 1, runs, r.seed(),
                                r.scenario().faults().size(), r.scenario().actions().size(), v);
                        printLine(stdout, r, v);
                        stdout.flush();
                    }
                }

                int steps;

                @Override
                public void shrinkStep(String step, boolean kept, CheckedRun current) {
                    steps++;
                    line.show(String.format("shrinking: %d runs; %d faults, %d VMs, %s; tried: %s%s", steps,
                            current.scenario().faults().size(), vmCount(current.scenario()),
                            Units.formatDuration(current.scenario().duration()), step, kept ? " (kept)" : ""));
                }
            }, runner, checkers, keepGoing);
        }
        line.clear();
        double perSecond = wallRuns[0] <= 0 ? 0 : result.runs() / (wallRuns[0] / 1e9);
        List<String> invariants = checkers.make() instanceof io.replisim.simulator.hunt.Invariants
                ? io.replisim.simulator.hunt.Invariants.list().stream().map(io.replisim.simulator.hunt.Invariant::name).toList()
                : List.of(checkers.make().getClass().getSimpleName());
        if (result.held()) {
            stdout.printf("hunt %s (seed %d): %d runs, every invariant held (%.1f runs/s, %s)%n", scenario.name(), huntSeed,
                    result.runs(), perSecond, Units.formatDuration(java.time.Duration.ofSeconds(Math.round(wallRuns[0] / 1e9))));
            exercised.print(stdout, invariants);
            return Main.OK;
        }
        Hunt.Failure failure = result.failure();
        CheckedRun minimal = failure.shrunk().minimal();
        Violation v = failure.shrunk().violation();
        Scenario s = minimal.scenario();
        stdout.printf("minimal failing scenario after %d shrinking runs: %d faults, %d actions, %d VMs, duration %s%n",
                failure.shrunk().runs(), s.faults().size(), s.actions().size(), vmCount(s), Units.formatDuration(s.duration()));
        stdout.println("  " + v);
        printLine(stdout, minimal, v);
        Path yaml = dir.resolve("minimal.yaml");
        try {
            Files.createDirectories(dir);
            Files.writeString(yaml, minimalYaml(scenario, minimal, v, dir, yaml), StandardCharsets.UTF_8);
        } catch (IOException e) {
            stderr.println("replisim hunt: --out " + dir + ": cannot write " + yaml + ": " + Outputs.describe(e));
            return Main.ENVIRONMENT;
        }
        stdout.println("wrote " + yaml);
        stdout.println("reproduce: ./replisim run " + yaml + " --seed " + minimal.seed());
        stdout.println("check:     ./replisim hunt " + yaml + " --replay --seed " + minimal.seed());
        if (keepGoing) {
            exercised.print(stdout, invariants);
            stdout.printf("hunt %s (seed %d): %d runs, %d failed, the first in run %d (%.1f runs/s, %s)%n", scenario.name(), huntSeed,
                    result.runs(), result.failed(), failure.run() + 1, perSecond,
                    Units.formatDuration(java.time.Duration.ofSeconds(Math.round(wallRuns[0] / 1e9))));
        } else {
            stdout.printf("hunt %s (seed %d): %d runs, failure in run %d (%.1f runs/s)%n", scenario.name(), huntSeed, result.runs(),
                    failure.run() + 1, perSecond);
        }
        return Main.EXPECTATION_FAILED;
    }

    private int replay(Scenario scenario, PrintWriter stdout) {
        long runSeed = seed != null ? seed : scenario.effectiveSeed();
        CheckedRun r = CheckedRun.of(scenario, runSeed, checkers.make());
        if (r.held()) {
            stdout.printf("%s (seed %d): every invariant held (%d trace events)%n", scenario.name(), runSeed, r.trace().size());
            return Main.OK;
        }
        stdout.printf("%s (seed %d): %d violations%n", scenario.name(), runSeed, r.violations().size());
        for (Violation v : r.violations()) {
            stdout.println("  " + v);
            printLine(stdout, r, v);
        }
        return Main.EXPECTATION_FAILED;
    }

    /** What the hunt's runs drew, so that a green hunt says what it tried. */
    static final class Exercised {
        private final java.util.Map<String, Integer> faults = new java.util.TreeMap<>();
        private final java.util.Map<String, Integer> actions = new java.util.TreeMap<>();
        private final java.util.Set<Site> sites = new java.util.HashSet<>();
        private final java.util.Map<Integer, Integer> hosts = new java.util.TreeMap<>();
        private final java.util.Map<Integer, Integer> vmsPerHost = new java.util.TreeMap<>();
        private final java.util.Map<Integer, Integer> disksPerVm = new java.util.TreeMap<>();
        private final java.util.Map<Integer, Integer> vmsPerUplink = new java.util.TreeMap<>();
        private final java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
        private final java.util.Map<String, Integer> copyFrequencies = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, Integer> fidelities = new java.util.TreeMap<>();
        private final java.util.Map<String, Integer> workloads = new java.util.TreeMap<>();
        private final java.util.Map<String, Integer> uplinks = new java.util.TreeMap<>();
        private int runs;

        synchronized void add(Scenario s) {
            runs++;
            s.faults().forEach(f -> faults.merge(f.kind(), 1, Integer::sum));
            s.actions().forEach(a -> actions.merge(a.action(), 1, Integer::sum));
            Site site = s.site();
            sites.add(site);
            hosts.merge(site.hosts().size(), 1, Integer::sum);
            kinds.merge(site.effectiveKind() == Site.Kind.VMM_CLOUD ? "vmm-cloud" : "hyperv-site", 1, Integer::sum);
            copyFrequencies.merge(Units.formatDuration(s.effectivePolicy().copyFrequency()), 1, Integer::sum);
            fidelities.merge(s.effectiveFidelity().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            int vms = 0;
            long writes = 0;
            for (Site.Host h : site.hosts()) {
                vmsPerHost.merge(h.vms().size(), 1, Integer::sum);
                vms += h.vms().size();
                for (Site.Vm v : h.vms()) {
                    disksPerVm.merge(v.disks().size(), 1, Integer::sum);
                    for (Site.Disk d : v.disks()) {
                        Site.Churn c = d.churn();
                        if (c == null) {
                            workloads.merge("idle", 1, Integer::sum);
                            continue;
                        }
                        writes += c.rate() == null ? 0 : c.rate().bytesPerSecond();
                        workloads.merge(c.profile() != null ? "profile" : c.zipf() != null ? "zipf"
                                : c.effectiveHotspot() >= 1.0 ? "uniform" : "hot-spot", 1, Integer::sum);
                        if (!c.hourly().isEmpty()) {
                            workloads.merge("hourly", 1, Integer::sum);
                        }
                        if (!c.bursts().isEmpty()) {
                            workloads.merge("bursts", 1, Integer::sum);
                        }
                    }
                }
            }
            vmsPerUplink.merge(vms, 1, Integer::sum);
            Site.Uplink u = site.uplink();
            if (u.bandwidth() != null && u.bandwidth().bitsPerSecond() < writes * 8) {
                uplinks.merge("below the workloads' rate", 1, Integer::sum);
            }
            if (u.throttle() != null) {
                uplinks.merge("throttled", 1, Integer::sum);
            }
        }

        synchronized void print(PrintWriter out, List<String> invariants) {
            out.printf("  faults in the runs: %s (%d of the %d kinds hunts draw)%n", counts(faults), faults.size(),
                    io.replisim.simulator.hunt.RandomFaults.KINDS.size());
            out.printf("  actions in the runs: %s (%d of %d kinds)%n", counts(actions), actions.size(),
                    io.replisim.simulator.scenario.ActionSpec.KNOWN.size());
            out.printf("  shapes in the runs: %d distinct topologies; hosts %s; VMs per host %s; disks per VM %s; VMs on the uplink %s%n",
                    sites.size(), counts(hosts), counts(vmsPerHost), counts(disksPerVm), counts(vmsPerUplink));
            out.printf("  sites %s; copy frequency %s; fidelity %s%n", counts(kinds), counts(copyFrequencies), counts(fidelities));
            out.printf("  disk workloads %s; uplinks %s (of %d runs)%n", counts(workloads), counts(uplinks), runs);
            out.printf("  invariants checked on every run (%d): %s%n", invariants.size(), String.join(", ", invariants));
        }

        private static String counts(java.util.Map<?, Integer> m) {
            return m.isEmpty() ? "none" : m.entrySet().stream()
                    .map(e -> e.getKey() + (e.getKey() instanceof Integer ? ": " : " ") + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    /** The minimal scenario's file: the violation and how to reproduce it as comments, the profile path made relative to it. */
    private String minimalYaml(Scenario original, CheckedRun minimal, Violation v, Path dir, Path yaml) {
        Scenario s = minimal.scenario();
        String name = s.name() + "-minimal";
        s = new Scenario(name.length() > 63 ? name.substring(0, 63) : name, minimal.seed(), s.start(), s.timeZone(), s.duration(),
                s.fidelity(), s.policy(), s.site(), s.resync(), s.faults(), s.actions(), List.of());
        Site.Uplink u = s.site().uplink();
        if (u != null && u.profile() != null && file != null) {
            Path base = file.toAbsolutePath().getParent();
            Path csv = (base == null ? Path.of(u.profile()) : base.resolve(u.profile())).normalize();
            String relative = dir.toAbsolutePath().normalize().relativize(csv).toString().replace('\\', '/');
            s = s.withSite(s.site().withUplink(new Site.Uplink(u.bandwidth(), relative, u.schedule(), u.throttle(), u.latency(),
                    u.uploadThreads(), u.samples())));
        }
        List<String> comments = new ArrayList<>();
        comments.add("A minimal failing scenario found by 'replisim hunt " + (file == null ? "--shapes" : file + (shapes ? " --shapes" : ""))
                + "' (from scenario " + original.name() + ").");
        comments.add(v.toString());
        TraceLine l = minimal.line(v.seq());
        if (l != null) {
            comments.add("  " + l.text());
        }
        comments.add("Reproduce: ./replisim run " + yaml + " --seed " + minimal.seed());
        comments.add("Check:     ./replisim hunt " + yaml + " --replay --seed " + minimal.seed());
        comments.add("");
        return ScenarioYaml.write(s, comments);
    }

    private static void printLine(PrintWriter out, CheckedRun r, Violation v) {
        TraceLine l = r.line(v.seq());
        if (l != null) {
            out.println("    " + l.text());
        }
    }

    private static int vmCount(Scenario s) {
        return s.site().hosts().stream().mapToInt(h -> h.vms().size()).sum();
    }
}
