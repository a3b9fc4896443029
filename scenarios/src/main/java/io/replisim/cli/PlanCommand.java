package io.replisim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.replisim.reports.PlanReport;
import io.replisim.simulator.plan.Plan;
import io.replisim.simulator.plan.PlanInput;
import io.replisim.simulator.plan.PlanLoader;
import io.replisim.simulator.plan.PlanResult;
import io.replisim.simulator.plan.PlanResult.SiteAnswer;
import io.replisim.simulator.plan.PlanResult.Spread;
import io.replisim.simulator.plan.PlanTables;
import io.replisim.simulator.plan.Planner;
import io.replisim.simulator.plan.WhatIf;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Answers a capacity planner's questions by simulation (docs/planner.md): from an inventory of VMs and disks and each site's uplink, the RPO each VM gets in steady state, the bandwidth each site needs to meet the target RPO 100%%, 95%% and 90%% of the time, the initial replication plan in waves, storage and log space, each over several seeds with its spread, beside the rule of thumb.",
            "Writes plan.json, vms.csv, sites.csv, waves.csv and report.html into the output folder.",
            "Exit 0 when the plan was answered, 2 on invalid input (plan, inventory, CSV, flag), 3 on an internal error, 4 when the environment stopped it (an output folder not writable, a full disk)."
        })
