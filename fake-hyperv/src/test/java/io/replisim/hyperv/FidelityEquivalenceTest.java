package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.replisim.hyperv.WorkloadSpec.IoSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Bytes and model fidelity, driven through the same operations with the same seeds, report the
 * same figures after every step: outcomes (including a full volume), states, pending log bytes,
 * every sealed log's sequence, size, record count and writes, content fingerprints, file sizes
 * and volume usage. And the bytes side's files are exactly as large as the model says.
 */
class FidelityEquivalenceTest {

    private static final long SECOND = 1_000_000_000L;

    /** An operation and its argument, decoded from one int so generation stays cheap. */
    record Op(int kind, int disk, int arg) {

        static Op of(int x) {
            return new Op(x % 14, x / 14 % 2, x / 28);
        }

        @Override
        public String toString() {
            String[] names = {"step", "step", "step", "step", "step", "write", "switch", "ack", "completeIR",
                "offline", "logWriteFailure", "logNotClosedCleanly", "requireResync", "resync"};
            return names[kind] + "(disk" + disk + ", " + arg + ")";
        }
    }

    private static Gen<Op> ops() {
        return integers().between(0, 28 * 1000 - 1).map(Op::of);
    }

    @Test
    void bothFidelitiesReportIdenticalFiguresForTheSameSeedAndOperations() {
        qt().withFixedSeed(20260105L).withExamples(25).forAll(lists().of(ops()).ofSizeBetween(1, 40))
                .checkAssert(FidelityEquivalenceTest::sameFigures);
    }

