package io.replisim.simulator.hunt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replica is never ahead of its source: every {@code log.applied} of a disk follows that
 * disk's {@code log.switched} of the same sequence; logs are applied ({@code applied: true}) in
 * increasing sequence order, and a log reported as not applied ({@code applied: false}, "that
 * log or a newer one was applied already") is indeed at or below the newest applied sequence.
 * At the end, every replica equals its source (read byte for byte from the fakes,
 * {@link GroundTruth.FinalReplica}, with which the stack's {@code replica.verified} must agree; the
 * stack's {@code matches} when there is no ground truth), unless its VM failed over unplanned, had
 * replication disabled, ended waiting (in state {@code Error} or {@code Resynchronization
 * required}, or after an error docs/domain.md's error table does not retry ({@link ErrorTable}, by its
 * code) that no later {@code resume} action addressed), or
 * failed over planned and then had its disks changed by a fault ({@code vm-reverted},
 * {@code vhd-changed-offline}): nothing is replicated after a failover.
 */
public final class ReplicaNeverAhead implements Invariant {
    public static final String NAME = "replica-never-ahead";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunEvidence run) {
        List<TraceLine> trace = run.trace();
        List<Violation> found = new ArrayList<>();
        Map<String, Set<Long>> switched = new HashMap<>(); // "vm/disk" -> sealed sequences; lookups only
        Map<String, Long> newestApplied = new HashMap<>(); // lookups only
        Map<String, String> exempt = exemptions(trace);
        for (TraceLine l : trace) {
            String key = l.vm() + "/" + l.disk();
            if (l.is("log.switched")) {
                switched.computeIfAbsent(key, k -> new HashSet<>()).add(l.num("sequence"));
            } else if (l.is("log.applied")) {
                long sequence = l.num("sequence");
                if (!switched.getOrDefault(key, Set.of()).contains(sequence)) {
                    found.add(new Violation(NAME, l.seq(), "log " + sequence + " of " + key
                            + " was applied to the replica but never sealed on the source (no log.switched before it)"));
                }
                Long newest = newestApplied.get(key);
                if (l.bool("applied")) {
                    if (newest != null && sequence <= newest) {
                        found.add(new Violation(NAME, l.seq(), "log " + sequence + " of " + key + " was applied after log " + newest
                                + ": out of sequence order"));
                    }
                    newestApplied.put(key, newest == null ? sequence : Math.max(newest, sequence));
                } else if (newest == null || sequence > newest) {
                    found.add(new Violation(NAME, l.seq(), "log " + sequence + " of " + key
                            + " was reported applied already, but the newest applied log is " + (newest == null ? "none" : newest)));
                }
            } else if (l.is("replica.verified")) {
                GroundTruth.FinalReplica truth = run.truth().finalReplica(l.vm(), l.disk()).orElse(null);
                boolean matches = truth != null ? truth.matches() : l.bool("matches");
                if (truth != null && truth.matches() != l.bool("matches")) {
                    found.add(new Violation(NAME, l.seq(), "the replica of " + key + (truth.matches() ? " equals" : " differs from")
                            + " its source byte for byte, but the stack's replica.verified says matches: " + l.bool("matches")));
                }
                if (matches || exempt.containsKey(l.vm())) {
                    continue;
                }
                found.add(new Violation(NAME, l.seq(), "the replica of " + key + " differs from its source at the end ("
                        + (l.str("replicaSha256") == null ? "it never reached Azure" : "source " + abbrev(l.str("sourceSha256"))
                        + ", replica " + abbrev(l.str("replicaSha256"))) + ")"));
            }
        }
        return found;
    }

    /** The VMs whose replica may legitimately differ at the end, with why. */
    static Map<String, String> exemptions(List<TraceLine> trace) {
        Map<String, String> why = new HashMap<>(); // lookups only
        Map<String, String> finalState = new HashMap<>();
        Map<String, Long> lastFatalError = new HashMap<>();
        Map<String, Long> lastResume = new HashMap<>();
        Set<String> vms = new HashSet<>();
        Set<String> failedOver = new HashSet<>();
        Set<String> failedBack = new HashSet<>(); // and not reprotected: the VM writes, unreplicated
        long resumeAll = -1;
        for (TraceLine l : trace) {
            if (l.vm() != null) {
                vms.add(l.vm());
            }
            switch (l.type()) {
                case "failover.finished" -> {
                    if ("unplanned".equals(l.str("kind"))) {
                        why.put(l.vm(), "failed over unplanned");
                    } else if ("planned".equals(l.str("kind"))) {
                        failedOver.add(l.vm());
                    }
                }
                case "fault.injected" -> {
                    String kind = l.str("kind");
                    if (failedOver.contains(l.vm()) && ("vm-reverted".equals(kind) || "vhd-changed-offline".equals(kind))) {
                        why.putIfAbsent(l.vm(), "its disks changed (" + kind + ") after it failed over");
                    }
                }
                case "vm.state" -> finalState.put(l.vm(), l.str("to"));
                case "failback.finished" -> failedBack.add(l.vm());
                case "reprotect.finished" -> failedBack.remove(l.vm());
                case "error" -> {
                    if (ErrorTable.awaitsAdministrator(l)) {
                        lastFatalError.put(l.vm(), l.seq());
                    }
                }
                case "action" -> {
                    if ("disable-replication".equals(l.str("action"))) {
                        why.put(l.vm() == null ? "*" : l.vm(), "replication disabled");
                    } else if ("resume".equals(l.str("action"))) {
                        if (l.vm() == null) {
                            resumeAll = l.seq();
                        } else {
                            lastResume.put(l.vm(), l.seq());
                        }
                    }
                }
                default -> { }
            }
        }
        for (String vm : vms) {
            if (failedBack.contains(vm)) {
                why.putIfAbsent(vm, "failed back and not reprotected: it writes while nothing replicates");
            }
            if (why.containsKey("*")) {
                why.putIfAbsent(vm, why.get("*"));
            }
            String state = finalState.get(vm);
            if ("Error".equals(state) || "Resynchronization required".equals(state)) {
                why.putIfAbsent(vm, "ended in " + state);
            }
            Long fatal = lastFatalError.get(vm);
            if (fatal != null && fatal > Math.max(resumeAll, lastResume.getOrDefault(vm, -1L))) {
                why.putIfAbsent(vm, "ended waiting for an administrator after a non-recoverable error");
            }
        }
        return why;
    }

    private static String abbrev(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }
}
