package io.replisim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.hunt.CheckedRun;
import io.replisim.simulator.hunt.TraceChecker;
import io.replisim.simulator.hunt.TraceLine;
import io.replisim.simulator.hunt.Violation;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HuntCommandTest {
    @TempDir
    Path tmp;

    private static final String TINY = """
            name: tiny
            seed: 65
            start: 2026-01-05T08:00:00+01:00
            duration: 1h
            policy: { copyFrequency: 5m }
            site:
              uplink: { bandwidth: 20Mbps }
              hosts:
                - name: hv01
                  volume: 1GiB
                  vms:
                    - name: app01
                      disks: [ { name: os, size: 16MiB, churn: { rate: 256KiB/min } } ]
                    - name: app02
                      disks: [ { name: os, size: 16MiB, churn: { rate: 128KiB/min } } ]
            expect:
              - { vm: app01, state: Replicating, by: 5m }
            """;

    /** "Fails" whenever a vm-reverted fault struck, so the failure path runs without a bug in the stack. */
    static final TraceChecker FAILS_ON_REVERT = trace -> {
        for (TraceLine l : trace.trace()) {
            if (l.is("fault.injected") && "vm-reverted".equals(l.str("kind"))) {
                return List.of(new Violation("test-no-revert", l.seq(), l.vm() + " was reverted"));
            }
        }
        return List.of();
    };

    /** Holds on every trace: the shapes' summary without the stack's findings in the way. */
    static final TraceChecker NEVER_FAILS = trace -> List.of();

    record Result(int exit, String out, String err) {}

    private static Result hunt(TraceChecker checker, String... args) {
        HuntCommand command = new HuntCommand();
        if (checker != null) {
            command.checkers = () -> checker;
        }
        command.terminal = false;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path tiny() throws Exception {
        Path file = tmp.resolve("tiny.yaml");
        Files.writeString(file, TINY);
        return file;
    }

    @Test
    void runsWithoutFaultsHoldAndExitZeroWithASummary() throws Exception {
        Result r = hunt(null, tiny().toString(), "--runs", "2", "--max-faults", "0", "--out", tmp.resolve("h").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("hunt tiny (seed 65): 2 runs, every invariant held ("), r.out());
        // a green hunt says what it tried: here, nothing but the scenario itself
        assertTrue(r.out().contains("\n  faults in the runs: none (0 of the 11 kinds hunts draw)\n"), r.out());
        List<String> names = io.replisim.simulator.hunt.Invariants.list().stream().map(io.replisim.simulator.hunt.Invariant::name).toList();
        assertTrue(names.size() >= 11 && names.containsAll(List.of("no-data-loss", "replica-never-ahead", "retry-ladder",
                "resync-iff-trigger", "every-job-finished", "sends-only-differing-blocks",
                "health-follows-rules", "resync-outside-office-hours", "recovery-points-within-retention", "uplink-within-capacity",
                "app-consistent-schedule")), names.toString());
        assertTrue(r.out().contains("\n  invariants checked on every run (" + names.size() + "): " + String.join(", ", names) + "\n"),
                r.out());
        assertEquals("", r.err(), "no progress lines when the output is not a terminal");
        assertFalse(Files.exists(tmp.resolve("h")), "nothing to write");
    }

    @Test
    void aFailureIsShrunkToTheResponsibleFaultWrittenAsYamlWithTheCommandThatReproducesIt() throws Exception {
        Path out = tmp.resolve("found");
        Result r = hunt(FAILS_ON_REVERT, tiny().toString(), "--runs", "5", "--max-faults", "2", "--out", out.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("run 2/5 (seed "), r.out());
        assertTrue(r.out().contains("test-no-revert violated at seq"), r.out());
        Matcher m = Pattern.compile("reproduce: \\./replisim run (\\S+) --seed (\\d+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        Path yaml = Path.of(m.group(1));
        assertEquals(out.resolve("minimal.yaml"), yaml);
        long seed = Long.parseLong(m.group(2));

        String text = Files.readString(yaml);
        assertTrue(text.startsWith("# A minimal failing scenario found by 'replisim hunt"), text);
        Scenario minimal = new ScenarioLoader().load(yaml);
        assertEquals("tiny-minimal", minimal.name());
        assertEquals(seed, minimal.effectiveSeed());
        assertEquals(1, minimal.faults().size(), text);
        assertEquals("vm-reverted", minimal.faults().get(0).kind());
        assertEquals(List.of(), minimal.expect(), "the original expectations are not part of the failure");
        assertEquals(1, minimal.site().hosts().get(0).vms().size(), text);

        CheckedRun again = CheckedRun.of(minimal, seed, FAILS_ON_REVERT);
        assertNotNull(again.first("test-no-revert"), "the written scenario fails the same way");

        Result replay = hunt(FAILS_ON_REVERT, yaml.toString(), "--replay", "--seed", Long.toString(seed));
        assertEquals(1, replay.exit(), replay.out());
        assertTrue(replay.out().contains("test-no-revert violated"), replay.out());
        Result clean = hunt(null, yaml.toString(), "--replay");
        assertTrue(clean.out().contains("(seed " + seed + ")"), clean.out());
    }

    @Test
    void badInputExitsTwoWithoutAStackTrace() throws Exception {
        Result missing = hunt(null, tmp.resolve("nope.yaml").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("file not found"), missing.err());
        Result zero = hunt(null, tiny().toString(), "--runs", "0");
        assertEquals(2, zero.exit());
        assertTrue(zero.err().contains("--runs 0: expected at least 1"), zero.err());
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, TINY.replace("size: 16MiB", "size: lots"));
        Result invalid = hunt(null, broken.toString());
        assertEquals(2, invalid.exit());
        assertTrue(invalid.err().contains("broken.yaml:"), invalid.err());
        assertFalse(invalid.err().contains("\tat "), invalid.err());
    }

    @Test
    void mainKnowsTheHuntCommand() {
        StringWriter out = new StringWriter();
        int exit = Main.execute(new String[] {"hunt", "--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertEquals(0, exit);
        assertTrue(out.toString().contains("--max-faults"), out.toString());
    }

    @Test
    void aHuntOverShapesSaysWhichShapesItsRunsHad() throws Exception {
        Result r = hunt(NEVER_FAILS, "--shapes", "--runs", "6", "--seed", "3", "--max-faults", "1", "--max-actions", "0",
                "--threads", "1", "--out", tmp.resolve("h").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("hunt shapes (seed 3): 6 runs, every invariant held ("), r.out());
        Matcher shapes = Pattern.compile("\n  shapes in the runs: (\\d+) distinct topologies; hosts (.+); VMs per host (.+);"
                + " disks per VM (.+); VMs on the uplink (.+)\n").matcher(r.out());
        assertTrue(shapes.find(), r.out());
        assertTrue(Integer.parseInt(shapes.group(1)) >= 5, "every run draws its own: " + shapes.group(1));
        assertEquals(6, runsIn(shapes.group(2)), "hosts are counted per run: " + shapes.group(2));
        assertTrue(r.out().matches("(?s).*\n  sites (hyperv-site|vmm-cloud) .*; copy frequency .*; fidelity .*\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\n  disk workloads .*(uniform|hot-spot|zipf).*; uplinks .* \\(of 6 runs\\)\n.*"), r.out());
    }

    /** The sum of the counts in "1: 2, 3: 4". */
    private static int runsIn(String counts) {
        return java.util.Arrays.stream(counts.split(", ")).mapToInt(c -> Integer.parseInt(c.substring(c.indexOf(": ") + 2))).sum();
    }

    @Test
    void theSameShapesHuntGivesTheSameSummaryWhateverTheThreads() throws Exception {
        Result one = hunt(NEVER_FAILS, "--shapes", "--runs", "3", "--seed", "8", "--max-actions", "0", "--threads", "1");
        Result two = hunt(NEVER_FAILS, "--shapes", "--runs", "3", "--seed", "8", "--max-actions", "0", "--threads", "2");
        assertEquals(one.out().substring(one.out().indexOf('\n')), two.out().substring(two.out().indexOf('\n')));
    }

    @Test
    void aScenarioFileIsTheBaseOfAHuntOverShapes() throws Exception {
        Path model = tmp.resolve("model.yaml");
        Files.writeString(model, TINY.replace("duration: 1h", "duration: 1h\nfidelity: model"));
        Result r = hunt(NEVER_FAILS, model.toString(), "--shapes", "--runs", "2", "--max-faults", "0", "--max-actions", "0");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("hunt tiny (seed 65): 2 runs, every invariant held ("), r.out());
        assertTrue(r.out().contains("; fidelity model 2\n"), "the base's fidelity holds for every run: " + r.out());
        assertFalse(r.out().contains("VMs on the uplink 2: 2\n"), "the file's two VMs are not every run's shape: " + r.out());
    }

    @Test
    void keepingGoingRunsEveryRunCountsTheFailuresAndShrinksTheFirst() throws Exception {
        Path out = tmp.resolve("kept");
        TraceChecker failsOnAnyFault = run -> run.trace().stream().filter(l -> l.is("fault.injected")).findFirst()
                .map(l -> List.of(new Violation("test-no-fault", l.seq(), l.str("kind")))).orElse(List.of());
        Result r = hunt(failsOnAnyFault, tiny().toString(), "--runs", "6", "--max-faults", "2", "--max-actions", "0",
                "--keep-going", "--out", out.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        long failures = r.out().lines().filter(l -> l.matches("run \\d+/6 \\(seed .*test-no-fault violated.*")).count();
        assertTrue(failures >= 2, "several runs fail, each told: " + r.out());
        assertTrue(r.out().contains("hunt tiny (seed 65): 6 runs, " + failures + " failed, the first in run "), r.out());
        assertTrue(r.out().contains("\n  faults in the runs: "), "what the runs exercised: " + r.out());
        assertTrue(Files.exists(out.resolve("minimal.yaml")));
    }

    @Test
    void shapesOptionsThatDoNotFitExitTwo() throws Exception {
        Result none = hunt(null, "--runs", "2");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("expected a SCENARIO file (or --shapes"), none.err());
        Result replay = hunt(null, tiny().toString(), "--replay", "--shapes");
        assertEquals(2, replay.exit());
        assertTrue(replay.err().contains("--replay runs SCENARIO once as written"), replay.err());
        Path flow = tmp.resolve("flow.yaml");
        Files.writeString(flow, TINY.replace("duration: 1h", "duration: 1h\nfidelity: flow"));
        Result flowShapes = hunt(null, flow.toString(), "--shapes");
        assertEquals(2, flowShapes.exit(), flowShapes.out() + flowShapes.err());
        assertTrue(flowShapes.err().contains("flow fidelity"), flowShapes.err());
    }
}
