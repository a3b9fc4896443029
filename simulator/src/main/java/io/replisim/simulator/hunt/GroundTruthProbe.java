package io.replisim.simulator.hunt;

import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.ReplicaDisk;
import io.replisim.azure.vault.AzureVm;
import io.replisim.hyperv.BlockContent;
import io.replisim.hyperv.ExtentMap;
import io.replisim.hyperv.Fidelity;
import io.replisim.hyperv.HyperVHost;
import io.replisim.hyperv.VirtualDisk;
import io.replisim.hyperv.VirtualMachine;
import io.replisim.simulator.run.SiteProbe;
import io.replisim.simulator.trace.TraceEvent;
import io.replisim.simulator.trace.TraceRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the fakes at the moments the invariants need (docs/hunt.md, Ground truth): the source
 * disks' content versions at every log switch (what a recovery point must hold), source and
 * replica compared block by block when a resync or reprotect takes its checkpoint, the
 * on-premises disks and the Azure VM's when a failback starts and when it ends, a failover's disks
 * against the source as of its point, every replica against its source at the end. All compared
 * here, by reading bytes or content versions from fake-hyperv and fake-azure: nothing of the
 * replication stack is used, so a stack that computes a figure wrongly cannot also check it wrongly.
 *
 * <p>Content is read in bytes fidelity only: in model fidelity the replica's content exists only in
 * the stack's own bookkeeping (its page blob holds no data), so there only what the source alone
 * tells is judged (the blocks a failover lost); flow fidelity has no content at all.
 */
public final class GroundTruthProbe implements SiteProbe {
    /** The unit a failover's lost blocks are counted in (docs/trace.md, failover.finished). */
    private static final int LOSS_BLOCK = BlockContent.BLOCK_SIZE;
    private static final int SECTOR = ExtentMap.SECTOR;
    /** The replicas' container and blob names, as docs/fake-azure.md lays the storage account out. */
    static final String REPLICA_CONTAINER = "asr-replicas";

    private final Fakes fakes;
    private final GroundTruth truth;
    private final long compareBlock;
    private final boolean content;
    /** "vm/disk" -> the source's versions at each log switch not yet bound to a point, oldest first. */
    private final Map<String, List<Snapshot>> snapshots = new HashMap<>();
    /** "recoveryPoint/disk" -> the source's versions the point stands for. */
    private final Map<String, ExtentMap> points = new HashMap<>();
    /** vm -> a comparison begun and not yet finished: "resync.finished", ... with its figures. */
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<String, Integer> occurrences = new HashMap<>();
    /** vm -> the Azure VM of its last planned or unplanned failover. */
    private final Map<String, String> failoverVm = new HashMap<>();

    private record Snapshot(long time, ExtentMap versions) {}

    private static final class Pending {
        final String event;
        final long blocks;
        final long differing;
        boolean interrupted;

        Pending(String event, long[] figures) {
            this.event = event;
            this.blocks = figures[0];
            this.differing = figures[1];
        }
    }

    /**
     * @param compareBlockBytes the block size resyncs, failbacks and reprotects compare in, from the
     *                          scenario ({@code resync.blockSize})
     */
    public GroundTruthProbe(Fakes fakes, GroundTruth truth, long compareBlockBytes) {
        this.fakes = fakes;
        this.truth = truth;
        this.compareBlock = compareBlockBytes;
        this.content = fakes.fidelity() == Fidelity.BYTES;
        for (HyperVHost host : fakes.hosts()) {
            for (VirtualMachine vm : host.vms()) {
                truth.add(new GroundTruth.VmDisks(vm.name(), vm.disks().stream().mapToLong(VirtualDisk::sizeBytes).sum()));
            }
        }
    }

    /** A factory for runs of {@code scenario}: one probe per site, all filing into {@code truth}. */
    public static Factory into(GroundTruth truth, io.replisim.simulator.scenario.Scenario scenario) {
        long block = scenario.effectiveResync().blockSize().bytes();
        return fakes -> new GroundTruthProbe(fakes, truth, block);
    }

