package io.replisim.simulator.hunt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A resync happens if and only if a trigger held (docs/trace.md, {@code resync.required}).
 *
 * <p>The VM's total disk size is read from its host's disks (ground truth, {@link GroundTruth#diskBytes}),
 * not taken from the stack's {@code diskBytes}, which must equal it; a trace checked alone falls back
 * to the stack's figure.
 *
 * <p>Only if: a {@code resync.required} with reason {@code log-threshold} has {@code logBytes}
 * of at least half the disks' size, or all of it during initial replication (before the VM's
 * first {@code ir.finished}, {@code resync.finished} or {@code vm.state} to Replicating); {@code low-disk-space} follows a
 * {@code low-disk-space} fault on the VM's host, or the host volume really was full then (ground
 * truth: less than 1 MiB free, logs piling up behind a slow link); {@code log-corrupt} follows a
 * {@code log-write-failure} or {@code log-not-closed-cleanly} fault on the VM;
 * {@code log-write-failure}, {@code log-not-closed-cleanly}, {@code vhd-changed-offline} and
 * {@code vm-reverted} follow a fault of that kind on the VM; no other reason appears. Every
 * {@code resync.started} follows a {@code resync.required} of its VM not yet served. No
 * {@code resync.required} comes once replication stopped for good in this direction: from the
 * start of an Unplanned failover or Disable replication job, or a failover's
 * {@code failover.finished} (planned or unplanned), until a Reprotect job starts.
 *
 * <p>If: while the workload runs and the VM is replicating (or in initial replication), once its
 * sealed, unapplied logs ({@code log.switched} bytes not yet {@code log.applied}: a lower bound of
 * what Hyper-V counts) reach the threshold, or a {@code log-not-closed-cleanly},
 * {@code vhd-changed-offline} or {@code vm-reverted} fault strikes it, a {@code resync.required}
 * follows within {@link #REACTION} unless the VM's state changes first or replication stops for
 * good.
 */
public final class ResyncIffTrigger implements Invariant {
    public static final String NAME = "resync-iff-trigger";
    /** How soon a trigger must be acted on (the simulator checks every 10 s of workload). */
    public static final Duration REACTION = Duration.ofMinutes(1);
    /** A volume with less free space than this is full for a guest write (the largest I/O a workload issues is 1 MiB). */
    static final long FULL_VOLUME_MARGIN = 1L << 20;

    private static final Set<String> TRACKING_FAULTS = Set.of("log-write-failure", "log-not-closed-cleanly",
            "vhd-changed-offline", "vm-reverted");
    private static final Set<String> EVENT_FAULTS = Set.of("log-not-closed-cleanly", "vhd-changed-offline", "vm-reverted");

    @Override
    public String name() {
        return NAME;
    }

    private static final class Vm {
        String state = "Not enabled";
        boolean irDone;
        long diskBytes = -1;
        int requiredCount;
        boolean required;
        /** Replication stopped for good (a failover, disabling): no resync is due. */
        boolean stopped;
        final Map<String, Long> sealed = new HashMap<>(); // "disk/sequence" -> bytes; lookups only
        long pendingBytes;
        TraceLine thresholdReached;
        boolean thresholdReported;
        TraceLine faultStruck;
        final Set<String> faults = new HashSet<>();
    }

    @Override
    public List<Violation> check(RunEvidence run) {
        List<TraceLine> trace = run.trace();
        List<Violation> found = new ArrayList<>();
        Map<String, Vm> vms = new LinkedHashMap<>();
        Map<String, Set<String>> hostFaults = new HashMap<>(); // lookups only
        boolean workloadStopped = false;
        long reaction = REACTION.toNanos();
        // the VMs with a trigger open, in the order they opened one: checked on every line (a
        // trace of hundreds of VMs has millions of lines, so not every VM on every line)
        Map<String, Vm> watching = new LinkedHashMap<>();
        for (TraceLine l : trace) {
            for (java.util.Iterator<Map.Entry<String, Vm>> it = watching.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Vm> e = it.next();
                Vm v = e.getValue();
                if (v.thresholdReached != null && l.t() - v.thresholdReached.t() > reaction) {
                    found.add(new Violation(NAME, v.thresholdReached.seq(), "the pending logs of " + e.getKey() + " reached "
                            + v.pendingBytes + " bytes, at least " + (v.irDone ? "half" : "all") + " of " + v.diskBytes
                            + ", but no resync.required followed within " + REACTION));
                    v.thresholdReached = null;
                    v.thresholdReported = true;
                }
                if (v.faultStruck != null && l.t() - v.faultStruck.t() > reaction) {
                    found.add(new Violation(NAME, v.faultStruck.seq(), "fault " + v.faultStruck.str("kind") + " struck "
                            + e.getKey() + " while " + v.state + ", but no resync.required followed within " + REACTION));
                    v.faultStruck = null;
                }
                if (v.thresholdReached == null && v.faultStruck == null) {
                    it.remove();
                }
            }
            if (l.is("workload.stopped")) {
                workloadStopped = true; // triggers are no longer checked while the last logs drain
                for (Vm v : vms.values()) {
                    v.thresholdReached = null;
                    v.faultStruck = null;
                }
                continue;
            }
            if (l.is("fault.injected") && l.vm() == null) {
                if (l.host() != null) {
                    hostFaults.computeIfAbsent(l.host(), k -> new HashSet<>()).add(l.str("kind"));
                }
                continue;
            }
            if (l.vm() == null) {
                continue;
            }
            Vm v = vms.computeIfAbsent(l.vm(), k -> new Vm());
            if (v.diskBytes < 0) { // a VM that starts replicated has no ir.started
                v.diskBytes = run.truth().diskBytes(l.vm()).orElse(-1);
            }
            switch (l.type()) {
                case "ir.started" -> v.diskBytes = run.truth().diskBytes(l.vm()).orElse(l.num("diskBytes"));
                case "ir.finished", "resync.finished" -> v.irDone = true;
                case "vm.state" -> {
                    v.state = l.str("to");
                    v.faultStruck = null;
                    if ("Replicating".equals(v.state)) {
                        v.irDone = true; // Hyper-V's threshold is half the disks once the VM replicates
                    }
                }
                case "log.switched" -> {
                    Long old = v.sealed.put(l.disk() + "/" + l.num("sequence"), l.num("bytes"));
                    v.pendingBytes += l.num("bytes") - (old == null ? 0 : old);
                }
                case "log.applied" -> {
                    Long bytes = v.sealed.remove(l.disk() + "/" + l.num("sequence"));
                    v.pendingBytes -= bytes == null ? 0 : bytes;
                }
                case "fault.injected" -> {
                    String kind = l.str("kind");
                    v.faults.add(kind);
                    if (EVENT_FAULTS.contains(kind) && !workloadStopped && v.faultStruck == null && !v.required && !v.stopped
                            && ("Replicating".equals(v.state) || "Waiting to complete initial replication".equals(v.state))) {
                        v.faultStruck = l;
                    }
                }
                case "fault.cleared" -> {
                    // an event fault cleared the moment it was injected could not strike (a VM
                    // that is gone cannot be reverted): nothing changed, so nothing must follow
                    if (v.faultStruck != null && v.faultStruck.t() == l.t() && v.faultStruck.str("kind").equals(l.str("kind"))) {
                        v.faultStruck = null;
                    }
                }
                case "job.started" -> {
                    String job = l.str("name");
                    if ("Unplanned failover".equals(job) || "Disable replication".equals(job)) {
                        stop(v);
                    } else if ("Reprotect".equals(job)) {
                        v.stopped = false; // replication starts again in the other direction
                    }
                }
                case "failover.finished" -> {
                    if (!"test".equals(l.str("kind"))) {
                        stop(v);
                    }
                }
                case "resync.required" -> {
                    v.requiredCount++;
                    GroundTruth.VolumeAtResync volume = run.truth().volumeAtResync(l.vm(), v.requiredCount).orElse(null);
                    String reason = v.stopped ? "resync.required for " + l.vm() + " after replication stopped for good"
                            + " (a failover or disabling)"
                            : required(l, v, hostFaults, run.truth().diskBytes(l.vm()).orElse(l.num("diskBytes")), volume);
                    if (reason != null) {
                        found.add(new Violation(NAME, l.seq(), reason));
                    }
                    v.required = true;
                    v.sealed.clear();
                    v.pendingBytes = 0;
                    v.faultStruck = null;
                }
                case "resync.started" -> {
                    if (!v.required) {
                        found.add(new Violation(NAME, l.seq(), "resync.started for " + l.vm()
                                + " without a resync.required of that VM before it"));
                    }
                    v.required = false;
                }
                default -> { }
            }
            threshold(l, v, workloadStopped);
            if (v.thresholdReached != null || v.faultStruck != null) {
                watching.putIfAbsent(l.vm(), v);
            }
        }
        found.sort(java.util.Comparator.comparingLong(Violation::seq));
        return found;
    }

    private static void stop(Vm v) {
        v.stopped = true;
        v.faultStruck = null;
        v.thresholdReached = null;
    }

    /** Opens or closes the VM's "pending logs at the threshold" episode after {@code l}. */
    private static void threshold(TraceLine l, Vm v, boolean workloadStopped) {
        boolean replicating = v.irDone ? "Replicating".equals(v.state) : "Waiting to complete initial replication".equals(v.state);
        long limit = v.irDone ? v.diskBytes / 2 : v.diskBytes;
        boolean reached = !workloadStopped && !v.stopped && replicating && v.diskBytes > 0 && v.pendingBytes >= limit;
        if (!reached) {
            v.thresholdReached = null;
            v.thresholdReported = false;
        } else if (v.thresholdReached == null && !v.thresholdReported) {
            v.thresholdReached = l;
        }
    }

    /** Why a resync.required had no trigger, or null if it had one. */
    private static String required(TraceLine l, Vm v, Map<String, Set<String>> hostFaults, long disk,
                                   GroundTruth.VolumeAtResync volume) {
        String reason = l.str("reason");
        String vm = l.vm();
        if (reason == null) {
            return "resync.required for " + vm + " gives no reason";
        }
        switch (reason) {
            case "log-threshold" -> {
                if (l.num("diskBytes") != disk) {
                    return "resync.required for " + vm + " by log-threshold says the disks hold " + l.num("diskBytes")
                            + " bytes, but its host's disks hold " + disk;
                }
                long limit = v.irDone ? disk / 2 : disk;
                if (l.num("logBytes") < limit) {
                    return "resync.required for " + vm + " by log-threshold with " + l.num("logBytes") + " log bytes, below "
                            + (v.irDone ? "half" : "all (initial replication)") + " of " + disk;
                }
                return null;
            }
            case "low-disk-space" -> {
                boolean full = volume != null && volume.freeBytes() < FULL_VOLUME_MARGIN;
                if (!full && !hostFaults.getOrDefault(String.valueOf(l.host()), Set.of()).contains("low-disk-space")) {
                    return "resync.required for " + vm + " by low-disk-space, but no low-disk-space fault struck its host "
                            + l.host() + (volume == null ? "" : " and its volume had " + volume.freeBytes() + " of "
                            + volume.capacityBytes() + " bytes free");
                }
                return null;
            }
            case "log-corrupt" -> {
                if (!v.faults.contains("log-write-failure") && !v.faults.contains("log-not-closed-cleanly")) {
                    return "resync.required for " + vm + " by log-corrupt, but no log-write-failure or log-not-closed-cleanly"
                            + " fault struck it";
                }
                return null;
            }
            default -> {
                if (!TRACKING_FAULTS.contains(reason)) {
                    return "resync.required for " + vm + " with an unknown reason '" + reason + "'";
                }
                if (!v.faults.contains(reason)) {
                    return "resync.required for " + vm + " by " + reason + ", but no such fault struck it";
                }
                return null;
            }
        }
    }
}
