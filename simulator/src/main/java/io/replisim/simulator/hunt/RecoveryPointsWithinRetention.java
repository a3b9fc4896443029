package io.replisim.simulator.hunt;

import io.replisim.simulator.scenario.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A VM's recovery points stay within what the scenario's policy allows (docs/domain.md, Recovery
 * points and retention), with its retention {@code R} and copy frequency {@code F} read from the
 * scenario, judged at the end of every instant in which points of the VM were created or pruned:
 * <ul>
 *   <li>once a point is created, no other point whose {@code pointInTime} is more than {@code R}
 *       before that moment survives (retention 0 keeps only the newest);</li>
 *   <li>a point is pruned only when it has aged out that way, in the instant a newer point is
 *       created, and never while it is the newest, except when all of the VM's points go at once
 *       (a resynchronization finished, a commit, a reprotect or disabling replication, told by a
 *       {@code resync.finished} or a step of a Commit, Reprotect or Disable replication job of the
 *       VM in the same instant); a pruned point had been created and not pruned before;</li>
 *   <li>the VM holds at most {@code floor(R / F) + 1} points after a creation: cycles start at
 *       least {@code F} apart, so at most that many points stand for moments within {@code R}
 *       of it; plus one for the cycle that ships the last writes once the workload stopped
 *       ({@code workload.stopped}) and one for each planned failover's final sync (a
 *       {@code planned-failover} action on the VM), which come off the copy-frequency grid.</li>
 * </ul>
 */
public final class RecoveryPointsWithinRetention implements Invariant {
    public static final String NAME = "recovery-points-within-retention";
    private static final Set<String> DROPPING_JOBS = Set.of("Commit", "Reprotect", "Disable replication");

    @Override
    public String name() {
        return NAME;
    }

    private static final class Vm {
        final Map<String, Long> alive = new LinkedHashMap<>(); // id -> pointInTime
        final TreeMap<Long, Integer> pointTimes = new TreeMap<>(); // pointInTime -> how many alive
        String newest;
        int plannedFailovers;
        // this instant
        TraceLine created;
        TraceLine newestPruned;
        int olderLeft;
        boolean allMayGo;
        final List<long[]> prunedOld = new ArrayList<>(); // {seq, pointInTime}

        void add(String id, long pit) {
            alive.put(id, pit);
            pointTimes.merge(pit, 1, Integer::sum);
        }

        Long remove(String id) {
            Long pit = alive.remove(id);
            if (pit != null) {
                pointTimes.merge(pit, -1, (a, b) -> a + b == 0 ? null : a + b);
            }
            return pit;
        }

        /** The earliest pointInTime of the points but the newest, or null. */
        Long oldestButNewest() {
            if (alive.size() < 2) {
                return null;
            }
            long newestPit = alive.get(newest) == null ? Long.MIN_VALUE : alive.get(newest);
            Map.Entry<Long, Integer> first = pointTimes.firstEntry();
            if (first.getKey() != newestPit || first.getValue() > 1) {
                return first.getKey();
            }
            return pointTimes.higherKey(first.getKey());
        }
    }

