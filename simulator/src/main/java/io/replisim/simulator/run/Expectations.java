package io.replisim.simulator.run;

import io.replisim.simulator.replication.VmSummary;
import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.replication.VmOutcome;
import io.replisim.simulator.scenario.Count;
import io.replisim.simulator.scenario.ExpectedStates;
import io.replisim.simulator.scenario.Expectation;
import io.replisim.simulator.scenario.RpoBound;
import io.replisim.simulator.scenario.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** Checks a scenario's expectations against how the run went; each result says what was seen. */
final class Expectations {
    private Expectations() {}

    /** Checks {@code e} against {@code vms}: the one it names, or all. */
    static RunRecord.ExpectationResult check(Expectation e, List<VmOutcome> vms) {
        String name = e.describe();
        return switch (e.kinds().get(0)) {
            case "state" -> state(name, e, vms.get(0));
            case "health" -> {
                String seen = vms.get(0).healthAt(SimTime.of(e.at()));
                yield new RunRecord.ExpectationResult(name, seen.equals(e.health()), "health was " + seen);
            }
            case "replicaMatchesSource" -> {
                long all = vms.stream().mapToLong(v -> v.summary().disks().size()).sum();
                long differing = vms.stream().flatMap(v -> v.summary().disks().stream()).filter(d -> !d.matches()).count();
                boolean holds = differing == 0;
                yield new RunRecord.ExpectationResult(name, holds == e.replicaMatchesSource(),
                        holds ? "all " + all + " replicas are identical to their sources (SHA-256)"
                              : differing + " of " + all + " replicas differ from their sources");
            }
            case "resyncs" -> count(name, e.resyncs(), vms, v -> v.summary().resyncs(), "resyncs");
            case "retries" -> count(name, e.retries(), vms, v -> v.summary().retries(), "retries");
            case "errors" -> count(name, e.errors(), vms, v -> v.summary().errors(), "errors");
            case "rpo" -> rpo(name, e.rpo(), vms);
            case "noDataLoss" -> noDataLoss(name, e.noDataLoss(), vms);
            case "maxDataLoss" -> {
                Duration worst = vms.get(0).failovers().stream().map(VmOutcome.Failover::dataLoss).max(Duration::compareTo).orElse(null);
                yield worst == null ? new RunRecord.ExpectationResult(name, false, "the VM never failed over")
                        : new RunRecord.ExpectationResult(name, worst.compareTo(e.maxDataLoss()) <= 0,
                                "the largest data loss was " + worst);
            }
            case "maxBytesSent" -> {
                long sent = vms.stream().mapToLong(v -> v.summary().bytesSent()).sum();
                yield new RunRecord.ExpectationResult(name, sent <= e.maxBytesSent().bytes(),
                        Units.formatSize(sent) + " (" + sent + " bytes) sent");
            }
            default -> throw new IllegalStateException("unknown expectation kind " + e.kinds());
        };
    }

    private static RunRecord.ExpectationResult state(String name, Expectation e, VmOutcome vm) {
        ReplicationState state = ExpectedStates.parse(e.state());
        long after = e.after() == null ? -1 : SimTime.of(e.after());
        long at = vm.enteredAfter(state, after);
        long by = e.by() == null ? Long.MAX_VALUE : SimTime.of(e.by());
        boolean passed = at >= 0 && at <= by;
        String detail = at < 0 ? "never reached " + state.displayName() + (e.after() == null ? "" : " after " + Units.formatDuration(e.after()))
                : "reached " + state.displayName() + " after " + Units.formatDuration(Duration.ofSeconds(SimTime.toDuration(at).toSeconds()))
                  + (passed ? "" : ", later than " + Units.formatDuration(e.by()));
        return new RunRecord.ExpectationResult(name, passed, detail);
    }

    private static RunRecord.ExpectationResult count(String name, Count bound, List<VmOutcome> vms,
                                                     ToLongFunction<VmOutcome> what, String noun) {
        long n = vms.stream().mapToLong(what).sum();
        return new RunRecord.ExpectationResult(name, bound.holds(n), n + " " + noun);
    }

    private static RunRecord.ExpectationResult rpo(String name, RpoBound bound, List<VmOutcome> vms) {
        List<String> broken = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (VmOutcome v : vms) {
            VmSummary.Rpo rpo = v.summary().rpo();
            if (rpo == null) {
                broken.add(v.summary().vm() + " has no recovery point");
                continue;
            }
            check(broken, v, "p50", rpo.p50(), bound.p50());
            check(broken, v, "p95", rpo.p95(), bound.p95());
            check(broken, v, "p99", rpo.p99(), bound.p99());
            check(broken, v, "max", rpo.max(), bound.max());
            seen.add(v.summary().vm() + ": p50 " + rpo.p50() + ", p95 " + rpo.p95() + ", p99 " + rpo.p99() + ", max " + rpo.max());
        }
        return new RunRecord.ExpectationResult(name, broken.isEmpty(), broken.isEmpty() ? String.join("; ", seen) : String.join("; ", broken));
    }

    private static void check(List<String> broken, VmOutcome v, String which, Duration seen, Duration limit) {
        if (limit != null && seen.compareTo(limit) > 0) {
            broken.add(v.summary().vm() + " RPO " + which + " was " + seen + ", above " + Units.formatDuration(limit));
        }
    }

    private static RunRecord.ExpectationResult noDataLoss(String name, boolean expected, List<VmOutcome> vms) {
        List<String> problems = new ArrayList<>();
        int failovers = 0;
        for (VmOutcome v : vms) {
            for (VmOutcome.Failover f : v.failovers()) {
                failovers++;
                if (!f.verified()) {
                    problems.add(v.summary().vm() + "'s " + f.kind() + " failover does not hold the recovery point's data");
                } else if (f.kind().equals("planned") && !f.dataLoss().isZero()) {
                    problems.add(v.summary().vm() + "'s planned failover lost " + f.dataLoss());
                }
            }
        }
        boolean none = problems.isEmpty();
        return new RunRecord.ExpectationResult(name, none == expected,
                none ? failovers + " failovers, all verified, planned ones without loss" : String.join("; ", problems));
    }
}