    private static void sameFigures(List<Op> ops) {
        try (Side bytes = new Side(Fidelity.BYTES); Side model = new Side(Fidelity.MODEL)) {
            compare(bytes, model, "at start");
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                String a = bytes.apply(op);
                String b = model.apply(op);
                String where = "after " + ops.subList(0, i + 1);
                assertEquals(a, b, "outcome " + where);
                compare(bytes, model, where);
            }
            for (int d = 0; d < 2; d++) {
                assertEquals(bytes.disks.get(d).sha256(), model.disks.get(d).sha256(),
                        "model fidelity reads recompute what bytes fidelity stored, disk" + d + " after " + ops);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compare(Side x, Side y, String where) throws IOException {
        assertEquals(x.vm.replicationState(), y.vm.replicationState(), "state " + where);
        ReplicationTracker tx = x.vm.replicationTracker();
        ReplicationTracker ty = y.vm.replicationTracker();
        assertEquals(tx.pendingLogBytes(), ty.pendingLogBytes(), "pending log bytes " + where);
        assertEquals(tx.resynchronizationRequired(), ty.resynchronizationRequired(), "resync cause " + where);
        assertEquals(summary(tx.pendingLogs()), summary(ty.pendingLogs()), "pending logs " + where);
        assertEquals(x.host.volume("C").usedBytes(), y.host.volume("C").usedBytes(), "volume used " + where);
        long hrlBytes = 0;
        for (int d = 0; d < 2; d++) {
            VirtualDisk dx = x.disks.get(d);
            VirtualDisk dy = y.disks.get(d);
            assertEquals(dx.contentFingerprint(), dy.contentFingerprint(), "fingerprint disk" + d + " " + where);
            assertEquals(dx.fileSizeBytes(), dy.fileSizeBytes(), "file sizes disk" + d + " " + where);
            assertEquals(dx.checkpointView().map(DiskView::contentFingerprint),
                    dy.checkpointView().map(DiskView::contentFingerprint), "checkpoint disk" + d + " " + where);
            assertEquals(tx.activeLogPath(dx).map(Path::toString), ty.activeLogPath(dy).map(Path::toString),
                    "active log disk" + d + " " + where);
            long onVolume = Files.size(dx.path()) + (dx.checkpointPath().isPresent()
                    ? Files.size(dx.checkpointPath().get()) : 0);
            assertEquals(onVolume, dx.fileSizeBytes(), "bytes fidelity files of disk" + d + " " + where);
            hrlBytes += Fixtures.hrlFiles(dx.path().getParent()).stream().filter(p -> p.getFileName().toString()
                    .startsWith(dx.name() + "-")).mapToLong(FidelityEquivalenceTest::size).sum();
        }
        assertEquals(hrlBytes, tx.pendingLogBytes(), "bytes fidelity .hrl files " + where);
        assertEquals(List.of(), Fixtures.hrlFiles(y.disks.get(0).path().getParent()), "model fidelity writes no file");
    }

    private static List<String> summary(List<SealedLog> logs) {
        List<String> out = new ArrayList<>();
        for (SealedLog l : logs) {
            out.add(l.diskName() + " #" + l.sequence() + " " + l.path() + " " + l.sizeBytes() + " bytes, "
                    + l.recordCount() + " records, clean " + l.sealedCleanly() + ", writes " + l.writes());
        }
        return out;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One host of a fidelity, with a VM of two disks in initial replication and their workloads. */
    private static final class Side implements AutoCloseable {
        final TestClock clock = new TestClock();
        final HyperVHost host;
        final VirtualMachine vm;
        final List<VirtualDisk> disks = new ArrayList<>();
        final List<Workload> workloads = new ArrayList<>();

        Side(Fidelity fidelity) throws IOException {
            host = Fixtures.host(clock, 36 * MIB, fidelity);
            vm = host.createVm("vm1", "C");
            disks.add(vm.addDisk("disk0", 8 * MIB));
            disks.add(vm.addDisk("disk1", 6 * MIB));
            WorkloadSpec mixed = WorkloadSpec.builder().setChurnBytesPerSecond(384 * 1024)
                    .setIoSizes(new IoSize(4096, 1), new IoSize(65536, 2), new IoSize(256 * 1024, 1)).build();
            WorkloadSpec zipf = WorkloadSpec.builder().setChurnBytesPerSecond(192 * 1024).setIoSizeBytes(8192)
                    .setZipf(1.1, 64 * 1024)
                    .setHourlyMultipliers(1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1)
                    .build();
            workloads.add(new Workload(disks.get(0), mixed, new SplittableRandom(11), 5));
            workloads.add(new Workload(disks.get(1), zipf, new SplittableRandom(12), 5, clock, ZoneId.of("Europe/Paris")));
            host.replicationService().createReplicationRelationship(vm);
            host.replicationService().startReplication(vm);
        }

        /** Applies the operation; returns "ok", or the failure's class and (for faults) nothing more. */
        String apply(Op op) {
            VirtualDisk disk = disks.get(op.disk());
            ReplicationTracker tracker = vm.replicationTracker();
            ReplicationService service = host.replicationService();
            ReplicationState state = vm.replicationState();
            try {
                switch (op.kind()) {
                    case 0, 1, 2, 3, 4 -> {
                        long nanos = (op.arg() % 100 + 1) * SECOND / 50; // up to 2 s
                        clock.advance(Duration.ofNanos(nanos));
                        for (Workload w : workloads) {
                            w.advance(nanos);
                        }
                    }
                    case 5 -> {
                        int sectors = op.arg() % 300 + 1;
                        long offset = (op.arg() * 7919L % (disk.sizeBytes() / 512 - sectors)) * 512;
                        byte[] data = Fixtures.blockContent(disk, offset, sectors * 512, disk.nextVersion());
                        disk.write(offset, data, 0, data.length);
                    }
                    case 6 -> {
                        if (!tracker.isTracking()) {
                            return "not tracking";
                        }
                        tracker.switchLog(disk);
                    }
                    case 7 -> {
                        if (!tracker.pendingLogs().isEmpty()) {
                            tracker.acknowledge(tracker.pendingLogs().get(0));
                        }
                    }
                    case 8 -> {
                        if (state == ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION) {
                            service.completeInitialReplication(vm);
                        }
                    }
                    case 9 -> workloads.get(op.disk()).writeOffline(op.arg() % 5 * 40_000L + 1);
                    case 10 -> host.inject(HostFault.logWriteFailure("vm1"));
                    case 11 -> host.inject(HostFault.logNotClosedCleanly("vm1"));
                    case 12 -> {
                        if (state == ReplicationState.REPLICATING) {
                            service.requestReplicationStateChange(vm, ReplicationState.RESYNCHRONIZATION_REQUIRED);
                        }
                    }
                    case 13 -> {
                        if (state == ReplicationState.RESYNCHRONIZATION_REQUIRED) {
                            service.resynchronize(vm);
                        } else if (state == ReplicationState.RESYNCHRONIZING) {
                            service.completeResynchronization(vm);
                        }
                    }
                    default -> throw new AssertionError(op);
                }
                return "ok";
            } catch (IOException e) {
                return e.getClass().getSimpleName() + Optional.ofNullable(e.getMessage()).map(m -> "").orElse("");
            }
        }

        @Override
        public void close() throws IOException {
            host.close();
        }
    }
}
