package io.replisim.simulator.plan;

import io.replisim.simulator.plan.PlanResult.SiteAnswer;
import io.replisim.simulator.plan.PlanResult.Spread;
import io.replisim.simulator.plan.PlanResult.VmAnswer;
import io.replisim.simulator.scenario.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Puts the runs' figures and the analytic ones together into a {@link PlanResult}. */
final class Answers {
    private Answers() {}

    static PlanResult assemble(PlanInput input, String label, List<Planner.SteadyRun> steady, BandwidthSearch.Result search,
                               WavePlanner.Result waves) {
        Plan plan = input.plan();
        Map<String, Integer> waveOf = new LinkedHashMap<>();
        Map<String, Long> startOf = new LinkedHashMap<>();
        for (WavePlanner.Wave w : waves.waves()) {
            for (String vm : w.vms()) {
                waveOf.put(vm, w.number());
                startOf.put(vm, w.start().toSeconds());
            }
        }
        List<VmAnswer> vms = new ArrayList<>();
        Map<String, Long> logSpace = new LinkedHashMap<>();
        for (PlanInventory.PlanVm vm : input.inventory().vms()) {
            long provisioned = vm.disks().stream().mapToLong(PlanInventory.PlanDisk::provisionedBytes).sum();
            long used = vm.disks().stream().mapToLong(PlanInventory.PlanDisk::usedBytes).sum();
            double avg = vm.disks().stream().mapToDouble(d -> Analytics.averageBytesPerSecond(input, vm, d)).sum();
            double peak = vm.disks().stream().mapToDouble(d -> Analytics.peakBytesPerSecond(input, vm, d)).sum();
            List<Planner.VmSample> samples = steady.stream().map(r -> r.vms().get(vm.name())).toList();
            long peakPending = samples.stream().mapToLong(Planner.VmSample::peakPending).max().orElse(0);
            logSpace.put(vm.name(), peakPending);
            List<WavePlanner.Ir> irs = waves.vms().getOrDefault(vm.name(), List.of());
            vms.add(new VmAnswer(vm.name(), vm.host(), vm.site(), vm.disks().size(), provisioned, used, avg / 1e6, peak / 1e6,
                    of(samples, Planner.VmSample::p50), of(samples, Planner.VmSample::p95), of(samples, Planner.VmSample::p99),
                    of(samples, Planner.VmSample::max), of(samples, Planner.VmSample::within), of(samples, s -> s.resyncs()),
                    of(samples, s -> s.peakPending()), provisioned / 2,
                    tolerance(input, vm, provisioned / 2), peakPending,
                    waveOf.get(vm.name()), startOf.getOrDefault(vm.name(), 0L),
                    Spread.of(irs.stream().map(i -> i.replicating() < 0 ? null : i.replicating() - i.start()).toList()),
                    Spread.of(irs.stream().map(i -> i.replicating() < 0 ? null : i.replicating()).toList()),
                    Spread.of(irs.stream().map(i -> (double) i.resyncs()).toList())));
        }
        List<SiteAnswer> sites = new ArrayList<>();
        int seeds = steady.size();
        double[][][] neededBySeed = new double[plan.sites().size()][][];
        for (int i = 0; i < plan.sites().size(); i++) {
            String site = plan.sites().get(i).name();
            List<PlanInventory.PlanVm> of = input.inventory().vms().stream().filter(v -> v.site().equals(site)).toList();
            List<VmAnswer> answers = vms.stream().filter(v -> v.site().equals(site)).toList();
            List<Long[]> needed = search.needed().get(i);
            sites.add(site(input, site, i, of, answers, needed, steady, waves, logSpace));
        }
        SiteAnswer fleet = fleet(input, sites, search, steady, waves, vms);
        List<PlanResult.Wave> waveAnswers = new ArrayList<>();
        for (WavePlanner.Wave w : waves.waves()) {
            List<Double> ends = new ArrayList<>();
            for (int s = 0; s < seeds && s < waves.vms().values().stream().mapToInt(List::size).max().orElse(0); s++) {
                double end = 0;
                boolean all = true;
                for (String vm : w.vms()) {
                    WavePlanner.Ir ir = waves.vms().get(vm).get(s);
                    all &= ir.replicating() >= 0;
                    end = Math.max(end, ir.replicating());
                }
                ends.add(all ? end : null);
            }
            long used = w.vms().stream().mapToLong(vm -> input.inventory().vms().stream().filter(v -> v.name().equals(vm))
                    .flatMap(v -> v.disks().stream()).mapToLong(PlanInventory.PlanDisk::usedBytes).sum()).sum();
            Spread end = Spread.of(ends);
            boolean within = end.missing() == 0 && end.max() != null && end.max() - w.start().toSeconds() <= waves.window().toSeconds();
            waveAnswers.add(new PlanResult.Wave(w.site(), w.number(), w.start().toSeconds(), w.vms().size(), used, end, within));
        }
        return new PlanResult(plan.name(), label, plan.start().toString(), plan.effectiveZone().getId(), seeds, plan.targetRpo().toSeconds(), plan.horizon().toSeconds(), search.precision(),
                search.horizon().toSeconds(), vms, sites, fleet, waveAnswers, steady.get(0).series(),
                new PlanResult.Work(steady.size(), steady.size() * input.inventory().vms().size() * (plan.horizon().toSeconds() / 86_400.0),
                        search.probes(), search.vmDays(), waves.runs(), waves.vmDays()));
    }

