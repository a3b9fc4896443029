package io.replisim.simulator.sweep;

import io.replisim.simulator.replication.VmSummary;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/** Runs one point of a sweep: what every engine calls, wherever it runs. */
public final class SweepRuns {
    private SweepRuns() {}

    /**
     * Runs {@code task} on the in-memory backend on one thread (the engine runs points side by
     * side), its trace digested and, if {@code traces} is not null, kept there as
     * {@code point-<index>.trace.jsonl}.
     */
    public static SweepRow run(SweepTask task, Path traces) {
        Scenario scenario;
        try {
            scenario = new ScenarioLoader().parse(Path.of(task.file()), task.scenario());
        } catch (ScenarioException e) { // the sweep validated every point before running any
            throw new IllegalStateException("point " + task.index() + ": " + e.errors().get(0).format(), e);
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        RunRecord r;
        try (OutputStream file = traces == null ? OutputStream.nullOutputStream()
                : Files.newOutputStream(traces.resolve("point-" + task.index() + ".trace.jsonl"));
             Writer trace = new BufferedWriter(new OutputStreamWriter(new DigestOutputStream(file, sha), StandardCharsets.UTF_8))) {
            r = Simulator.run(scenario, RunOptions.withSeed(task.seed()).trace(trace).threads(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return row(task, r, HexFormat.of().formatHex(sha.digest()));
    }

    static SweepRow row(SweepTask task, RunRecord r, String traceSha256) {
        List<VmSummary> vms = r.vms();
        Map<String, Integer> states = new TreeMap<>();
        double irEnd = 0;
        for (VmSummary vm : vms) {
            states.merge(vm.finalState(), 1, Integer::sum);
            irEnd = vm.timeToReplicating() == null || irEnd < 0 ? -1 : Math.max(irEnd, seconds(vm.timeToReplicating()));
        }
        StringBuilder finalStates = new StringBuilder();
        states.forEach((state, n) -> finalStates.append(finalStates.length() > 0 ? ";" : "").append(state).append(':').append(n));
        int held = (int) r.expectations().stream().filter(RunRecord.ExpectationResult::passed).count();
        return new SweepRow(task.index(), task.values(), task.seed(), r.passed(), held, r.expectations().size(), vms.size(),
                finalStates.toString(), vms.isEmpty() ? -1 : irEnd, worst(vms, VmSummary.Rpo::p50), worst(vms, VmSummary.Rpo::p95),
                worst(vms, VmSummary.Rpo::p99), worst(vms, VmSummary.Rpo::max), sum(vms, VmSummary::resyncs),
                sum(vms, VmSummary::bytesSent), sum(vms, VmSummary::errors), r.events(), traceSha256, task.digest());
    }

    private static double worst(List<VmSummary> vms, java.util.function.Function<VmSummary.Rpo, Duration> figure) {
        double worst = 0;
        for (VmSummary vm : vms) {
            if (vm.rpo() != null && figure.apply(vm.rpo()) != null) {
                worst = Math.max(worst, seconds(figure.apply(vm.rpo())));
            }
        }
        return worst;
    }

    private static long sum(List<VmSummary> vms, ToLongFunction<VmSummary> figure) {
        return vms.stream().mapToLong(figure).sum();
    }

    /** Seconds to the millisecond, as results.csv holds them (a resumed sweep's rows are those read back). */
    private static double seconds(Duration d) {
        return Math.round(d.toNanos() / 1e6) / 1000.0;
    }
}
