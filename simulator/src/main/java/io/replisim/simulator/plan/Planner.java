package io.replisim.simulator.plan;

import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.net.CapacitySchedule;
import io.replisim.simulator.replication.VmOutcome;
import io.replisim.simulator.replication.VmSummary;
import io.replisim.simulator.run.FleetSeries;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.ReplicationConfigs;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.Site;
import io.replisim.simulator.scenario.Units;
import io.replisim.simulator.sweep.LocalEngine;
import io.replisim.simulator.sweep.SweepEngine;
import io.replisim.simulator.trace.TraceLevel;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Answers a plan by simulation (docs/planner.md): the steady state over the plan's seeds, a
 * bandwidth search per site and seed, and initial replication in waves; then the analytic
 * figures (outage tolerance, rule of thumb, storage). Runs go on a {@link SweepEngine}, each on
 * one thread; every answer is a function of the plan and its seeds alone.
 */
public final class Planner {
    private Planner() {}

    /**
     * How to run: on how many threads (0: all cores); who hears of progress (a line as each step
     * ends) and of status within a step (each run or round; from any thread).
     */
    public record Options(int threads, Consumer<String> progress, Consumer<String> status) {
        public Options(int threads, Consumer<String> progress) {
            this(threads, progress, line -> {});
        }
    }

    /** A VM's steady-state figures in one run. */
    record VmSample(double p50, double p95, double p99, double max, double within, long resyncs, long peakPending)
            implements Serializable {}

    /** One seed's steady run: each VM's figures, each site's share of capacity used, the fleet's series (first seed only). */
    record SteadyRun(long seed, Map<String, VmSample> vms, Map<String, Double> uplinkUse, FleetSeries series)
            implements Serializable {}

    public static PlanResult plan(PlanInput input, String label, Options options) throws Exception {
        Plan plan = input.plan();
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= plan.effectiveSeeds(); s++) {
            seeds.add(s);
        }
        try (SweepEngine engine = new LocalEngine(options.threads(), null)) {
            java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            List<SteadyRun> steady = engine.map(seeds, seed -> {
                SteadyRun r = steady(input, seed, threadsPerRun(options.threads(), seeds.size()));
                options.status().accept(String.format("%s: steady state, %d of %d seeds", label, done.incrementAndGet(), seeds.size()));
                return r;
            });
            options.progress().accept(String.format("%s: steady state, %d seeds of %d VMs over %s", label, seeds.size(),
                    input.inventory().vms().size(), Units.formatDuration(plan.horizon())));
            BandwidthSearch.Result search = new BandwidthSearch(input, seeds, engine,
                    probes -> options.status().accept(String.format("%s: bandwidth search, %d probes", label, probes))).run();
            options.progress().accept(String.format("%s: bandwidth search, %d probes over %s each", label, search.probes(),
                    Units.formatDuration(search.horizon())));
            WavePlanner.Result waves = new WavePlanner(input, seeds, engine, options.threads(),
                    runs -> options.status().accept(String.format("%s: initial replication, %d runs", label, runs))).run();
            options.progress().accept(String.format("%s: initial replication, %d waves, %d runs", label,
                    waves.waves().size(), waves.runs()));
            return Answers.assemble(input, label, steady, search, waves);
        }
    }

    /** The steady state for one seed, its figures kept. */
    static SteadyRun steady(PlanInput input, long seed, int threads) {
        Simulator.Run run = run(input.steady(seed), RunOptions.withSeed(seed).threads(threads).traceLevel(TraceLevel.NONE));
        Duration target = input.plan().targetRpo();
        Map<String, VmSample> vms = new LinkedHashMap<>();
        for (VmOutcome o : run.outcomes()) {
            VmSummary s = o.summary();
            VmSummary.Rpo r = s.rpo();
            vms.put(s.vm(), new VmSample(r == null ? 0 : seconds(r.p50()), r == null ? 0 : seconds(r.p95()),
                    r == null ? 0 : seconds(r.p99()), r == null ? 0 : seconds(r.max()), o.rpoWithin(target), s.resyncs(),
                    o.peakPendingLogBytes()));
        }
        Map<String, Double> use = new LinkedHashMap<>();
        FleetSeries fleet = run.record().fleet();
        if (fleet != null) {
            for (FleetSeries.SiteUse u : fleet.sites()) {
                double sent = 0;
                double capacity = 0;
                for (int i = 0; i < u.sentBitsPerSecond().length; i++) {
                    sent += u.sentBitsPerSecond()[i];
                    capacity += u.capacityBitsPerSecond()[i];
                }
                use.put(u.site(), capacity == 0 ? 0 : sent / capacity);
            }
        }
        return new SteadyRun(seed, vms, use, seed == 1 ? fleet : null);
    }

    /**
     * The threads each of {@code runs} runs side by side may give its sites, so that fewer runs
     * than cores still use them all (a run's outputs do not depend on its threads).
     */
    static int threadsPerRun(int threads, int runs) {
        int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return Math.max(1, cores / Math.max(1, runs));
    }

    /** One run in flow fidelity, without a trace, on the calling thread. */
    static Simulator.Run run(Scenario scenario, long seed) {
        return run(scenario, RunOptions.withSeed(seed).threads(1).traceLevel(TraceLevel.NONE));
    }

    static Simulator.Run run(Scenario scenario, RunOptions options) {
        try {
            return Simulator.execute(scenario, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** The site's mean capacity over {@code horizon}, in bits a second, as its uplink (profile, schedule, throttle) offers it. */
    static double meanCapacity(Site site, Plan plan, Duration horizon) {
        CapacitySchedule c = new CapacitySchedule(ReplicationConfigs.capacity(site.uplink()), plan.start().toInstant(), plan.effectiveZone());
        long end = SimTime.of(horizon);
        double sum = 0;
        for (long t = 0; t < end; ) {
            long next = Math.min(end, c.nextChange(t));
            sum += (double) c.at(t) * (next - t);
            t = next;
        }
        return sum / end;
    }
}