    @Override
    public void seen(TraceRecord record) {
        if (fakes.fidelity() == Fidelity.FLOW) {
            return;
        }
        try {
            see(record.time(), record.event());
        } catch (IOException e) {
            throw new UncheckedIOException("the ground-truth probe could not read the fakes", e);
        }
    }

    private void see(long time, TraceEvent event) throws IOException {
        if (event instanceof TraceEvent.LogSwitched e) {
            disk(e.vm(), e.disk()).ifPresent(d ->
                    snapshots.computeIfAbsent(e.vm() + "/" + e.disk(), k -> new ArrayList<>()).add(new Snapshot(time, d.contentVersions())));
        } else if (event instanceof TraceEvent.CheckpointCreated e) {
            // a VM that starts replicated has its first point at the checkpoint; a reprotect compares from here
            for (VirtualDisk d : disks(e.vm())) {
                snapshots.computeIfAbsent(e.vm() + "/" + d.name(), k -> new ArrayList<>()).add(new Snapshot(time, d.contentVersions()));
            }
            if (reprotecting(e.vm())) {
                pending.put(e.vm(), new Pending("reprotect.finished", replicaDifference(e.vm())));
            }
        } else if (event instanceof TraceEvent.RecoveryPointCreated e) {
            bind(e.vm(), e.recoveryPoint(), OffsetDateTime.parse(e.pointInTime()).toInstant());
        } else if (event instanceof TraceEvent.RecoveryPointPruned e) {
            points.keySet().removeIf(k -> k.startsWith(e.recoveryPoint() + "/"));
        } else if (event instanceof TraceEvent.ResyncRequired e) {
            int n = occurrences.merge(e.vm() + "/resync.required", 1, Integer::sum);
            Optional<VirtualMachine> vm = vm(e.vm());
            if (vm.isPresent()) {
                var volume = vm.get().volume();
                truth.add(new GroundTruth.VolumeAtResync(e.vm(), n, volume.capacityBytes(), volume.freeBytes()));
            }
        } else if (event instanceof TraceEvent.ResyncStarted e) {
            pending.put(e.vm(), new Pending("resync.finished", replicaDifference(e.vm())));
        } else if (event instanceof TraceEvent.AdminAction e) {
            if ("failback".equals(e.action()) && e.vm() != null && failoverVm.containsKey(e.vm())) {
                pending.put(e.vm(), new Pending("failback.finished", failoverDifference(e.vm())));
            } else if ("reprotect".equals(e.action()) && e.vm() != null) {
                pending.put(e.vm(), new Pending("reprotect", new long[2])); // compared at its checkpoint
            }
        } else if (event instanceof TraceEvent.ActionRefused e) {
            Pending p = pending.get(e.vm());
            if (p != null && (p.event.equals("failback.finished") && "failback".equals(e.action())
                    || p.event.equals("reprotect") && "reprotect".equals(e.action()))) {
                pending.remove(e.vm());
            }
        } else if (event instanceof TraceEvent.ErrorRaised e) {
            Pending p = e.vm() == null ? null : pending.get(e.vm());
            if (p != null) {
                p.interrupted = true;
            }
        } else if (event instanceof TraceEvent.ResyncFinished e) {
            finish(e.vm(), "resync.finished", () -> null); // the logs written meanwhile may not be applied yet
        } else if (event instanceof TraceEvent.ReprotectFinished e) {
            finish(e.vm(), "reprotect.finished", () -> null);
        } else if (event instanceof TraceEvent.FailbackFinished e) {
            finish(e.vm(), "failback.finished", () -> failoverDifference(e.vm())[1] == 0);
        } else if (event instanceof TraceEvent.FailoverFinished e) {
            failover(e);
        } else if (event instanceof TraceEvent.ReplicaVerified e) {
            if (content) {
                Optional<VirtualDisk> d = disk(e.vm(), e.disk());
                if (d.isPresent()) {
                    truth.add(new GroundTruth.FinalReplica(e.vm(), e.disk(), differing(d.get(), replica(e.host(), e.vm(), e.disk()), compareBlock, false) == 0));
                }
            }
        }
    }

    private interface Check {
        Boolean get() throws IOException;
    }

