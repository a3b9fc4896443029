package io.replisim.cli;

import io.replisim.azure.azurite.AzuriteConfigurationException;
import io.replisim.azure.azurite.AzuriteServer;
import io.replisim.simulator.replication.VmSummary;
import io.replisim.reports.AtomicOutput;
import io.replisim.reports.RunReports;
import io.replisim.simulator.hunt.Invariants;
import io.replisim.simulator.hunt.Violation;
import io.replisim.simulator.run.BackendUnavailableException;
import io.replisim.simulator.hunt.GroundTruth;
import io.replisim.simulator.hunt.GroundTruthProbe;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.scenario.Units;
import io.replisim.simulator.trace.TraceLevel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a scenario and writes trace.jsonl, summary.json, report.html and junit.xml into the output folder.",
            "Without SCENARIO, runs the bundled quickstart scenario.",
            "Exit 0 when every expectation held, 1 when one failed, 2 on invalid input (scenario file, flag, REPLISIM_AZURITE_* setting), 3 on an internal error (a bug in replisim), 4 when the environment stopped it (an output folder not writable, a full disk, too little memory, Azurite unavailable)."
        })
final class RunCommand implements Callable<Integer> {
    static final String BUNDLED = "quickstart.yaml";

    @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "The scenario file (YAML). Default: the bundled quickstart.")
    Path file;

    @Option(names = "--seed", paramLabel = "N", description = "The seed; overrides the scenario's. The same scenario and seed give a byte-identical trace.")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/<scenario>-<seed>/")
    Path out;

    @Option(names = "--azure", paramLabel = "BACKEND", description = "Azure storage backend: ${COMPLETION-CANDIDATES}. Default: memory."
            + " azurite starts Azurite as REPLISIM_AZURITE_LAUNCHER says (auto, the default: a container, else the npm package).")
    Backend azure = Backend.memory;

    @Option(names = "--fidelity", paramLabel = "LEVEL", description = "bytes, model or flow; overrides the scenario's.")
    String fidelity;

    @Option(names = "--export-disks", paramLabel = "DIR", description = "At the end, copy each source disk to "
            + "DIR/source/<vm>/<disk>.vhdx, its replica to DIR/replica/<vm>/<disk>.vhd (a fixed VHD) and every host volume's "
            + "files to DIR/hosts/<host>/<volume>/, for real tools such as qemu-img (bytes fidelity).")
    Path exportDisks;

    @Option(names = "--threads", paramLabel = "N", description = "Run the sites of a scenario of several on N threads."
            + " Default: all cores. The outputs are the same whatever N.")
    Integer threads;

    @Option(names = "--trace", paramLabel = "LEVEL", description = "What trace.jsonl holds: full (every event), states"
            + " (all but the per-cycle log, transfer and recovery-point events) or none (no trace file)."
            + " Default: full up to " + TraceLevel.FULL_BY_DEFAULT_UP_TO_VMS + " VMs, states beyond."
            + " The invariants are checked on full traces.")
    String trace;

    @Option(names = "--quiet", description = "Print nothing but errors.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    enum Backend { memory, azurite }

    /** Beyond this many VMs, the summary counts replicas instead of listing each. */
    private static final int SUMMARY_VMS = 10;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Scenario scenario;
        try {
            scenario = load();
        } catch (ScenarioException e) {
            for (ScenarioError error : e.errors()) {
                stderr.println(error.format());
            }
            return Main.INVALID_INPUT;
        }
        if (fidelity != null) {
            Fidelity f = switch (fidelity) {
                case "bytes" -> Fidelity.BYTES;
                case "model" -> Fidelity.MODEL;
                case "flow" -> Fidelity.FLOW;
                default -> null;
            };
            if (f == null) {
                stderr.println("replisim: --fidelity " + fidelity + ": expected bytes, model or flow");
                return Main.INVALID_INPUT;
            }
            scenario = scenario.withFidelity(f);
            try {
                scenario = new ScenarioLoader().revalidate(scenario);
            } catch (ScenarioException e) {
                e.errors().forEach(err -> stderr.println(err.format() + " (with --fidelity " + fidelity + ")"));
                return Main.INVALID_INPUT;
            }
        }
        if (exportDisks != null && scenario.effectiveFidelity() != Fidelity.BYTES) {
            stderr.println("replisim: --export-disks needs bytes fidelity: " + scenario.effectiveFidelity().label()
                    + "-fidelity disks hold no bytes to export");
            return Main.INVALID_INPUT;
        }
        TraceLevel level = null;
        if (trace != null) {
            level = TraceLevel.of(trace);
            if (level == null) {
                stderr.println("replisim: --trace " + trace + ": expected full, states or none");
                return Main.INVALID_INPUT;
            }
        }
        if (threads != null && threads < 1) {
            stderr.println("replisim: --threads " + threads + ": expected 1 or more");
            return Main.INVALID_INPUT;
        }
        if (scenario.effectiveSites().size() > 1 && azure != Backend.memory) {
            stderr.println("replisim: --azure " + azure + ": a scenario of several sites runs on the memory backend only;"
                    + " azurite takes scenarios of one site");
            return Main.INVALID_INPUT;
        }
        if (azure == Backend.azurite) {
            try {
                AzuriteServer.Config.fromEnvironment(); // read again when the backend starts: the same answer
            } catch (AzuriteConfigurationException e) {
                stderr.println("replisim: --azure azurite: " + e.getMessage() + " (see docs/fake-azure.md)");
                return Main.INVALID_INPUT;
            }
        }
        long runSeed = seed != null ? seed : scenario.effectiveSeed();
        Path dir = out != null ? out : Path.of("runs", scenario.name() + "-" + runSeed);
        String unwritable = Outputs.prepare(dir);
        if (unwritable != null) {
            stderr.println("replisim: --out " + dir + ": " + unwritable);
            return Main.ENVIRONMENT;
        }
        Progress progress = Progress.forTerminal(stderr, quiet);
        // the invariants' ground truth is read from the fakes as the run goes: on the memory backend,
        // where reading the storage account costs no request a storage fault could count
        GroundTruth truth = azure == Backend.memory && level != TraceLevel.NONE && level != TraceLevel.STATES
                ? new GroundTruth() : GroundTruth.NONE;
        RunRecord record;
        Path tracePath = dir.resolve(RunReports.TRACE);
        RunReports.clearOutputs(dir); // an earlier run's outputs here would not be this run's
        // written as trace.jsonl.partial and renamed at the end: an interrupted run leaves no complete-looking trace
        try (AtomicOutput out = level == TraceLevel.NONE ? null : AtomicOutput.open(tracePath)) {
            record = Simulator.run(scenario, RunOptions.withSeed(runSeed).backend(io.replisim.simulator.run.Backend.of(azure.name()))
                    .trace(out == null ? null : out.writer()).progress(progress).exportDisks(exportDisks)
                    .probe(truth == GroundTruth.NONE ? null : GroundTruthProbe.into(truth, scenario))
                    .threads(threads == null ? 0 : threads).traceLevel(level));
            if (out != null) {
                out.commit();
            }
        } catch (OutOfMemoryError e) {
            progress.done();
            stderr.println("replisim: out of memory: the run needs more than the JVM's "
                    + Math.max(1, Runtime.getRuntime().maxMemory() >> 20) + " MiB of heap; its outputs in " + dir
                    + " are incomplete.");
            stderr.println("  Model fidelity keeps about 24 bytes per distinct written range of every disk and replica,");
            stderr.println("  bytes fidelity every written byte. Give Java more heap (./replisim reads REPLISIM_JAVA_OPTS,");
            stderr.println("  e.g. REPLISIM_JAVA_OPTS=-Xmx16g), or run fewer VMs, a shorter duration, or model fidelity.");
            return Main.ENVIRONMENT;
        } catch (BackendUnavailableException e) {
            progress.done();
            // the message says why, and how to install Azurite only when the npm package is missing
            stderr.println("replisim: --azure " + azure + ": " + e.getMessage());
            stderr.println("  See docs/fake-azure.md (Azurite).");
            return Main.ENVIRONMENT;
        } finally {
            progress.done();
        }
        record = record.withReproduce("replisim run" + reproducible() + " --seed " + record.seed());
        RunReports.writeAll(record, dir);
        if (!quiet) {
            printSummary(stdout, record, dir);
        }
        if (!"full".equals(record.trace())) {
            if (!quiet) {
                stdout.println("  invariants not checked: they need every event (--trace full); this run's trace: " + record.trace());
            }
            return record.passed() ? Main.OK : Main.EXPECTATION_FAILED;
        }
        // the invariants are checked on every run with a full trace, not only by hunt
        // (docs/architecture.md, Invariants on every run)
        List<Violation> violations = Invariants.all().check(scenario.withSeed(runSeed), tracePath, truth);
        for (Violation v : violations) {
            stderr.println("replisim: INVARIANT VIOLATED: " + v.invariant() + " at trace seq " + v.seq() + ": " + v.reason());
        }
        if (!violations.isEmpty()) {
            stderr.println("  this is a bug in the replication stack; reproduce: " + record.reproduce());
            return Main.EXPECTATION_FAILED;
        }
        return record.passed() ? Main.OK : Main.EXPECTATION_FAILED;
    }

    private Scenario load() throws ScenarioException, IOException {
        ScenarioLoader loader = new ScenarioLoader();
        if (file != null) {
            return loader.load(file);
        }
        try (InputStream in = RunCommand.class.getResourceAsStream("/io/replisim/library/" + BUNDLED)) {
            if (in == null) {
                throw new IOException("the bundled " + BUNDLED + " is missing from the jar");
            }
            return loader.parse(Path.of("(bundled) " + BUNDLED), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The command that runs this again: the scenario as given (or the bundled one's name) and the flags that change a run. */
    private String reproducible() {
        StringBuilder sb = new StringBuilder(file != null ? " " + file : ""); // no file: the bundled scenario again
        if (fidelity != null) {
            sb.append(" --fidelity ").append(fidelity);
        }
        return sb.toString();
    }

    private void printSummary(PrintWriter out, RunRecord r, Path dir) {
        long held = r.expectations().stream().filter(RunRecord.ExpectationResult::passed).count();
        out.printf("%s (seed %d): %s, %d of %d expectations held%n", r.scenario(), r.seed(),
                r.passed() ? "PASSED" : "FAILED", held, r.expectations().size());
        for (RunRecord.ExpectationResult e : r.expectations()) {
            out.printf("  %s %s%s%n", e.passed() ? "ok  " : "FAIL", e.name(), e.passed() ? "" : ": " + e.detail());
        }
        List<String> checks = new java.util.ArrayList<>();
        long identical = 0;
        long all = 0;
        for (VmSummary vm : r.vms()) {
            for (VmSummary.DiskCheck d : vm.disks()) {
                all++;
                identical += d.matches() ? 1 : 0;
                if (!d.matches() || r.vms().size() <= SUMMARY_VMS) {
                    checks.add(String.format("  replica %s/%s: %s (%s)", vm.vm(), d.disk(),
                            d.matches() ? "identical to its source" : "DIFFERS from its source", d.method()));
                }
            }
        }
        if (r.vms().size() > SUMMARY_VMS) { // a fleet: the count, and the replicas that differ, a few of them
            out.printf("  replicas: %d of %d identical to their sources%n", identical, all);
            checks = checks.subList(0, Math.min(checks.size(), SUMMARY_VMS));
        }
        checks.forEach(out::println);
        java.time.Duration simulated = r.simulated().truncatedTo(r.simulated().toSeconds() > 0
                ? java.time.temporal.ChronoUnit.SECONDS : java.time.temporal.ChronoUnit.MILLIS);
        out.printf("  %s simulated, %d events; outputs in %s%n", Units.formatDuration(simulated), r.events(), dir);
        if (exportDisks != null) {
            out.printf("  disks exported to %s%n", exportDisks);
        }
        if (!r.passed()) {
            out.printf("  reproduce: %s%n", r.reproduce());
        }
    }
}
