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
        assertTrue(names.size() >= 10 && names.containsAll(List.of("no-data-loss", "replica-never-ahead", "retry-ladder",
                "resync-iff-trigger", "every-job-finished", "sends-only-differing-blocks",
                "health-follows-rules", "resync-outside-office-hours", "recovery-points-within-retention", "uplink-within-capacity")), names.toString());
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
}
