package io.replisim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

class CliTest {
    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {}

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    /**
     * The command line in a JVM of its own, with these JVM options and environment variables
     * (and none of the REPLISIM_AZURITE_* variables of the test's own environment).
     */
    static Result cliInJvm(List<String> jvmOptions, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("REPLISIM_AZURITE_"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile("cli", ".out");
        try {
            Process p = builder.redirectOutput(out.toFile()).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            return new Result(exit, Files.readString(out), err);
        } finally {
            Files.delete(out);
        }
    }

    @Test
    void runWritesTheFourOutputsAndExitsZeroWhenExpectationsHold() throws Exception {
        Path out = tmp.resolve("run");
        Result r = cli("run", "library/quickstart.yaml", "--seed", "7", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        for (String f : new String[] {"trace.jsonl", "summary.json", "report.html", "junit.xml"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(r.out().contains("quickstart (seed 7): PASSED"), r.out());
        assertTrue(r.out().matches("(?s).*\n  2h(\\d+s)? simulated, \\d+ events; outputs in .*"), "the simulated time as scenarios write it: " + r.out());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"seed\" : 7"));
        assertTrue(Files.readString(out.resolve("junit.xml")).contains("failures=\"0\""));
        assertFalse(r.err().contains("simulated"), "no progress line when output is not a terminal");
    }

    @Test
    void aRunThatRunsOutOfMemorySaysHowToGiveItMoreAndExitsFour() throws Exception {
        // a separate JVM with a tiny heap: the scale scenario's 200 VMs cannot fit
        Result r = cliInJvm(List.of("-Xmx96m"), Map.of(),
                "run", "scale/scale-200-vms.yaml", "--quiet", "--out", tmp.resolve("oom").toString());
        String err = r.err();
        assertEquals(4, r.exit(), err);
        assertTrue(err.startsWith("replisim: out of memory: the run needs more than the JVM's "), err);
        assertTrue(err.contains("REPLISIM_JAVA_OPTS=-Xmx16g"), err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + err);
    }

    @Test
    void anUnwritableOutputFolderIsAnEnvironmentErrorWithItsOwnExitCode() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
        for (String command : List.of("run", "plan")) {
            String input = command.equals("run") ? "library/quickstart.yaml" : "planner/example.yaml";
            Result r = cli(command, input, "--out", file.resolve("out").toString());
            assertEquals(4, r.exit(), command + ": " + r.err());
            assertTrue(r.err().contains("--out " + file.resolve("out") + ": cannot write there: "), r.err());
            assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
        }
        assertEquals("/data/trace.jsonl: the disk is full",
                Outputs.describe(new java.nio.file.FileSystemException("/data/trace.jsonl", null, "No space left on device")));
        assertEquals("/data: permission denied", Outputs.describe(new java.nio.file.AccessDeniedException("/data")));
    }

    @Test
    void aRunLeavesNoPartialFileAndNoOutputOfAnEarlierRun() throws Exception {
        Path out = tmp.resolve("again");
        assertEquals(0, cli("run", "library/quickstart.yaml", "--out", out.toString()).exit());
        assertEquals(0, cli("run", "library/quickstart.yaml", "--trace", "none", "--out", out.toString()).exit());
        try (var files = Files.list(out)) {
            assertEquals(List.of("junit.xml", "report.html", "summary.json"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the earlier run's trace is gone and no .partial file is left");
        }
    }

    @Test
    void aFailedExpectationExitsOne() throws Exception {
        Path scenario = tmp.resolve("late.yaml");
        Files.writeString(scenario, Files.readString(Path.of("library/quickstart.yaml"))
                .replace("duration: 2h", "duration: 10m")
                .replace("state: Replicating, by: 1m28s", "state: Replicating, by: 30s"));
        Result r = cli("run", scenario.toString(), "--out", tmp.resolve("late").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("FAIL app01 is Replicating by 30s"), r.out());
        assertTrue(r.out().contains("  reproduce: replisim run " + scenario + " --seed 42\n"), "the real path: " + r.out());
        assertTrue(Files.readString(tmp.resolve("late/junit.xml")).contains("<failure"));
    }

    @Test
    void validateAcceptsTheLibraryAndLocatesMistakesWithExitTwo() throws Exception {
        assertEquals(0, cli("validate", "library/quickstart.yaml").exit());
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(Path.of("library/quickstart.yaml")).replace("size: 64MiB", "size: 64 megs"));
        Result r = cli("validate", "library/quickstart.yaml", broken.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(broken + ":24:21: site.hosts[0].vms[0].disks[0].size: '64 megs' is not a size"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void runOnABrokenFileExitsTwoWithoutAStackTrace() throws Exception {
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, "name: x\nwhat: ever\n");
        Result r = cli("run", broken.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("broken.yaml:2:1: what: unknown field 'what'"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aMistypedAzuriteLauncherIsAnInputErrorNamingTheVariable() throws Exception {
        Path out = tmp.resolve("az");
        Result r = cliInJvm(List.of(), Map.of("REPLISIM_AZURITE_LAUNCHER", "contaner"),
                "run", "library/quickstart.yaml", "--azure", "azurite", "--out", out.toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("replisim: --azure azurite: environment variable REPLISIM_AZURITE_LAUNCHER=contaner: expected auto,"
                + " npm or container (see docs/fake-azure.md)\n", r.err());
        assertFalse(Files.exists(out), "nothing is run or written");
    }

    /** The quickstart cut to 20 minutes: enough for Azurite to serve every kind of request. */
    private Path shortQuickstart() throws Exception {
        Path scenario = tmp.resolve("short.yaml");
        Files.writeString(scenario, Files.readString(Path.of("library/quickstart.yaml")).replace("duration: 2h", "duration: 20m"));
        return scenario;
    }

    /** Also the proof that, without --verbose, Testcontainers, the SDK and Azurite log nothing: stderr is this one line. */
    @Test
    void withoutADockerEngineAutoRunsTheNpmAzuriteAndSaysSo() throws Exception {
        assumeFalse(DockerClientFactory.instance().isDockerAvailable(), "a Docker engine answers here");
        Path scenario = shortQuickstart();
        Path out = tmp.resolve("az");
        Result r = cliInJvm(List.of(), Map.of("REPLISIM_AZURITE_LAUNCHER", "auto"),
                "run", scenario.toString(), "--azure", "azurite", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().matches("azurite: npm Azurite pid \\d+ on 127\\.0\\.0\\.1:\\d+; not the container: no Docker"
                + " engine answered\n"), r.err());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"azuriteLauncher\" : \"npm\""));
        assertTrue(Files.readString(out.resolve("junit.xml")).contains("name=\"azuriteLauncher\" value=\"npm\""));
        assertFalse(Files.readString(out.resolve("trace.jsonl")).contains("npm"), "the trace is the same on every machine");
    }

    @Test
    void verboseShowsTheLibrariesInfoLinesAndAzuritesOutputOnStderr() throws Exception {
        Path out = tmp.resolve("verbose");
        Result r = cliInJvm(List.of(), Map.of("REPLISIM_AZURITE_LAUNCHER", "auto"),
                "run", shortQuickstart().toString(), "--azure", "azurite", "--verbose", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.err().lines().toList();
        // whichever launcher serves (the container's output goes the same way)
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[[^]]+\\] INFO azurite - .*Azurite Blob service successfully listens on .*")),
                r.err());
        assertTrue(lines.stream().anyMatch(l -> l.contains(" INFO org.testcontainers.")), "auto asks Testcontainers first: " + r.err());
        assertFalse(lines.stream().anyMatch(l -> l.contains(" DEBUG ")), "one -v stops at INFO: " + r.err());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"passed\" : true"), "the run is the same");
    }

    @Test
    void twiceVerboseAddsTheSdksHttpClientAndEachRequestAzuriteServes() throws Exception {
        Result r = cliInJvm(List.of(), Map.of("REPLISIM_AZURITE_LAUNCHER", "npm"),
                "-vv", "run", shortQuickstart().toString(), "--azure", "azurite", "--out", tmp.resolve("vv").toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches(".* DEBUG reactor\\.netty\\..*")), "the SDK's HTTP client: " + tail(r.err()));
        assertTrue(lines.stream().anyMatch(l -> l.matches(".* DEBUG azurite - 127\\.0\\.0\\.1 - - \\[.*\\] \"PUT /devstoreaccount1/.*")),
                "Azurite's access log: " + tail(r.err()));
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Test
    void withoutAFileRunRunsTheBundledQuickstart() {
        Result r = cli("run", "--out", tmp.resolve("bundled").toString(), "--quiet");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(tmp.resolve("bundled/trace.jsonl")));
    }

    /** 30 VMs on two sites, for six hours in flow fidelity: a fleet's report, a full trace by default. */
    private Path smallFleet() throws Exception {
        Path scenario = tmp.resolve("fleet.yaml");
        Files.writeString(scenario, """
                name: small-fleet
                seed: 3
                start: 2026-01-05T06:00:00+01:00
                duration: 6h
                fidelity: flow
                policy: { copyFrequency: 5m, initialReplicationStart: replicated }
                sites:
                  - name: a
                    uplink: { bandwidth: 100Mbps }
                    fleet: [ { hosts: 2, hostName: "a-hv{0}", volume: 4TiB, vmsPerHost: 10, vmName: "a-vm{00}",
                               disks: [ { name: os, size: 127GiB, churn: { rate: { lognormal: { median: 16KiB/s, sigma: 0.8 } } } } ] } ]
                  - name: b
                    uplink: { bandwidth: 20Mbps }
                    fleet: [ { hosts: 1, hostName: "b-hv{0}", volume: 4TiB, vmsPerHost: 10, vmName: "b-vm{00}",
                               disks: [ { name: os, size: 127GiB, churn: { rate: 64KiB/s } } ] } ]
                faults:
                  - { at: 2h, kind: network-outage, site: b, for: 1h }
                """);
        return scenario;
    }

    @Test
    void aFleetsReportDrawsTheFleetAndListsItsWorstVms() throws Exception {
        Path out = tmp.resolve("full");
        Result r = cli("run", smallFleet().toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        String trace = Files.readString(out.resolve("trace.jsonl"));
        assertTrue(trace.contains("\"type\":\"log.switched\""), "up to 100 VMs the trace is full by default");
        String page = Files.readString(out.resolve("report.html"));
        assertTrue(page.contains("data-chart=\"fleet-health\"") && page.contains("data-chart=\"fleet-rpo\"")
                && page.contains("data-chart=\"fleet-uplink\""), "the fleet's charts");
        assertTrue(page.contains("The 25 worst of 30 VMs"), "the worst VMs, not all");
        assertFalse(page.contains("data-chart=\"pending\""), "no per-VM charts for a fleet");
        assertTrue(page.indexOf("<td>b-vm") < page.indexOf("<td>a-vm"), "site b's outage makes its VMs the worst");
        assertTrue(page.contains("All 30 replicas are identical to their sources."), page);
    }

    @Test
    void traceLevelsStatesAndNoneKeepTheReportAndSayTheInvariantsWereNotChecked() throws Exception {
        Path scenario = smallFleet();
        Result states = cli("run", scenario.toString(), "--trace", "states", "--out", tmp.resolve("states").toString());
        assertEquals(0, states.exit(), states.err());
        assertTrue(states.out().contains("invariants not checked"), states.out());
        String trace = Files.readString(tmp.resolve("states/trace.jsonl"));
        assertFalse(trace.contains("\"type\":\"log.") || trace.contains("\"type\":\"transfer.")
                || trace.contains("\"type\":\"recovery-point."), "states drops the per-cycle events");
        assertTrue(trace.contains("\"type\":\"retry.scheduled\""), "and keeps the rest");

        Path none = tmp.resolve("none");
        Files.createDirectories(none);
        Files.writeString(none.resolve("trace.jsonl"), "left by an earlier run\n");
        Result r = cli("run", scenario.toString(), "--trace", "none", "--out", none.toString());
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(none.resolve("trace.jsonl")), "no trace, and none of another run's");
        String page = Files.readString(none.resolve("report.html"));
        assertTrue(page.contains("data-chart=\"fleet-rpo\""), "the fleet's charts need no trace");
        assertTrue(page.contains("this run wrote no trace"), "the page says why the timeline is missing");
        assertEquals(0, cli("report", none.toString()).exit(), "the report renders again without a trace");
        Result diff = cli("diff", none.toString(), tmp.resolve("states").toString());
        assertTrue(diff.out().contains("trace: not compared"), diff.out() + diff.err());

        Result bad = cli("run", scenario.toString(), "--trace", "verbose", "--out", tmp.resolve("bad").toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--trace verbose: expected full, states or none"), bad.err());
    }

    @Test
    void benchGeneratesAFleetRunsItAndPrintsItsFigures() throws Exception {
        Path out = tmp.resolve("bench");
        Result r = cli("bench", "--vms", "40", "--days", "1", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        String row = r.out().lines().filter(l -> l.startsWith("fleet-40 ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        String[] cells = row.trim().split("\\s+");
        assertEquals("40", cells[1], row);
        assertEquals("1.0", cells[2], row);
        assertTrue(Long.parseLong(cells[6]) > 40 * 288, "at least a cycle per VM every 5 minutes: " + row);
        assertTrue(r.out().contains("VM-days/s") && r.out().contains("peak heap"), r.out());
        Path fleet = out.resolve("fleet-40/fleet-40.yaml");
        assertTrue(Files.readAllLines(fleet).size() < 100, "a generated fleet is a short file");
        assertEquals(0, cli("validate", fleet.toString()).exit(), "the generated fleet is a valid scenario");
        assertTrue(Files.size(out.resolve("runs/fleet-40.trace.jsonl")) > 0, "states trace by default");

        Result tooSmall = cli("bench", "--vms", "5", "--out", out.toString());
        assertEquals(2, tooSmall.exit());
        assertTrue(tooSmall.err().contains("--vms"), tooSmall.err());
    }

    @Test
    void sweepRunsTheGridPrintsATableWritesResultsAndAReportAndResumes() throws Exception {
        Files.writeString(tmp.resolve("base.yaml"), """
                name: tiny
                seed: 5
                start: 2026-01-05T20:00:00+01:00
                duration: 30m
                fidelity: model
                policy: { copyFrequency: 5m }
                site:
                  uplink: { bandwidth: 20Mbps }
                  hosts: [ { name: hv01, volume: 1GiB, vms: [ { name: app01, disks: [ { name: os, size: 16MiB, churn: { rate: 256KiB/min } } ] } ] } ]
                expect:
                  - { vm: app01, state: Replicating, by: 2m }
                """);
        Path sweep = tmp.resolve("sweep.yaml");
        Files.writeString(sweep, "scenario: base.yaml\ngrid:\n  site.uplink.bandwidth: [1Mbps, 20Mbps]\nseeds: 2\n");
        Path out = tmp.resolve("sweep-out");
        Result r = cli("sweep", sweep.toString(), "--out", out.toString(), "--threads", "2", "--keep-traces");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("3\\s+20Mbps\\s+2\\s+1/1\\s+1m 7s.*")), r.out());
        assertTrue(r.out().contains("4 points (4 run in"), r.out());
        assertTrue(r.out().contains("2 with failed expectations"), "the 1 Mbps points are late: " + r.out());
        String csv = Files.readString(out.resolve("results.csv"));
        assertTrue(csv.startsWith("point,site.uplink.bandwidth,seed,passed,"), csv);
        assertEquals(5, csv.lines().count());
        assertTrue(Files.readString(out.resolve("report.html")).contains("data-chart=\"sweep-ir-end\""));
        assertTrue(Files.exists(out.resolve("traces/point-3.trace.jsonl")));

        Result again = cli("sweep", sweep.toString(), "--out", out.toString(), "--check");
        assertEquals(1, again.exit(), "--check: the 1 Mbps points miss their expectation");
        assertTrue(again.out().contains("4 points (0 run in") && again.out().contains("4 found"), again.out());
        assertEquals(csv, Files.readString(out.resolve("results.csv")), "resumed: nothing run again, the same rows");

        Files.writeString(sweep, "scenario: base.yaml\ngrid:\n  site.uplink.bandwidth: [1Mbps, 20 Mbps per second]\n");
        Result bad = cli("sweep", sweep.toString(), "--out", out.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().startsWith(sweep + ":3:3: grid.site.uplink.bandwidth: the point 20 Mbps per second is not a valid scenario"),
                bad.err());
        assertEquals(2, cli("sweep", sweep.toString(), "--engine", "cluster").exit());
        Result noSpark = cli("sweep", sweep.toString(), "--engine", "spark");
        assertEquals(2, noSpark.exit());
        assertTrue(noSpark.err().contains("comes with replisim-spark.jar"), noSpark.err());
    }

    @Test
    void badFlagsExitTwoAndSayWhy() {
        assertEquals(2, cli("run", "library/quickstart.yaml", "--seed", "many").exit());
        assertEquals(2, cli("run", "library/quickstart.yaml", "--bogus").exit());
        Result azure = cli("run", "library/quickstart.yaml", "--azure", "cosmos", "--out", tmp.toString());
        assertEquals(2, azure.exit());
        assertTrue(azure.err().contains("expected one of [memory, azurite]") || azure.err().contains("memory, azurite"), azure.err());
        assertEquals(2, cli("frobnicate").exit());
        assertEquals(2, cli().exit());
    }

    @Test
    void exportDisksWritesDesignsLayoutThatQemuImgAccepts() throws Exception {
        Path export = tmp.resolve("export");
        Result r = cli("run", "library/quickstart.yaml", "--quiet", "--out", tmp.resolve("run").toString(),
                "--export-disks", export.toString());
        assertEquals(0, r.exit(), r.err());
        Path source = export.resolve("source/app01/os.vhdx");
        Path replica = export.resolve("replica/app01/os.vhd");
        Path hostDisk = export.resolve("hosts/hv01/C/app01/Virtual Hard Disks/os.vhdx");
        assertTrue(Files.size(source) > 0 && Files.size(replica) == (64L << 20) + 512 && Files.exists(hostDisk));
        try (var logs = Files.list(hostDisk.getParent())) {
            assertTrue(logs.anyMatch(p -> p.getFileName().toString().endsWith(".hrl")), "the active log lies beside its disk");
        }
        // Files keep the simulated time they were last written (the quickstart runs in 2026-01).
        assertTrue(Files.getLastModifiedTime(hostDisk).toString().startsWith("2026-01-"),
                Files.getLastModifiedTime(hostDisk).toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(qemuImg(), "qemu-img is not installed");
        assertEquals(0, run("qemu-img", "check", "-f", "vhdx", source.toString()));
        // the replica is read at the disk's exact size: identical, with no size warning
        ProcessBuilder compare = new ProcessBuilder("qemu-img", "compare", "-f", "vhdx", "-F", "vpc", source.toString(),
                replica.toString()).redirectErrorStream(true);
        Process p = compare.start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor());
        assertEquals("Images are identical.", said);
    }

    @Test
    void planAnswersWritesItsTablesAndReportAndRejectsBadInputWithExitTwo() throws Exception {
        Files.writeString(tmp.resolve("inventory.csv"), "vm,host,site,disk,provisioned,used,churn_avg,churn_peak\n"
                + "vm1,hv1,hq,os,64,8,0.2,1\nvm2,hv1,hq,os,64,8,0.4,1.5\n");
        Path plan = Files.writeString(tmp.resolve("plan.yaml"), "name: cli\nstart: 2026-03-02T00:00:00+01:00\nhorizon: 6h\n"
                + "inventory: inventory.csv\ntargetRpo: 15m\nseeds: 2\nsites: [ { name: hq, uplink: { bandwidth: 20Mbps } } ]\n"
                + "initialReplication: { window: 6h }\n");
        Path out = tmp.resolve("plan-out");
        Result r = cli("plan", plan.toString(), "--out", out.toString(), "--what-if", "copyFrequency=15m");
        assertEquals(0, r.exit(), r.err());
        for (String f : new String[] {"plan.json", "vms.csv", "sites.csv", "waves.csv", "report.html"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(r.out().contains("plan: target RPO 15m, 2 seeds") && r.out().contains("copyFrequency=15m: target RPO"), r.out());
        assertTrue(r.out().matches("(?s).*\nhq +2 .*\nfleet +2 .*"), r.out());
        assertTrue(r.err().contains("plan: bandwidth search, "), "progress on stderr: " + r.err());
        String sites = Files.readString(out.resolve("sites.csv"));
        assertTrue(sites.startsWith("case,site,vms,") && sites.contains("\nplan,hq,2,") && sites.contains("\ncopyFrequency=15m,fleet,2,"), sites);

        Result badWhatIf = cli("plan", plan.toString(), "--out", out.toString(), "--what-if", "bandwidth=fast");
        assertEquals(2, badWhatIf.exit());
        assertTrue(badWhatIf.err().contains("--what-if bandwidth=fast: "), badWhatIf.err());
        Files.writeString(tmp.resolve("inventory.csv"), "vm,host,site,disk,provisioned,used,churn_avg\nvm1,hv1,hq,os,64,128,0.2\n");
        Result badInventory = cli("plan", plan.toString(), "--out", out.toString());
        assertEquals(2, badInventory.exit());
        assertTrue(badInventory.err().contains("inventory.csv:2:18: used: expected above 0 and at most the provisioned size"),
                badInventory.err());
        assertFalse(badInventory.err().contains("Exception"), badInventory.err());
    }

    @Test
    void theBundledPlanAnswersOutOfTheBox() throws Exception {
        // one seed here: the ten of the plan are the benchmark's (benchmarks/README.md, "Capacity plans")
        Path out = tmp.resolve("example");
        Result r = cli("plan", "planner/example.yaml", "--seeds", "1", "--out", out.toString(), "--quiet");
        assertEquals(0, r.exit(), r.err());
        java.util.List<String> sites = Files.readAllLines(out.resolve("sites.csv"));
        assertEquals(5, sites.size(), "a header, three sites and the fleet: " + sites);
        java.util.List<String> header = java.util.List.of(sites.get(0).split(","));
        for (String row : sites.subList(1, 5)) {
            String[] cells = row.split(",");
            double n100 = Double.parseDouble(cells[header.indexOf("needed_100_Mbps")]);
            double n95 = Double.parseDouble(cells[header.indexOf("needed_95_Mbps")]);
            double n90 = Double.parseDouble(cells[header.indexOf("needed_90_Mbps")]);
            double average = Double.parseDouble(cells[header.indexOf("churn_avg_Mbps")]);
            assertTrue(n90 <= n95 && n95 <= n100, row);
            assertTrue(n90 >= average * 0.9, "below the average churn the backlog grows without end: " + row);
            assertFalse(cells[header.indexOf("ir_end_s")].isEmpty(), "every VM replicates: " + row);
        }
        assertEquals(301, Files.readAllLines(out.resolve("vms.csv")).size(), "a header and 300 VMs");
    }

    private static boolean qemuImg() {
        try {
            return run("qemu-img", "--version") == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    @Test
    void helpAndVersionAnswerAndExitZero() {
        Result help = cli("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("run") && help.out().contains("validate") && help.out().contains("Exit codes"), help.out());
        Result runHelp = cli("run", "--help");
        assertTrue(runHelp.out().contains("--seed") && runHelp.out().contains("--out"), runHelp.out());
        Result bare = cli();
        assertEquals(2, bare.exit());
        assertTrue(bare.err().contains("Missing a command: one of run, validate, report, diff, hunt, sweep, plan, bench, help"), bare.err());
        Result unknown = cli("nosuch", "--help");
        assertEquals(2, unknown.exit(), "an unknown command is an error, whatever follows it");
        assertTrue(unknown.err().contains("unknown command 'nosuch'") && unknown.out().isEmpty(), unknown.err());
        for (String command : new String[] {"run", "validate", "report", "diff", "hunt", "sweep", "plan", "bench"}) {
            Result h = cli(command, "--help");
            assertEquals(0, h.exit(), command);
            assertTrue(h.out().replaceAll("\\s+", " ").matches(".*Exit 0 .*\\b2\\b.*"), command + " --help names its exit codes: " + h.out());
        }
        Result version = cli("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().matches("(?s)replisim \\d+\\.\\d+\\.\\d+.*"), version.out());
    }
}
