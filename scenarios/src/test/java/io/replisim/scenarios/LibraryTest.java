package io.replisim.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The regression suite: every scenario of the library runs as its own test, its expectations
 * become assertions, and a second run with the same seed must give a byte-identical trace.
 */
class LibraryTest {
    static final Path LIBRARY = Path.of("library");

    static List<Path> scenarios() throws Exception {
        try (Stream<Path> files = Files.list(LIBRARY)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyLibraryScenarioHoldsItsExpectationsAndReproducesItsTrace() throws Exception {
        List<Path> files = scenarios();
        assertTrue(files.size() >= 20, "the library has " + files.size() + " scenarios");
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString().replace(".yaml", ""), file.toUri(), () -> {
            Scenario scenario = new ScenarioLoader().load(file);
            long seed = scenario.effectiveSeed();
            StringWriter first = new StringWriter();
            RunRecord record = Simulator.run(scenario, new RunOptions(seed, "memory", first, null));
            String failed = record.expectations().stream().filter(e -> !e.passed())
                    .map(e -> "  " + e.name() + ": " + e.detail()).collect(Collectors.joining("\n"));
            if (!failed.isEmpty()) {
                fail(file + " broke its expectations:\n" + failed + "\nreproduce: ./replisim run " + Path.of("scenarios").resolve(file)
                        + " --seed " + seed);
            }
            StringWriter second = new StringWriter();
            Simulator.run(scenario, new RunOptions(seed, "memory", second, null));
            assertEquals(first.toString(), second.toString(), file + ": the same seed must give the same trace");
        }));
    }
}