    /** The longest outage the VM survives, with its busiest cycle's log pending when the outage starts. */
    private static Long tolerance(PlanInput input, PlanInventory.PlanVm vm, long threshold) {
        double[] growth = Analytics.logGrowth(input, vm);
        java.time.Duration cycle = input.plan().policy() != null && input.plan().policy().copyFrequency() != null
                ? input.plan().policy().copyFrequency() : io.replisim.simulator.scenario.Policy.DEFAULT.copyFrequency();
        return Analytics.outageTolerance(growth, Analytics.cycleBytes(growth, cycle.toSeconds()), threshold);
    }

    private static Spread of(List<Planner.VmSample> samples, ToDoubleFunction<Planner.VmSample> f) {
        return Spread.of(samples.stream().map(s -> s == null ? null : f.applyAsDouble(s)).toList());
    }

    private static Spread mbps(List<Long[]> needed, int q) {
        return Spread.of(needed.stream().map(a -> a[q] == null ? null : a[q] / 1e6).toList());
    }

    private static SiteAnswer site(PlanInput input, String site, int index, List<PlanInventory.PlanVm> of, List<VmAnswer> answers,
                                   List<Long[]> needed, List<Planner.SteadyRun> steady, WavePlanner.Result waves,
                                   Map<String, Long> logSpace) {
        Plan plan = input.plan();
        double avg = answers.stream().mapToDouble(VmAnswer::churnAverageMBps).sum() * 8;
        double peakSum = answers.stream().mapToDouble(VmAnswer::churnPeakMBps).sum() * 8;
        double atOnce = Analytics.peakAtOnce(input, of) * 8 / 1e6;
        double capacity = Planner.meanCapacity(input.sites().get(index), plan, plan.horizon()) / 1e6;
        long used = answers.stream().mapToLong(VmAnswer::usedBytes).sum();
        Double ruleIr = capacity > 0 ? used * 8 / (capacity * 1e6) : null;
        List<Double> irEnds = new ArrayList<>();
        List<Double> worst = new ArrayList<>();
        List<Double> resyncs = new ArrayList<>();
        for (int s = 0; s < steady.size(); s++) {
            double end = 0;
            boolean all = true;
            double w = 1;
            double r = 0;
            for (PlanInventory.PlanVm vm : of) {
                List<WavePlanner.Ir> irs = waves.vms().get(vm.name());
                if (irs != null && s < irs.size()) {
                    all &= irs.get(s).replicating() >= 0;
                    end = Math.max(end, irs.get(s).replicating());
                }
                Planner.VmSample sample = steady.get(s).vms().get(vm.name());
                w = Math.min(w, sample.within());
                r += sample.resyncs();
            }
            irEnds.add(all ? end : null);
            worst.add(w);
            resyncs.add(r);
        }
        Map<String, Long> byHost = new LinkedHashMap<>();
        of.forEach(vm -> byHost.merge(vm.host(), logSpace.get(vm.name()), Long::sum));
        long recoveryPoints = of.stream().mapToLong(v -> v.disks().stream().mapToLong(d -> Analytics.recoveryPointBytes(input, v, d)).sum()).sum();
        Spread n100 = mbps(needed, 0);
        return new SiteAnswer(site, of.size(), avg, peakSum, atOnce, capacity, peakSum, ruleIr, n100, mbps(needed, 1), mbps(needed, 2),
                Spread.of(irEnds), Spread.of(steady.stream().map(r -> r.uplinkUse().get(site)).toList()), Spread.of(worst),
                Spread.of(resyncs), answers.stream().mapToLong(VmAnswer::provisionedBytes).sum(), used, recoveryPoints,
                byHost.values().stream().mapToLong(Long::longValue).max().orElse(0),
                why(plan, peakSum, atOnce, n100, capacity));
    }

