package io.replisim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportAndDiffCommandTest {
    @TempDir
    static Path tmp;
    static Path seven;
    static Path sevenAgain;
    static Path eight;
    static Path busier;

    record Result(int exit, String out, String err) {}

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    @BeforeAll
    static void runs() throws Exception {
        seven = tmp.resolve("seven");
        sevenAgain = tmp.resolve("seven-again");
        eight = tmp.resolve("eight");
        assertEquals(0, cli("run", "library/quickstart.yaml", "--seed", "7", "--quiet", "--out", seven.toString()).exit());
        assertEquals(0, cli("run", "library/quickstart.yaml", "--seed", "7", "--quiet", "--out", sevenAgain.toString()).exit());
        assertEquals(0, cli("run", "library/quickstart.yaml", "--seed", "8", "--quiet", "--out", eight.toString()).exit());
        Path scenario = tmp.resolve("busier.yaml");
        String quickstart = Files.readString(Path.of("library/quickstart.yaml"));
        // quickstart's expectations are bounds derived from its 1 MiB/min: the busier run keeps only the replica check
        Files.writeString(scenario, quickstart.substring(0, quickstart.indexOf("expect:")).replace("rate: 1MiB/min", "rate: 2MiB/min")
                + "expect:\n  - { replicaMatchesSource: true }\n");
        busier = tmp.resolve("busier");
        assertEquals(0, cli("run", scenario.toString(), "--seed", "7", "--quiet", "--out", busier.toString()).exit());
    }

    @Test
    void reportRendersTheSamePageAgainFromTheRunFolderAlone() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("copy"));
        for (String f : new String[] {"summary.json", "trace.jsonl"}) {
            Files.copy(seven.resolve(f), copy.resolve(f));
        }
        Result r = cli("report", copy.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("wrote " + copy.resolve("report.html")), r.out());
        assertArrayEquals(Files.readAllBytes(seven.resolve("report.html")), Files.readAllBytes(copy.resolve("report.html")),
                "the page depends on the summary and the trace only");
        assertArrayEquals(Files.readAllBytes(seven.resolve("junit.xml")), Files.readAllBytes(copy.resolve("junit.xml")));
        String html = Files.readString(copy.resolve("report.html"));
        for (String chart : new String[] {"timeline", "uplink", "pending", "rpo"}) {
            assertTrue(html.contains("data-chart=\"" + chart + "\""), chart);
        }
    }

    @Test
    void reportOnAFolderWithoutARunExitsTwoAndSaysWhatIsMissing() throws Exception {
        Path half = Files.createDirectories(tmp.resolve("half"));
        Files.copy(seven.resolve("summary.json"), half.resolve("summary.json"));
        Result r = cli("report", half.toString());
        assertEquals(2, r.exit());
        assertEquals("replisim report: " + half + ": no trace.jsonl (expected a run folder written by 'replisim run')",
                r.err().strip());
        assertFalse(Files.exists(half.resolve("report.html")));
        assertEquals(2, cli("report", tmp.resolve("missing").toString()).exit());
        assertEquals(2, cli("report").exit(), "RUN_DIR is required");
    }

    @Test
    void reportRefusesATraceOfAnotherRun() throws Exception {
        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(seven.resolve("summary.json"), mixed.resolve("summary.json"));
        Files.copy(eight.resolve("trace.jsonl"), mixed.resolve("trace.jsonl"));
        Result r = cli("report", mixed.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("the trace is of another run (quickstart, seed 8)"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void diffOfTwoRunsOfTheSameSeedFindsNothingAndExitsZero() {
        Result r = cli("diff", seven.toString(), sevenAgain.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("trace: identical (") && r.out().contains("summary: identical"), r.out());
    }

    @Test
    void diffOfTwoSeedsComparesBehaviourNotTheHeader() {
        Result r = cli("diff", seven.toString(), eight.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        String[] lines = r.out().split("\n");
        assertEquals("A: " + seven, lines[0]);
        assertEquals("B: " + eight, lines[1]);
        // the seed in the header is not where they differ: the first behavioural difference of each VM is
        assertTrue(lines[2].matches("trace: \\d+ of \\d+ differ \\(.*app01.*\\); the first difference of each:"), lines[2]);
        assertFalse(r.out().contains("\"seed\":7"), "the header is not the difference: " + r.out());
        assertFalse(r.out().contains("  seed: 7 -> 8"), "nor in the summary: " + r.out());
    }

    @Test
    void diffOfABusierWorkloadPrintsEachVmsFirstDivergingEventAndPerVmDeltasAndExitsOne() {
        Result r = cli("diff", seven.toString(), busier.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[2].matches("trace: \\d+ of \\d+ differ \\(.*app01.*\\); the first difference of each:"), lines[2]);
        String out = r.out();
        assertTrue(out.matches("(?s).*\n  app01: event \\d+ of its \\d+ \\(A\\) and \\d+ \\(B\\)\n.*"), out);
        assertTrue(out.matches("(?s).*\n    A: \\{\"seq\":\\d+,.*\n    B: \\{\"seq\":\\d+,.*"), out);
        assertTrue(out.matches("(?s).*\n  app01: logBytesShipped: \\d+ -> \\d+ \\(\\+\\d+\\)\n.*"), out);
        assertTrue(out.matches("(?s).*\n  app01: bytesSent: \\d+ -> \\d+ \\(\\+\\d+\\)\n.*"), out);
    }

    @Test
    void diffWithABadFolderOrArgumentsExitsTwo() {
        Result r = cli("diff", seven.toString(), tmp.resolve("nowhere").toString());
        assertEquals(2, r.exit());
        assertEquals("replisim diff: " + tmp.resolve("nowhere") + ": not a folder", r.err().strip());
        assertEquals(2, cli("diff", seven.toString()).exit());
        assertEquals(2, cli("diff").exit());
    }

    @Test
    void helpListsTheNewCommands() {
        Result help = cli("--help");
        assertTrue(help.out().contains("report") && help.out().contains("diff"), help.out());
    }
}
