package io.replisim.simulator.hunt;

import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.Expectation;
import io.replisim.simulator.scenario.FaultSpec;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.Site;
import io.replisim.simulator.scenario.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a failing scenario to a minimal one that still fails the same invariant with the same
 * seed (a crash: the same exception from the same place). Each step is one change: remove one fault, remove one action, halve the duration (faults
 * and actions then past its end go too), remove one host with its VMs or one VM with its disks
 * (keeping at least one; a host left without VMs goes, with the faults and actions that name what
 * went), or one VM and its share of a constant uplink, remove one disk of a VM that has several, remove the uplink's throttle, make a dynamic
 * disk fully allocated, or simplify one disk's workload (no bursts, no hourly pattern, the default
 * locality). A change is
 * kept when the run still violates the same invariant; the steps are tried again from the first
 * until none helps, or {@link #MAX_RUNS} runs were spent.
 */
public final class Shrinker {
    /** Shrinking stops after this many runs, keeping the smallest failing scenario found. */
    public static final int MAX_RUNS = 400;
    /** The duration is not halved below this. */
    public static final Duration SHORTEST = Duration.ofMinutes(2);

    /** Told of every step tried. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (step, kept, current) -> {};

        void tried(String step, boolean kept, CheckedRun current);
    }

    /** The minimal failing run found, and how many runs shrinking took. */
    public record Result(CheckedRun minimal, Violation violation, int runs, int kept) {}

    private final TraceChecker checker;
    private final Listener listener;

    public Shrinker(TraceChecker checker, Listener listener) {
        this.checker = checker;
        this.listener = listener == null ? Listener.NONE : listener;
    }

    /** Shrinks {@code failing} (which violates {@code violation}'s invariant). */
    public Result shrink(CheckedRun failing, Violation violation) {
        CheckedRun current = failing;
        Violation currentViolation = violation;
        int runs = 0;
        int kept = 0;
        boolean progress = true;
        while (progress && runs < MAX_RUNS) {
            progress = false;
            for (Step step : steps(current.scenario())) {
                if (runs >= MAX_RUNS) {
                    break;
                }
                CheckedRun tried = CheckedRun.of(step.scenario(), failing.seed(), checker);
                runs++;
                Violation same = tried.violations().stream().filter(v -> sameFailure(violation, v)).findFirst().orElse(null);
                listener.tried(step.description(), same != null, same != null ? tried : current);
                if (same != null) {
                    current = tried;
                    currentViolation = same;
                    kept++;
                    progress = true;
                    break;
                }
            }
        }
        return new Result(current, currentViolation, runs, kept);
    }

    /**
     * Whether {@code candidate} is the same failure as {@code original}: the same invariant, and
     * for a crash ({@value CheckedRun#CRASHED}) the same exception thrown from the same place.
     */
    static boolean sameFailure(Violation original, Violation candidate) {
        if (!original.invariant().equals(candidate.invariant())) {
            return false;
        }
        return !original.invariant().equals(CheckedRun.CRASHED) || crashSignature(original).equals(crashSignature(candidate));
    }

    /** "the run threw X: message (at frame)" without the message, which may name ids and sizes. */
    private static String crashSignature(Violation v) {
        String r = v.reason();
        int colon = r.indexOf(": ");
        int at = r.lastIndexOf(" (at ");
        return (colon < 0 ? r : r.substring(0, colon)) + (at < 0 ? "" : r.substring(at));
    }

    /** A candidate change and what it does. */
    record Step(String description, Scenario scenario) {}

    /** The single-change candidates for {@code s}, smallest-first in effect: faults, actions, duration, then the shape. */
    static List<Step> steps(Scenario s) {
        List<Step> steps = new ArrayList<>();
        for (int i = s.faults().size() - 1; i >= 0; i--) {
            List<FaultSpec> faults = new ArrayList<>(s.faults());
            FaultSpec gone = faults.remove(i);
            steps.add(new Step("remove fault " + gone.kind() + " at " + Units.formatDuration(gone.at()), with(s, s.duration(), s.site(), faults,
                    s.actions(), s.expect())));
        }
        for (int i = s.actions().size() - 1; i >= 0; i--) {
            List<ActionSpec> actions = new ArrayList<>(s.actions());
            ActionSpec gone = actions.remove(i);
            steps.add(new Step("remove action " + gone.action() + " at " + Units.formatDuration(gone.at()), with(s, s.duration(), s.site(), s.faults(),
                    actions, s.expect())));
        }
        Duration half = Duration.ofSeconds(s.duration().toSeconds() / 2);
        if (half.compareTo(SHORTEST) >= 0) {
            steps.add(new Step("halve the duration to " + Units.formatDuration(half), with(s, half, s.site(),
                    s.faults().stream().filter(f -> f.at().compareTo(half) < 0).toList(),
                    s.actions().stream().filter(a -> a.at().compareTo(half) < 0).toList(), s.expect())));
        }
        List<String> vms = new ArrayList<>();
        for (Site.Host h : s.site().hosts()) {
            for (Site.Vm v : h.vms()) {
                vms.add(v.name());
            }
        }
        List<Site.Host> hosts = s.site().hosts();
        if (hosts.size() > 1) {
            for (int i = hosts.size() - 1; i >= 0; i--) {
                Scenario without = s;
                for (Site.Vm v : hosts.get(i).vms()) {
                    without = withoutVm(without, v.name());
                }
                steps.add(new Step("remove host " + hosts.get(i).name() + " with its VMs", without));
            }
        }
        if (vms.size() > 1) {
            for (int i = vms.size() - 1; i >= 0; i--) {
                steps.add(new Step("remove VM " + vms.get(i), withoutVm(s, vms.get(i))));
            }
            // on a shared link the others' logs pile up only while the gone VM takes its share
            for (int i = vms.size() - 1; i >= 0; i--) {
                Scenario without = withoutVmAndItsShare(s, vms.get(i));
                if (without != null) {
                    steps.add(new Step("remove VM " + vms.get(i) + " with its share of the uplink", without));
                }
            }
        }
        for (Site.Host h : hosts) {
            for (Site.Vm v : h.vms()) {
                for (int d = v.disks().size() - 1; d >= 0 && v.disks().size() > 1; d--) {
                    Site.Disk gone = v.disks().get(d);
                    List<Site.Disk> disks = new ArrayList<>(v.disks());
                    disks.remove(d);
                    steps.add(new Step("remove disk " + diskName(gone, d) + " of " + v.name(), withDisks(s, v.name(), disks,
                            f -> !(v.name().equals(f.vm()) && f.disk() != null && f.disk().equals(gone.name())))));
                }
            }
        }
        Site.Uplink u = s.site().uplink();
        if (u != null && u.throttle() != null) {
            Site site = s.site().withUplink(new Site.Uplink(u.bandwidth(), u.profile(), u.schedule(), null, u.latency(),
                    u.uploadThreads(), u.samples()));
            steps.add(new Step("remove the uplink's throttle", with(s, s.duration(), site, s.faults(), s.actions(), s.expect())));
        }
        for (Site.Host h : hosts) {
            for (Site.Vm v : h.vms()) {
                for (int d = 0; d < v.disks().size(); d++) {
                    Site.Disk disk = v.disks().get(d);
                    String where = " of " + v.name() + "/" + diskName(disk, d);
                    if (disk.used() != null) {
                        List<Site.Disk> disks = new ArrayList<>(v.disks());
                        disks.set(d, new Site.Disk(disk.name(), disk.size(), disk.churn(), null));
                        steps.add(new Step("allocate all" + where + " (no used)", withDisks(s, v.name(), disks, f -> true)));
                    }
                    Site.Churn c = disk.churn();
                    if (c == null) {
                        continue;
                    }
                    if (!c.bursts().isEmpty()) {
                        steps.add(new Step("remove the bursts" + where, withChurn(s, v, d, new Site.Churn(c.rate(), c.profile(),
                                c.ioSize(), c.ioSizes(), c.hotspot(), c.hotShare(), c.zipf(), c.hourly(), List.of(), c.series()))));
                    }
                    if (!c.hourly().isEmpty()) {
                        steps.add(new Step("remove the hourly pattern" + where, withChurn(s, v, d, new Site.Churn(c.rate(),
                                c.profile(), c.ioSize(), c.ioSizes(), c.hotspot(), c.hotShare(), c.zipf(), List.of(), c.bursts(),
                                c.series()))));
                    }
                    if (c.hotspot() != null || c.hotShare() != null || c.zipf() != null) {
                        steps.add(new Step("give the default locality" + where, withChurn(s, v, d, new Site.Churn(c.rate(),
                                c.profile(), c.ioSize(), c.ioSizes(), null, null, null, c.hourly(), c.bursts(), c.series()))));
                    }
                }
            }
        }
        return steps;
    }

    private static String diskName(Site.Disk disk, int index) {
        return disk.name() != null ? disk.name() : "#" + (index + 1);
    }

    /**
     * {@code s} without VM {@code name}, its constant bandwidth cut in proportion to the writes
     * the VM made (so the link stays as scarce for the rest), or null when that changes nothing.
     */
    static Scenario withoutVmAndItsShare(Scenario s, String name) {
        Site.Uplink u = s.site().uplink();
        if (u == null || u.bandwidth() == null) {
            return null;
        }
        long all = 0;
        long its = 0;
        for (Site.Host h : s.site().hosts()) {
            for (Site.Vm v : h.vms()) {
                long writes = v.disks().stream().mapToLong(d -> d.churn() == null || d.churn().rate() == null ? 0
                        : d.churn().rate().bytesPerSecond()).sum();
                all += writes;
                its += v.name().equals(name) ? writes : 0;
            }
        }
        if (its == 0) {
            return null;
        }
        long bits = Math.max(1000, (long) ((double) u.bandwidth().bitsPerSecond() * (all - its) / all) / 1000 * 1000);
        Scenario without = withoutVm(s, name);
        return without.withSite(without.site().withUplink(new Site.Uplink(new io.replisim.simulator.scenario.Bandwidth(bits),
                u.profile(), u.schedule(), u.throttle(), u.latency(), u.uploadThreads(), u.samples())));
    }

    /** {@code s} with disk {@code d} of {@code vm} writing as {@code churn}. */
    private static Scenario withChurn(Scenario s, Site.Vm vm, int d, Site.Churn churn) {
        List<Site.Disk> disks = new ArrayList<>(vm.disks());
        Site.Disk old = disks.get(d);
        disks.set(d, new Site.Disk(old.name(), old.size(), churn, old.used()));
        return withDisks(s, vm.name(), disks, f -> true);
    }

    /** {@code s} with VM {@code vm}'s disks replaced by {@code disks}, keeping the faults {@code keep} accepts. */
    private static Scenario withDisks(Scenario s, String vm, List<Site.Disk> disks, java.util.function.Predicate<FaultSpec> keep) {
        List<Site.Host> hosts = new ArrayList<>();
        for (Site.Host h : s.site().hosts()) {
            hosts.add(new Site.Host(h.name(), h.volume(), h.memory(), h.vms().stream()
                    .map(v -> v.name().equals(vm) ? new Site.Vm(v.name(), disks, v.initialReplicationStart()) : v).toList()));
        }
        return with(s, s.duration(), s.site().withHosts(hosts), s.faults().stream().filter(keep).toList(), s.actions(), s.expect());
    }

    /** {@code s} without VM {@code name}, its disks, and whatever names it (or a host left empty). */
    static Scenario withoutVm(Scenario s, String name) {
        List<Site.Host> hosts = new ArrayList<>();
        List<String> goneHosts = new ArrayList<>();
        for (Site.Host h : s.site().hosts()) {
            List<Site.Vm> vms = h.vms().stream().filter(v -> !v.name().equals(name)).toList();
            if (vms.isEmpty() && vms.size() != h.vms().size()) {
                goneHosts.add(h.name());
            } else {
                hosts.add(new Site.Host(h.name(), h.volume(), h.memory(), vms));
            }
        }
        Site site = s.site().withHosts(hosts);
        List<FaultSpec> faults = s.faults().stream()
                .filter(f -> !name.equals(f.vm()) && (f.host() == null || !goneHosts.contains(f.host()))).toList();
        List<ActionSpec> actions = s.actions().stream().filter(a -> !name.equals(a.vm())).toList();
        List<Expectation> expect = s.expect().stream().filter(e -> !name.equals(e.vm())).toList();
        return with(s, s.duration(), site, faults, actions, expect);
    }

    private static Scenario with(Scenario s, Duration duration, Site site, List<FaultSpec> faults, List<ActionSpec> actions,
                                 List<Expectation> expect) {
        return new Scenario(s.name(), s.seed(), s.start(), s.timeZone(), duration, s.fidelity(), s.policy(), site, s.resync(),
                faults, actions, expect);
    }
}
