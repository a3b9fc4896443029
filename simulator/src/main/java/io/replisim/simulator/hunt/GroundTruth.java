package io.replisim.simulator.hunt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@link GroundTruthProbe} read in the fakes while a run went: the source disks, the replicas
 * and the failed-over disks compared by its own code at the moments that matter, never by the
 * replication stack's figures or helpers. Each fact names the trace event it is judged against by
 * VM, type and occurrence (the {@code n}-th such event of that VM, from 1). Filled from the sites'
 * threads; read once the run has ended.
 */
public final class GroundTruth {
    /** Nothing observed: a trace checked without the fakes (the content invariants then judge nothing). */
    public static final GroundTruth NONE = new GroundTruth();

    /**
     * Blocks compared by a resync, a failback or a reprotect: how many blocks the disks have at
     * the block size the scenario sets, and how many of them differed between the two sides when
     * the comparison began.
     *
     * @param event       {@code resync.finished}, {@code failback.finished} or {@code reprotect.finished}
     * @param occurrence  which of the VM's events of that type (from 1)
     * @param interrupted an error struck the VM between start and finish: the stack may compare
     *                    again from where it stopped, so fewer blocks may be left to send
     * @param equalAfter  whether the two sides are equal once it finished (null: not read)
     */
    public record BlockComparison(String vm, String event, int occurrence, long blocks, long differing,
                                  boolean interrupted, Boolean equalAfter) {}

    /**
     * A failover's Azure VM against the source as of the recovery point.
     *
     * @param occurrence       which of the VM's {@code failover.finished} (from 1)
     * @param pointKnown       whether the probe saw the source at the point's moment (a log switch)
     * @param disksMatchPoint  whether every failed-over disk holds the source's content as of the
     *                         point (null: content-free fidelity, nothing to read)
     * @param blocksChanged    4 KiB blocks whose content the source changed after the point, counted
     *                         when the source stopped writing
     */
    public record FailoverCheck(String vm, int occurrence, boolean pointKnown, Boolean disksMatchPoint,
                                long blocksChanged) {}

    /** A replica against its source at the end of the run, byte for byte. */
    public record FinalReplica(String vm, String disk, boolean matches) {}

    /**
     * The host volume of a VM when its {@code occurrence}-th {@code resync.required} came: how full
     * it really was (a volume can fill without a fault, with logs piling up behind a slow link).
     */
    public record VolumeAtResync(String vm, int occurrence, long capacityBytes, long freeBytes) {}

    /** A VM's total virtual disk size, as its host holds the disks (what Hyper-V's log threshold is half of). */
    public record VmDisks(String vm, long totalBytes) {}

    private final java.util.Map<String, Long> diskBytes = new java.util.HashMap<>(); // lookups only
    private final List<BlockComparison> comparisons = new ArrayList<>();
    private final List<FailoverCheck> failovers = new ArrayList<>();
    private final List<FinalReplica> finals = new ArrayList<>();

    /** An empty record, for a probe to fill. */
    public GroundTruth() {}

    private final List<VolumeAtResync> volumes = new ArrayList<>();

    synchronized void add(VolumeAtResync v) {
        volumes.add(v);
    }

    public synchronized Optional<VolumeAtResync> volumeAtResync(String vm, int occurrence) {
        return volumes.stream().filter(v -> v.vm().equals(vm) && v.occurrence() == occurrence).findFirst();
    }

    synchronized void add(VmDisks d) {
        diskBytes.put(d.vm(), d.totalBytes());
    }

    /** The VM's total virtual disk size on its host, if the probe saw the VM. */
    public synchronized java.util.OptionalLong diskBytes(String vm) {
        Long bytes = diskBytes.get(vm);
        return bytes == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(bytes);
    }

    synchronized void add(BlockComparison c) {
        comparisons.add(c);
    }

    synchronized void add(FailoverCheck c) {
        failovers.add(c);
    }

    synchronized void add(FinalReplica c) {
        finals.add(c);
    }

    public synchronized Optional<BlockComparison> comparison(String vm, String event, int occurrence) {
        return comparisons.stream().filter(c -> c.vm().equals(vm) && c.event().equals(event) && c.occurrence() == occurrence)
                .findFirst();
    }

    public synchronized Optional<FailoverCheck> failover(String vm, int occurrence) {
        return failovers.stream().filter(c -> c.vm().equals(vm) && c.occurrence() == occurrence).findFirst();
    }

    public synchronized Optional<FinalReplica> finalReplica(String vm, String disk) {
        return finals.stream().filter(c -> c.vm().equals(vm) && c.disk().equals(disk)).findFirst();
    }

    /** Every fact, in a fixed order (for tests and diagnostics). */
    public synchronized List<Object> facts() {
        List<Object> all = new ArrayList<>();
        comparisons.stream().sorted(Comparator.comparing(BlockComparison::vm).thenComparing(BlockComparison::event)
                .thenComparingInt(BlockComparison::occurrence)).forEach(all::add);
        failovers.stream().sorted(Comparator.comparing(FailoverCheck::vm).thenComparingInt(FailoverCheck::occurrence))
                .forEach(all::add);
        finals.stream().sorted(Comparator.comparing(FinalReplica::vm).thenComparing(FinalReplica::disk)).forEach(all::add);
        return all;
    }
}
