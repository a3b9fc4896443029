package io.replisim.simulator.plan;

import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.replication.VmOutcome;
import io.replisim.simulator.sweep.SweepEngine;
import java.io.Serializable;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans initial replication in waves (docs/planner.md, "What is simulated"). VMs whose
 * inventory row gives a wave start it at (wave - 1) x the window, those with {@code ir_start}
 * then; the others are put, in inventory order, into waves of each site that its uplink's mean
 * capacity (less the steady churn) could copy in 70% of the window, one wave per window. The
 * plan is simulated with the first seed; a wave of the planner's making whose VMs do not all
 * reach Replicating within the window, or resync, is split in two, and the plan simulated again
 * (at most 8 times). The final plan is then simulated with every seed.
 */
final class WavePlanner {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(3);
    private static final int MAX_ROUNDS = 8;

    private final PlanInput input;
    private final List<Long> seeds;
    private final SweepEngine engine;
    private final Duration window;
    private double vmDays;

    /** Told the runs made so far. */
    private final java.util.function.IntConsumer ran;
    private int runs;

    private final int threads;

    WavePlanner(PlanInput input, List<Long> seeds, SweepEngine engine, int threads, java.util.function.IntConsumer ran) {
        this.threads = threads;
        this.ran = ran;
        this.input = input;
        this.seeds = seeds;
        this.engine = engine;
        Plan plan = input.plan();
        this.window = plan.initialReplication() != null && plan.initialReplication().window() != null
                ? plan.initialReplication().window() : DEFAULT_WINDOW;
    }

    /** A wave: its site, number, start (offset), VMs; {@code planned} when the planner made it (and may split it). */
    record Wave(String site, int number, Duration start, List<String> vms, boolean planned) {}

    /** A VM's initial replication in one run: start and Replicating (seconds from the start; -1 never), resyncs. */
    record Ir(double start, double replicating, long resyncs) implements Serializable {}

    /** The final waves, and per VM its initial replication for each seed (in order). */
    record Result(List<Wave> waves, Map<String, List<Ir>> vms, int runs, double vmDays, Duration window) {}

    Result run() throws Exception {
        List<Wave> waves = initialWaves();
        LinkedHashMap<String, Ir> settled = null; // the first seed's run of the final waves, when the last round made them
        for (int round = 0; round < MAX_ROUNDS; round++) {
            LinkedHashMap<String, Ir> first = simulate(waves, seeds.get(0), Planner.threadsPerRun(threads, 1));
            List<Wave> split = split(waves, first);
            if (split == null) {
                settled = first;
                break;
            }
            waves = split;
        }
        List<Wave> fin = waves;
        List<LinkedHashMap<String, Ir>> all = new ArrayList<>();
        if (settled != null) {
            all.add(settled);
        }
        all.addAll(engine.map(settled != null ? seeds.subList(1, seeds.size()) : seeds, seed -> simulate(fin, seed, Planner.threadsPerRun(threads, seeds.size()))));
        Map<String, List<Ir>> vms = new LinkedHashMap<>();
        for (Map<String, Ir> one : all) {
            one.forEach((vm, ir) -> vms.computeIfAbsent(vm, k -> new ArrayList<>()).add(ir));
        }
        return new Result(waves, vms, runs, vmDays, window);
    }

    private List<Wave> initialWaves() {
        Plan plan = input.plan();
        List<Wave> waves = new ArrayList<>();
        Map<String, Map<Integer, List<String>>> given = new LinkedHashMap<>();
        for (PlanInventory.PlanVm vm : input.inventory().vms()) {
            if (vm.irStart() != null) {
                waves.add(new Wave(vm.site(), 0, startOf(vm.irStart()), List.of(vm.name()), false));
            } else if (vm.wave() != null) {
                given.computeIfAbsent(vm.site(), s -> new java.util.TreeMap<>()).computeIfAbsent(vm.wave(), w -> new ArrayList<>()).add(vm.name());
            }
        }
        given.forEach((site, byWave) -> byWave.forEach((w, vms) -> waves.add(new Wave(site, w, window.multipliedBy(w - 1), vms, false))));
        for (int i = 0; i < plan.sites().size(); i++) {
            String site = plan.sites().get(i).name();
            int next = given.getOrDefault(site, Map.of()).keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            double capacity = Planner.meanCapacity(input.sites().get(i), plan, plan.horizon());
            double churn = input.inventory().vms().stream().filter(v -> v.site().equals(site)).mapToDouble(v -> v.disks().stream()
                    .mapToDouble(d -> Analytics.averageBytesPerSecond(input, v, d) * 8).sum()).sum();
            double budget = Math.max(0, capacity * 0.9 - churn) * window.toSeconds() * 0.7 / 8;
            List<String> current = new ArrayList<>();
            long bytes = 0;
            for (PlanInventory.PlanVm vm : input.inventory().vms()) {
                if (!vm.site().equals(site) || vm.irStart() != null || vm.wave() != null) {
                    continue;
                }
                long used = vm.disks().stream().mapToLong(PlanInventory.PlanDisk::usedBytes).sum();
                if (!current.isEmpty() && bytes + used > budget) {
                    waves.add(new Wave(site, next, window.multipliedBy(next - 1), current, true));
                    next++;
                    current = new ArrayList<>();
                    bytes = 0;
                }
                current.add(vm.name());
                bytes += used;
            }
            if (!current.isEmpty()) {
                waves.add(new Wave(site, next, window.multipliedBy(next - 1), current, true));
            }
        }
        return waves;
    }