final class PlanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PLAN", description = "The plan file (YAML): inventory, sites and their uplinks, policy, target RPO, horizon.")
    Path file;

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds every answer is simulated with (seeds 1 to N). Default: the plan's, else 10.")
    Integer seeds;

    @Option(names = "--what-if", paramLabel = "KEY=VALUE",
            description = "Answer the plan again with one change, as a second column: bandwidth=200Mbps or bandwidth=x1.5, copyFrequency=15m, throttle=50Mbps or throttle=none, outage=8h/7d or outage=none. Repeatable: each is its own column.")
    List<String> whatIfs = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "Simulations run side by side. Default: all cores.")
    int threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/plan-<name>/")
    Path out;

    @Option(names = "--quiet", description = "Print nothing but errors.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (threads < 0) {
            stderr.println("replisim plan: --threads " + threads + ": expected 0 (all cores) or more");
            return Main.INVALID_INPUT;
        }
        if (seeds != null && (seeds < 1 || seeds > 1000)) {
            stderr.println("replisim plan: --seeds " + seeds + ": expected 1 to 1000");
            return Main.INVALID_INPUT;
        }
        List<WhatIf> changes = new ArrayList<>();
        for (String w : whatIfs) {
            try {
                changes.add(WhatIf.parse(w));
            } catch (IllegalArgumentException e) {
                stderr.println("replisim plan: --what-if " + e.getMessage());
                return Main.INVALID_INPUT;
            }
        }
        PlanInput input;
        Map<String, PlanInput> cases = new LinkedHashMap<>();
        try {
            input = PlanLoader.load(file);
            if (seeds != null) {
                input = input.withSeeds(seeds);
            }
            cases.put("plan", input);
            for (WhatIf w : changes) {
                cases.put(w.label(), w.apply(input));
            }
        } catch (ScenarioException e) {
            for (ScenarioError error : e.errors()) {
                stderr.println(error.format());
            }
            return Main.INVALID_INPUT;
        }
        Plan plan = input.plan();
        Path dir = out != null ? out : Path.of("runs", "plan-" + plan.name());
        String unwritable = Outputs.prepare(dir);
        if (unwritable != null) {
            stderr.println("replisim plan: --out " + dir + ": " + unwritable);
            return Main.ENVIRONMENT;
        }
        long wallStart = System.nanoTime();
        long[] last = {wallStart};
        StatusLine status = new StatusLine(stderr, System.console() != null && !quiet);
        List<PlanResult> results = new ArrayList<>();
        for (Map.Entry<String, PlanInput> c : cases.entrySet()) {
            results.add(Planner.plan(c.getValue(), c.getKey(), new Planner.Options(threads, line -> {
                long now = System.nanoTime();
                synchronized (status) {
                    status.clear();
                    if (!quiet) {
                        stderr.printf(Locale.ROOT, "%s: %.1f s%n", line, (now - last[0]) / 1e9);
                    }
                }
                last[0] = now;
            }, line -> {
                synchronized (status) {
                    status.show(line + String.format(Locale.ROOT, " (%.0f s)", (System.nanoTime() - last[0]) / 1e9));
                }
            })));
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        ObjectMapper json = new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT);
        write(dir.resolve("plan.json"), json.writeValueAsString(Map.of("cases", results)));
        write(dir.resolve("vms.csv"), PlanTables.vms(results));
        write(dir.resolve("sites.csv"), PlanTables.sites(results));
        write(dir.resolve("waves.csv"), PlanTables.waves(results));
        write(dir.resolve("report.html"), PlanReport.render(results));
        if (!quiet) {
            print(stdout, results);
            stdout.printf(Locale.ROOT, "plan %s: %d VMs at %d site%s, %d seed%s, %s answered in %.1f s%n", plan.name(),
                    input.inventory().vms().size(), plan.sites().size(), plan.sites().size() == 1 ? "" : "s",
                    input.plan().effectiveSeeds(), input.plan().effectiveSeeds() == 1 ? "" : "s",
                    results.size() == 1 ? "the plan" : "the plan and " + (results.size() - 1) + " what-if" + (results.size() == 2 ? "" : "s"), wall);
            stdout.println("wrote " + dir.resolve("report.html") + ", vms.csv, sites.csv, waves.csv and plan.json");
        }
        return Main.OK;
    }

    /** Written to a temporary name and moved into place: an interrupted plan never leaves a file that looks whole. */
    private static void write(Path to, String text) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Per case, the sites and the fleet: what a planner reads first. */
    private static void print(PrintWriter out, List<PlanResult> results) {
        for (PlanResult r : results) {
            out.printf(Locale.ROOT, "%s: target RPO %s, %d seeds; bandwidth searched to %.0f%% over %s%n", r.label(),
                    Units.formatDuration(Duration.ofSeconds(r.targetRpoSeconds())), r.seeds(), r.precision() * 100,
                    Units.formatDuration(Duration.ofSeconds(r.searchHorizonSeconds())));
            List<List<String>> table = new ArrayList<>();
            table.add(List.of("site", "VMs", "churn avg", "sum of peaks", "needed 100%", "needed 95%", "needed 90%", "IR end",
                    "within target (worst VM)", "resyncs"));
            List<SiteAnswer> all = new ArrayList<>(r.sites());
            all.add(r.fleet());
            for (SiteAnswer a : all) {
                table.add(List.of(a.site(), Integer.toString(a.vms()), mbps(a.churnAverageMbps()), mbps(a.churnPeakSumMbps()),
                        mbps(a.needed100()), mbps(a.needed95()), mbps(a.needed90()), seconds(a.irEnd()), share(a.worstWithinTarget()),
                        a.resyncs().median() == null ? "" : PlanTables.num(a.resyncs().median())));
            }
            TextTable.print(out, table);
        }
    }

    static String mbps(double v) {
        return String.format(Locale.ROOT, "%.1f Mbps", v);
    }

    /** A spread of Mbps: the median with the seeds' range when they differ. */
    static String mbps(Spread s) {
        if (s.median() == null) {
            return "not reached";
        }
        String m = String.format(Locale.ROOT, "%.1f", s.median());
        return (s.stable() ? m : m + String.format(Locale.ROOT, " (%.1f-%.1f)", s.min(), s.max())) + " Mbps"
                + (s.missing() > 0 ? " [" + s.missing() + " seeds not reached]" : "");
    }

    static String seconds(Spread s) {
        if (s.median() == null) {
            return "never";
        }
        String m = Units.formatDuration(Duration.ofSeconds(Math.round(s.median())));
        return s.stable() ? m : m + " (" + Units.formatDuration(Duration.ofSeconds(Math.round(s.min()))) + "-"
                + Units.formatDuration(Duration.ofSeconds(Math.round(s.max()))) + ")";
    }

    static String share(Spread s) {
        if (s.median() == null) {
            return "";
        }
        String m = String.format(Locale.ROOT, "%.1f%%", s.median() * 100);
        return s.stable() ? m : m + String.format(Locale.ROOT, " (%.1f-%.1f%%)", s.min() * 100, s.max() * 100);
    }
}