    private void finish(String vm, String event, Check equalAfter) throws IOException {
        int n = occurrences.merge(vm + "/" + event, 1, Integer::sum);
        Pending p = pending.remove(vm);
        // a VM its host cannot find (a vm-not-found fault) has no disks to read: nothing to judge by
        if (p != null && p.event.equals(event) && p.blocks > 0 && !disks(vm).isEmpty()) {
            truth.add(new GroundTruth.BlockComparison(vm, event, n, p.blocks, p.differing, p.interrupted,
                    content ? equalAfter.get() : null));
        }
    }

    private boolean reprotecting(String vm) {
        Pending p = pending.get(vm);
        return p != null && p.event.equals("reprotect");
    }

    /** Binds the source's versions at {@code at} (a log switch or checkpoint) to the point; forgets older unbound ones. */
    private void bind(String vm, String point, Instant at) {
        for (VirtualDisk d : disks(vm)) {
            List<Snapshot> list = snapshots.getOrDefault(vm + "/" + d.name(), List.of());
            Snapshot found = null;
            for (Iterator<Snapshot> it = list.iterator(); it.hasNext(); ) {
                Snapshot s = it.next();
                Instant when = fakes.start().plusNanos(s.time());
                if (when.equals(at)) {
                    found = s;
                }
                if (!when.isAfter(at)) {
                    it.remove();
                }
            }
            if (found != null) {
                points.put(point + "/" + d.name(), found.versions());
            }
        }
    }

    private void failover(TraceEvent.FailoverFinished e) throws IOException {
        int n = occurrences.merge(e.vm() + "/failover.finished", 1, Integer::sum);
        if (!"test".equals(e.kind())) {
            failoverVm.put(e.vm(), e.azureVm());
        }
        List<VirtualDisk> disks = disks(e.vm());
        boolean known = !disks.isEmpty();
        long changed = 0;
        Boolean matches = content ? Boolean.TRUE : null;
        AzureVm azure = fakes.vault().azureVm(e.azureVm()).orElse(null);
        for (VirtualDisk d : disks) {
            ExtentMap atPoint = points.get(e.recoveryPoint() + "/" + d.name());
            if (atPoint == null) {
                known = false;
                continue;
            }
            changed += changedBlocks(atPoint, d.contentVersions());
            if (content) {
                AzureVm.Disk copy = azure == null ? null : azure.disks().get(d.id().toString());
                matches &= copy != null && holds(ReplicaDisk.open(fakes.storage(), copy.container(), copy.blob()), atPoint, d);
            }
        }
        truth.add(new GroundTruth.FailoverCheck(e.vm(), n, known, known ? matches : null, changed));
    }

    /**
     * {blocks, differing}: the VM's source disks against their replicas, in compare blocks. A
     * replica not created yet (a resync during initial replication, before its disk's turn) counts
     * as the empty page blob it will be created as: zeros, which the source's unwritten blocks
     * equal.
     */
    private long[] replicaDifference(String vm) throws IOException {
        long[] figures = {0, content ? 0 : -1};
        for (VirtualDisk d : disks(vm)) {
            figures[0] += blocks(d.sizeBytes(), compareBlock);
            figures[1] += content ? differing(d, replica(d.vm().host().name(), vm, d.name()), compareBlock, true) : 0;
        }
        return figures;
    }

    /** {blocks, differing}: the VM's on-premises disks against its failover VM's. */
    private long[] failoverDifference(String vm) throws IOException {
        long[] figures = {0, content ? 0 : -1};
        AzureVm azure = fakes.vault().azureVm(failoverVm.get(vm)).orElse(null);
        for (VirtualDisk d : disks(vm)) {
            figures[0] += blocks(d.sizeBytes(), compareBlock);
            if (content) {
                AzureVm.Disk copy = azure == null ? null : azure.disks().get(d.id().toString());
                figures[1] += copy == null ? blocks(d.sizeBytes(), compareBlock)
                        : differing(d, ReplicaDisk.open(fakes.storage(), copy.container(), copy.blob()), compareBlock, false);
            }
        }
        return figures;
    }

