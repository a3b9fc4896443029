package io.replisim.scenarios;

import io.replisim.simulator.hunt.Hunt;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A developer's tool for restructurings that must keep behaviour: runs every library scenario
 * and hunt finding in both content fidelities, plus random fault and action schedules drawn by
 * the hunt for each library scenario, and prints one line per run, its name and the SHA-256 of
 * its trace. Run it before and after a change and diff the two files:
 *
 * <pre>
 * mvn -B -q -pl scenarios -am test-compile
 * java -cp "$(cat scenarios/target/test-classpath.txt):scenarios/target/classes:scenarios/target/test-classes" \
 *     io.replisim.scenarios.TraceCorpus HUNT_RUNS > corpus.txt
 * </pre>
 * {@code TraceCorpus HUNT_RUNS . "NAME"} prints the trace of the run named so instead.
 * (run from {@code scenarios/}; the classpath file is written by the build). A run that throws
 * prints its exception instead of a digest.
 */
public final class TraceCorpus {
    private TraceCorpus() {}

    public static void main(String[] args) throws Exception {
        int huntRuns = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path root = Path.of(args.length > 1 ? args[1] : ".");
        Map<String, Scenario> runs = new TreeMap<>();
        ScenarioLoader loader = new ScenarioLoader();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve("library"))) {
            s.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        Path findings = root.resolve("../simulator/src/test/resources/hunt-findings");
        try (Stream<Path> s = Files.list(findings)) {
            s.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        Hunt hunt = new Hunt();
        for (Path file : files) {
            Scenario base = loader.load(file);
            String name = file.getParent().getFileName() + "/" + file.getFileName().toString().replace(".yaml", "");
            for (Fidelity f : fidelities(base)) {
                runs.put(name + " " + f.label(), base.withFidelity(f).withSeed(base.effectiveSeed()));
            }
            if (file.startsWith(root.resolve("library"))) {
                for (int i = 0; i < huntRuns; i++) {
                    Scenario drawn = hunt.scenarioOfRun(base, 1, i);
                    for (Fidelity f : fidelities(base)) {
                        runs.put(name + " hunt" + i + " " + f.label(), drawn.withFidelity(f));
                    }
                }
            }
        }
        if (args.length > 2) { // one run's trace, to see what changed
            Scenario one = runs.get(args[2]);
            if (one == null) {
                throw new IllegalArgumentException("no run named " + args[2]);
            }
            StringWriter trace = new StringWriter();
            Simulator.run(one, RunOptions.withSeed(one.effectiveSeed()).trace(trace));
            System.out.print(trace);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        Map<String, Future<String>> results = new TreeMap<>();
        runs.forEach((name, scenario) -> results.put(name, pool.submit(() -> digest(scenario))));
        for (var e : results.entrySet()) {
            System.out.println(e.getKey() + " " + e.getValue().get());
        }
        pool.shutdown();
    }

    private static List<Fidelity> fidelities(Scenario s) {
        return s.effectiveFidelity() == Fidelity.MODEL ? List.of(Fidelity.MODEL) : List.of(Fidelity.BYTES, Fidelity.MODEL);
    }

    private static String digest(Scenario scenario) {
        StringWriter trace = new StringWriter();
        try {
            Simulator.run(scenario, RunOptions.withSeed(scenario.effectiveSeed()).trace(trace));
        } catch (Exception | Error e) {
            return "threw " + e;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(trace.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