    @Override
    public List<Violation> check(RunEvidence run) {
        Policy policy = run.scenario().effectivePolicy();
        long retention = policy.retention().toNanos();
        long perRetention = policy.retention().toNanos() / policy.copyFrequency().toNanos() + 1;
        List<Violation> found = new ArrayList<>();
        Map<String, Vm> vms = new HashMap<>(); // lookups only
        Map<String, String> jobNames = new HashMap<>(); // lookups only
        Set<String> touched = new LinkedHashSet<>();
        boolean[] workloadStopped = {false};
        long instant = Long.MIN_VALUE;
        for (TraceLine l : run.trace()) {
            if (l.t() != instant) {
                endOfInstant(touched, vms, instant, retention, perRetention, workloadStopped[0], found);
                instant = l.t();
            }
            String vm = l.vm();
            switch (l.type()) {
                case "workload.stopped" -> workloadStopped[0] = true;
                case "job.started" -> jobNames.put(l.job(), l.str("name"));
                case "job.step" -> {
                    if (DROPPING_JOBS.contains(jobNames.get(l.job()))) {
                        mark(vms, touched, vm).allMayGo = true;
                    }
                }
                case "resync.finished" -> mark(vms, touched, vm).allMayGo = true;
                case "action" -> {
                    if ("planned-failover".equals(l.str("action"))) {
                        if (vm != null) {
                            vms.computeIfAbsent(vm, k -> new Vm()).plannedFailovers++;
                        } else {
                            vms.values().forEach(v -> v.plannedFailovers++);
                        }
                    }
                }
                case "recovery-point.created" -> {
                    Vm v = mark(vms, touched, vm);
                    v.add(l.str("recoveryPoint"), TraceLine.epochNanos(l.str("pointInTime")));
                    v.newest = l.str("recoveryPoint");
                    v.created = l;
                }
                case "recovery-point.pruned" -> {
                    Vm v = mark(vms, touched, vm);
                    String id = l.str("recoveryPoint");
                    Long pit = v.remove(id);
                    if (pit == null) {
                        found.add(new Violation(NAME, l.seq(), "recovery point " + id + " of " + vm
                                + " was pruned, but it was not created or was pruned already"));
                    } else if (id.equals(v.newest)) {
                        v.newestPruned = l;
                        v.olderLeft = v.alive.size();
                    } else {
                        v.prunedOld.add(new long[] {l.seq(), pit});
                    }
                }
                default -> { }
            }
        }
        endOfInstant(touched, vms, instant, retention, perRetention, workloadStopped[0], found);
        return found;
    }

    private static Vm mark(Map<String, Vm> vms, Set<String> touched, String vm) {
        touched.add(vm);
        return vms.computeIfAbsent(vm, k -> new Vm());
    }

    private static void endOfInstant(Set<String> touched, Map<String, Vm> vms, long t, long retention, long perRetention,
                                     boolean workloadStopped, List<Violation> found) {
        for (String name : touched) {
            Vm v = vms.get(name);
            if (v.newestPruned != null) {
                if (!v.allMayGo) {
                    found.add(new Violation(NAME, v.newestPruned.seq(), "the newest recovery point of " + name + ", "
                            + v.newestPruned.str("recoveryPoint") + ", was pruned (the newest is always kept; all points go only"
                            + " when a resync finishes, at a commit, a reprotect or when replication is disabled)"));
                } else if (v.olderLeft > 0) {
                    found.add(new Violation(NAME, v.newestPruned.seq(), "the newest recovery point of " + name + ", "
                            + v.newestPruned.str("recoveryPoint") + ", was pruned while " + v.olderLeft + " older ones remained"));
                }
            } else {
                for (long[] pruned : v.prunedOld) {
                    if (v.created == null) {
                        found.add(new Violation(NAME, pruned[0], "a recovery point of " + name
                                + " was pruned though no point was created then: points age out as a new one is made"));
                    } else if (t - pruned[1] <= retention) {
                        found.add(new Violation(NAME, pruned[0], "a recovery point of " + name + " was pruned "
                                + Duration.ofNanos(t - pruned[1]) + " after its pointInTime, within the retention of "
                                + Duration.ofNanos(retention)));
                    }
                }
            }
            if (v.created != null) {
                Long oldest = v.oldestButNewest();
                boolean aged = oldest != null && t - oldest > retention;
                if (aged) {
                    found.add(new Violation(NAME, v.created.seq(), "after " + v.created.str("recoveryPoint") + " was created, "
                            + name + " keeps a point " + Duration.ofNanos(t - oldest) + " old (from its pointInTime),"
                            + " past the retention of " + Duration.ofNanos(retention)));
                }
                long allowed = perRetention + (workloadStopped ? 1 : 0) + v.plannedFailovers;
                if (!aged && v.alive.size() > allowed) {
                    found.add(new Violation(NAME, v.created.seq(), name + " holds " + v.alive.size() + " recovery points after "
                            + v.created.str("recoveryPoint") + " was created; the policy allows at most " + allowed));
                }
            }
            v.created = null;
            v.newestPruned = null;
            v.allMayGo = false;
            v.prunedOld.clear();
        }
        touched.clear();
    }
}