    private ReplicaDisk replica(String host, String vm, String disk) {
        String blob = host + "/" + vm + "/" + disk + ".vhd";
        BlobStorage storage = fakes.storage();
        return storage.exists(REPLICA_CONTAINER, blob) ? ReplicaDisk.open(storage, REPLICA_CONTAINER, blob) : null;
    }

    /**
     * Blocks of {@code size} bytes whose bytes differ between the source and the copy; without a
     * copy, all of them, or those not all zeros when {@code missingIsEmpty}.
     */
    private static long differing(VirtualDisk source, ReplicaDisk copy, long blockBytes, boolean missingIsEmpty) throws IOException {
        long size = source.sizeBytes();
        if (copy == null && !missingIsEmpty) {
            return blocks(size, blockBytes);
        }
        long count = 0;
        for (long at = 0; at < size; at += blockBytes) {
            int length = (int) Math.min(blockBytes, size - at);
            byte[] mine = new byte[length];
            source.read(at, mine, 0, length);
            if (!Arrays.equals(mine, copy == null ? new byte[length] : copy.readData(at, length))) {
                count++;
            }
        }
        return count;
    }

    /** Whether {@code copy} holds, sector by sector, the content the workload wrote at {@code versions}. */
    private boolean holds(ReplicaDisk copy, ExtentMap versions, VirtualDisk source) {
        long size = source.sizeBytes();
        byte[] block = new byte[BlockContent.BLOCK_SIZE];
        for (long at = 0; at < size; at += LOSS_BLOCK) {
            int length = (int) Math.min(LOSS_BLOCK, size - at);
            byte[] expected = new byte[length];
            for (int s = 0; s < length; s += SECTOR) {
                long version = versions.versionAt(at + s);
                if (version != 0) {
                    BlockContent.fill(fakes.contentSeed(), source.id(), at / BlockContent.BLOCK_SIZE, version, block, 0);
                    System.arraycopy(block, s, expected, s, Math.min(SECTOR, length - s));
                }
            }
            if (!Arrays.equals(expected, copy.readData(at, length))) {
                return false;
            }
        }
        return true;
    }

    /** 4 KiB blocks in which any sector's version differs between the two maps (walked extent by extent). */
    static long changedBlocks(ExtentMap a, ExtentMap b) {
        List<ExtentMap.Extent> x = a.extents();
        List<ExtentMap.Extent> y = b.extents();
        long size = a.sizeBytes();
        long count = 0;
        long lastBlock = -1;
        int i = 0;
        int j = 0;
        long at = 0;
        while (at < size) {
            while (i < x.size() && x.get(i).offset() + x.get(i).length() <= at) {
                i++;
            }
            while (j < y.size() && y.get(j).offset() + y.get(j).length() <= at) {
                j++;
            }
            long va = i < x.size() && x.get(i).offset() <= at ? x.get(i).version() : 0;
            long vb = j < y.size() && y.get(j).offset() <= at ? y.get(j).version() : 0;
            long next = size;
            next = Math.min(next, i < x.size() ? (x.get(i).offset() <= at ? x.get(i).offset() + x.get(i).length() : x.get(i).offset()) : size);
            next = Math.min(next, j < y.size() ? (y.get(j).offset() <= at ? y.get(j).offset() + y.get(j).length() : y.get(j).offset()) : size);
            if (va != vb) {
                long first = Math.max(at / LOSS_BLOCK, lastBlock + 1);
                long last = (next - 1) / LOSS_BLOCK;
                if (last >= first) {
                    count += last - first + 1;
                    lastBlock = last;
                }
            }
            at = next;
        }
        return count;
    }

    private static long blocks(long size, long blockBytes) {
        return (size + blockBytes - 1) / blockBytes;
    }

    private Optional<VirtualDisk> disk(String vm, String disk) {
        return vm(vm).flatMap(v -> v.disk(disk));
    }

    private List<VirtualDisk> disks(String vm) {
        return vm(vm).map(VirtualMachine::disks).orElse(List.of());
    }

    private Optional<VirtualMachine> vm(String name) {
        for (HyperVHost host : fakes.hosts()) {
            Optional<VirtualMachine> vm = host.vm(name);
            if (vm.isPresent()) {
                return vm;
            }
        }
        return Optional.empty();
    }
}