    private Duration startOf(String irStart) {
        try {
            return Duration.between(input.plan().start(), OffsetDateTime.parse(irStart));
        } catch (DateTimeParseException e) {
            return io.replisim.simulator.scenario.Units.duration(irStart);
        }
    }

    /** The waves with each failing planned wave of a site split in two and the site's later waves a window later; null if none failed. */
    private List<Wave> split(List<Wave> waves, Map<String, Ir> irs) {
        List<Wave> out = new ArrayList<>();
        Map<String, Integer> shift = new LinkedHashMap<>();
        boolean changed = false;
        for (Wave w : waves) {
            int by = shift.getOrDefault(w.site(), 0);
            Wave moved = new Wave(w.site(), w.number() + by, w.start().plus(window.multipliedBy(by)), w.vms(), w.planned());
            if (w.planned() && w.vms().size() > 1 && !within(w, irs)) {
                int half = (w.vms().size() + 1) / 2;
                out.add(new Wave(w.site(), moved.number(), moved.start(), w.vms().subList(0, half), true));
                out.add(new Wave(w.site(), moved.number() + 1, moved.start().plus(window), w.vms().subList(half, w.vms().size()), true));
                shift.put(w.site(), by + 1);
                changed = true;
            } else {
                out.add(moved);
            }
        }
        return changed ? out : null;
    }

    /** Whether every VM of the wave reached Replicating within the window of the wave's start, without a resync. */
    boolean within(Wave w, Map<String, Ir> irs) {
        for (String vm : w.vms()) {
            Ir ir = irs.get(vm);
            if (ir == null || ir.replicating() < 0 || ir.resyncs() > 0 || ir.replicating() - w.start().toSeconds() > window.toSeconds()) {
                return false;
            }
        }
        return true;
    }

    private LinkedHashMap<String, Ir> simulate(List<Wave> waves, long seed, int runThreads) {
        Map<String, Duration> starts = new LinkedHashMap<>();
        Duration last = Duration.ZERO;
        for (Wave w : waves) {
            w.vms().forEach(vm -> starts.put(vm, w.start()));
            last = w.start().compareTo(last) > 0 ? w.start() : last;
        }
        Duration duration = last.plus(window.multipliedBy(2));
        // each site's run ends once its last VM replicates: later cycles do not change the plan
        var run = Planner.run(input.initialReplication(starts, duration, seed),
                io.replisim.simulator.run.RunOptions.withSeed(seed).threads(runThreads)
                        .traceLevel(io.replisim.simulator.trace.TraceLevel.NONE).untilEveryVmReplicates());
        synchronized (this) { // the longest site's simulated time, for every VM: a bound of what the run took
            vmDays += input.inventory().vms().size() * (run.record().simulated().toSeconds() / 86_400.0);
            ran.accept(++runs);
        }
        LinkedHashMap<String, Ir> irs = new LinkedHashMap<>();
        for (VmOutcome o : run.outcomes()) {
            long started = o.initialReplicationStartedAt();
            long replicating = o.firstEntered(ReplicationState.REPLICATING);
            irs.put(o.summary().vm(), new Ir(started < 0 ? -1 : started / 1e9, replicating < 0 ? -1 : replicating / 1e9,
                    o.summary().resyncs()));
        }
        return irs;
    }
}
