package io.replisim.junit;

import io.replisim.reports.AtomicOutput;
import io.replisim.reports.RunReports;
import io.replisim.simulator.hunt.GroundTruth;
import io.replisim.simulator.hunt.GroundTruthProbe;
import io.replisim.simulator.hunt.Invariants;
import io.replisim.simulator.hunt.Violation;
import io.replisim.simulator.run.Backend;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Expectation;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.trace.TraceLevel;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * One scenario run as a test: loads the file, runs it with its outputs written to a folder, and
 * collects what went wrong (expectations, invariants, determinism) into one readable message.
 */
final class ScenarioCheck {
    /** How to run: null fields take the scenario's own seed and fidelity. */
    record Settings(Long seed, Fidelity fidelity, Backend backend, TraceLevel traceLevel, boolean invariants,
                    boolean determinism) {
        static Settings defaults() {
            return new Settings(null, null, Backend.MEMORY, null, true, false);
        }
    }

    /** A finished check: the run's record, and the problems found (empty: the test passes). */
    record Outcome(RunRecord record, Path outputs, List<String> problems, String reproduce) {
        boolean passed() {
            return problems.isEmpty();
        }

        /** The failure message: every problem, where the outputs are, the command that reproduces the run. */
        String message() {
            return record.scenario() + " (seed " + record.seed() + ") failed:\n" + String.join("\n", problems)
                    + "\n  outputs: " + outputs.toAbsolutePath().normalize() + "\n  reproduce: " + reproduce;
        }

        /** Throws the failure, if any. */
        RunRecord orFail() {
            if (!passed()) {
                throw new AssertionFailedError(message());
            }
            return record;
        }
    }

    private ScenarioCheck() {}

    /** Loads {@code file} as a scenario, or fails with every problem it has, located. */
    static Scenario load(Path file, Fidelity fidelity) {
        ScenarioLoader loader = new ScenarioLoader();
        try {
            Scenario s = loader.load(file);
            return fidelity == null ? s : loader.revalidate(s.withFidelity(fidelity));
        } catch (ScenarioException e) {
            throw new AssertionFailedError(file + " is not a valid scenario" + (fidelity == null ? "" : " at " + fidelity.label()
                    + " fidelity") + ":\n" + e.errors().stream().map(ScenarioError::format).map(l -> "  " + l)
                    .collect(Collectors.joining("\n")));
        }
    }

    /** Runs {@code file} with {@code settings}, its outputs written into {@code outputs}. */
    static Outcome run(Path file, Settings settings, Path outputs) throws IOException {
        Scenario scenario = load(file, settings.fidelity());
        long seed = settings.seed() != null ? settings.seed() : scenario.effectiveSeed();
        Files.createDirectories(outputs);
        Path trace = outputs.resolve(RunReports.TRACE);
        RunReports.clearOutputs(outputs); // an earlier run's outputs here would not be this run's
        RunOptions options = RunOptions.withSeed(seed).backend(settings.backend()).traceLevel(settings.traceLevel());
        // the fakes' ground truth for the invariants (memory backend: reading it costs no storage request)
        GroundTruth truth = settings.invariants() && settings.backend() == Backend.MEMORY ? new GroundTruth() : GroundTruth.NONE;
        RunRecord record;
        try (AtomicOutput out = settings.traceLevel() == TraceLevel.NONE ? null : AtomicOutput.open(trace)) {
            record = Simulator.run(scenario, options.trace(out == null ? null : out.writer())
                    .probe(truth == GroundTruth.NONE ? null : GroundTruthProbe.into(truth, scenario)));
            if (out != null) {
                out.commit();
            }
        }
        String reproduce = reproduce(file, seed, settings);
        record = record.withReproduce(reproduce);
        RunReports.writeAll(record, outputs);
        boolean traced = Files.exists(trace);
        List<String> problems = new ArrayList<>();
        List<String> lines = traced ? Files.readAllLines(trace, StandardCharsets.UTF_8) : List.of();
        List<Expectation> expected = scenario.expect();
        for (int i = 0; i < record.expectations().size(); i++) {
            RunRecord.ExpectationResult r = record.expectations().get(i);
            if (!r.passed()) {
                problems.add(FirstLine.describe(expected.get(i), r, lines, trace));
            }
        }
        if (settings.invariants() && "full".equals(record.trace())) {
            for (Violation v : Invariants.all().check(scenario.withSeed(seed), trace, truth)) {
                problems.add("  invariant " + v.invariant() + " broken: " + v.reason() + "\n    at " + trace.toAbsolutePath().normalize()
                        + ":" + (v.seq() + 1) + (v.seq() >= 0 && v.seq() < lines.size() ? ": " + lines.get((int) v.seq()) : ""));
            }
        }
        if (settings.determinism() && traced) {
            StringWriter again = new StringWriter();
            Simulator.run(scenario, options.trace(again));
            String difference = firstDifference(lines, again.toString().lines().toList());
            if (difference != null) {
                problems.add(difference);
            }
        }
        return new Outcome(record, outputs, problems, reproduce);
    }

    /** Where two traces of the same seed part, in words; null when they are the same. */
    static String firstDifference(List<String> first, List<String> second) {
        for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
            String a = i < first.size() ? first.get(i) : "(end of trace)";
            String b = i < second.size() ? second.get(i) : "(end of trace)";
            if (!a.equals(b)) {
                return "  the same seed gave another trace: line " + (i + 1) + " was\n    " + a + "\n  and the second time\n    " + b;
            }
        }
        return null;
    }

    /** The command line that runs this again, with the file's real path. */
    static String reproduce(Path file, long seed, Settings settings) {
        return "replisim run " + file.toAbsolutePath().normalize() + " --seed " + seed
                + (settings.fidelity() == null ? "" : " --fidelity " + settings.fidelity().label())
                + (settings.backend() == Backend.MEMORY ? "" : " --azure " + settings.backend().label());
    }
}
