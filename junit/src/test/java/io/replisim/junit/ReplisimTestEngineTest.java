package io.replisim.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.scenario.Fidelity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

class ReplisimTestEngineTest {
    private static final Path BROKEN = Path.of("src/test/resources/suites/broken");

    private static Map<String, TestExecutionResult> results(Class<?> suite) {
        Events tests = EngineTestKit.engine(ReplisimTestEngine.ID).selectors(selectClass(suite)).execute().testEvents();
        return tests.finished().stream().collect(Collectors.toMap(e -> e.getTestDescriptor().getDisplayName(),
                e -> e.getRequiredPayload(TestExecutionResult.class)));
    }

    private static String message(TestExecutionResult r) {
        return r.getThrowable().orElseThrow().getMessage();
    }

    @Test
    void everyScenarioFileIsATestNamedAfterItAndKeepsItsOutputs() {
        Map<String, TestExecutionResult> r = results(OkSuite.class);
        assertEquals(List.of("quick"), List.copyOf(r.keySet()));
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, r.get("quick").getStatus(), () -> String.valueOf(r.get("quick")));
        Path out = Path.of("target/replisim-engine-test/OkSuite/quick");
        for (String file : List.of("trace.jsonl", "summary.json", "report.html", "junit.xml")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), out.resolve(file) + " kept");
        }
    }

    @Test
    void aFailedExpectationSaysWhatWasExpectedWhatHappenedWhereToLookAndHowToReproduce() throws Exception {
        Map<String, TestExecutionResult> r = results(BrokenSuite.class);
        assertEquals(TestExecutionResult.Status.FAILED, r.get("late").getStatus());
        String m = message(r.get("late"));
        Path trace = Path.of("target/replisim-engine-test/BrokenSuite/late/trace.jsonl").toAbsolutePath();
        List<String> lines = Files.readAllLines(trace);
        int replicating = 0;
        while (!lines.get(replicating).contains("\"to\":\"Replicating\"")) {
            replicating++;
        }
        assertTrue(m.contains("expected: app01 is Replicating by 10s"), m);
        assertTrue(m.contains("got:      reached Replicating after"), m);
        assertTrue(m.contains("later than 10s"), m);
        assertTrue(m.contains("first trace line that matters: " + trace + ":" + (replicating + 1) + "\n      " + lines.get(replicating)), m);
        assertTrue(m.contains("reproduce: replisim run " + BROKEN.resolve("late.yaml").toAbsolutePath() + " --seed 3"), m);
        assertTrue(!m.contains("replicaMatchesSource") && !m.contains("every replica"), "only the failed expectation: " + m);
    }

    @Test
    void anInvalidFileFailsWithItsLocatedErrorsAndAMissingFolderSaysWhereItWasLookedFor() {
        Map<String, TestExecutionResult> r = results(BrokenSuite.class);
        String invalid = message(r.get("invalid"));
        assertTrue(invalid.contains("invalid.yaml is not a valid scenario"), invalid);
        assertTrue(invalid.matches("(?s).*invalid\\.yaml:2:\\d+: duration.*"), invalid);
        String missing = message(r.get("src/test/resources/suites/nosuch"));
        assertTrue(missing.contains("no scenario folder or file " + Path.of("src/test/resources/suites/nosuch").toAbsolutePath()), missing);
    }

    @Test
    void aTestSelectedByItsUniqueIdRunsAlone() {
        UniqueId id = UniqueId.forEngine(ReplisimTestEngine.ID).append("class", BrokenSuite.class.getName()).append("scenario", "late");
        List<Event> finished = EngineTestKit.engine(ReplisimTestEngine.ID).selectors(selectUniqueId(id)).execute()
                .testEvents().finished().list();
        assertEquals(List.of("late"), finished.stream().map(e -> e.getTestDescriptor().getDisplayName()).toList());
        assertEquals(EventType.FINISHED, finished.get(0).getType());
    }

    @Test
    void theFluentRunOverridesSeedAndFidelityAndFailsInWords() {
        RunRecord r = Replisim.run("src/test/resources/suites/ok/quick.yaml").seed(7).fidelity(Fidelity.FLOW)
                .outputs(Path.of("target/replisim-fluent/quick")).assertPassed();
        assertEquals(7, r.seed());
        assertEquals("flow", r.fidelity());
        assertTrue(Files.isRegularFile(Path.of("target/replisim-fluent/quick/report.html")));

        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Replisim.run(BROKEN.resolve("late.yaml")).seed(9).outputs(Path.of("target/replisim-fluent/late")).assertPassed());
        assertTrue(e.getMessage().startsWith("late (seed 9) failed:"), e.getMessage());
        assertTrue(e.getMessage().contains(" --seed 9"), e.getMessage());
        RunRecord failed = Replisim.run(BROKEN.resolve("late.yaml")).outputs(Path.of("target/replisim-fluent/late")).record();
        assertTrue(!failed.passed());
    }

    @Test
    void aSecondRunThatDiffersIsReportedAtItsFirstDifferingLine() {
        assertEquals("  the same seed gave another trace: line 2 was\n    b\n  and the second time\n    c",
                ScenarioCheck.firstDifference(List.of("a", "b"), List.of("a", "c")));
        assertEquals("  the same seed gave another trace: line 2 was\n    (end of trace)\n  and the second time\n    x",
                ScenarioCheck.firstDifference(List.of("a"), List.of("a", "x")));
        assertEquals(null, ScenarioCheck.firstDifference(List.of("a"), List.of("a")));
    }
}