    private static SiteAnswer fleet(PlanInput input, List<SiteAnswer> sites, BandwidthSearch.Result search,
                                    List<Planner.SteadyRun> steady, WavePlanner.Result waves, List<VmAnswer> vms) {
        List<List<Double>> sums = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int seeds = search.needed().get(0).size();
        for (int s = 0; s < seeds; s++) {
            for (int q = 0; q < 3; q++) {
                Double sum = 0.0;
                for (List<Long[]> site : search.needed()) {
                    Long v = site.get(s)[q];
                    sum = sum == null || v == null ? null : sum + v / 1e6;
                }
                sums.get(q).add(sum);
            }
        }
        List<Double> irEnds = new ArrayList<>();
        List<Double> worst = new ArrayList<>();
        List<Double> resyncs = new ArrayList<>();
        for (int s = 0; s < steady.size(); s++) {
            final int seed = s;
            boolean all = waves.vms().values().stream().allMatch(l -> l.get(seed).replicating() >= 0);
            irEnds.add(all ? waves.vms().values().stream().mapToDouble(l -> l.get(seed).replicating()).max().orElse(0) : null);
            worst.add(steady.get(s).vms().values().stream().mapToDouble(Planner.VmSample::within).min().orElse(1));
            resyncs.add((double) steady.get(s).vms().values().stream().mapToLong(Planner.VmSample::resyncs).sum());
        }
        double sent = 0;
        double capacity = 0;
        for (SiteAnswer a : sites) {
            capacity += a.meanCapacityMbps();
            sent += a.uplinkUse().median() == null ? 0 : a.uplinkUse().median() * a.meanCapacityMbps();
        }
        double peakSum = sites.stream().mapToDouble(SiteAnswer::churnPeakSumMbps).sum();
        long used = sites.stream().mapToLong(SiteAnswer::replicaUsedBytes).sum();
        return new SiteAnswer("fleet", vms.size(), sites.stream().mapToDouble(SiteAnswer::churnAverageMbps).sum(), peakSum,
                sites.stream().mapToDouble(SiteAnswer::churnPeakAtOnceMbps).sum(), capacity, peakSum,
                sites.stream().allMatch(a -> a.ruleOfThumbIrSeconds() != null)
                        ? sites.stream().mapToDouble(SiteAnswer::ruleOfThumbIrSeconds).max().orElse(0) : null,
                Spread.of(sums.get(0)), Spread.of(sums.get(1)), Spread.of(sums.get(2)), Spread.of(irEnds),
                Spread.of(capacity == 0 ? 0 : sent / capacity), Spread.of(worst), Spread.of(resyncs),
                sites.stream().mapToLong(SiteAnswer::replicaProvisionedBytes).sum(), used,
                sites.stream().mapToLong(SiteAnswer::recoveryPointBytes).sum(),
                sites.stream().mapToLong(SiteAnswer::logSpaceBytes).max().orElse(0),
                "the sum of the sites' answers, seed by seed: each site has its own uplink");
    }

    /** Why the simulated bandwidth departs from the sum of peaks, in the plan's terms. */
    static String why(Plan plan, double peakSum, double atOnce, Spread needed100, double capacity) {
        java.time.Duration copyFrequency = plan.policy() != null && plan.policy().copyFrequency() != null
                ? plan.policy().copyFrequency() : io.replisim.simulator.scenario.Policy.DEFAULT.copyFrequency();
        if (needed100.median() == null) {
            return plan.targetRpo().compareTo(copyFrequency) <= 0
                    ? "the target RPO is not met 100% of the time at any bandwidth: it is not above the copy frequency, and a"
                            + " recovery point is a whole copy interval old when the next one arrives"
                    : "the target RPO is not met 100% of the time at any bandwidth tried: an outage or a resync within the"
                            + " search horizon keeps the RPO above the target whatever the bandwidth";
        }
        double n = needed100.median();
        String copy = Units.formatDuration(plan.policy() != null && plan.policy().copyFrequency() != null
                ? plan.policy().copyFrequency() : io.replisim.simulator.scenario.Policy.DEFAULT.copyFrequency());
        String target = Units.formatDuration(plan.targetRpo());
        StringBuilder why = new StringBuilder();
        if (n < peakSum * 0.95) {
            why.append(String.format("less than the sum of peaks (%.0f%%)", 100 * n / peakSum));
            if (atOnce < peakSum * 0.95) {
                why.append(String.format(": the peaks do not all fall together (the busiest moment writes %.0f%% of their sum)",
                        100 * atOnce / peakSum));
            }
            why.append(String.format("%s a target RPO of %s with copies every %s lets a peak's logs take up to %s to arrive,"
                    + " so a short peak is carried at its average over the cycle",
                    atOnce < peakSum * 0.95 ? ", and" : ":", target, copy, target));
        } else if (n > peakSum * 1.05) {
            why.append(String.format("more than the sum of peaks (%.0f%%): a cycle's log must be on its way and applied"
                    + " before the RPO passes %s, logs carry record heads, and a cycle that overruns delays the next", 100 * n / peakSum,
                    target));
        } else {
            why.append("close to the sum of peaks: the peaks fall together and the target leaves little room to spread them");
        }
        if (capacity > 0 && n > capacity) {
            why.append(String.format("; the uplink offers %.1f Mbps on average, less than needed", capacity));
        }
        return why.toString();
    }
}
