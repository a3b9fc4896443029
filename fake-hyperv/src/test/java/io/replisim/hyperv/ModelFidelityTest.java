package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.hyperv.vhdx.Vhdx;
import java.io.IOException;
import java.nio.file.Files;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelFidelityTest {

    private static final long GIB = 1024 * MIB;
    private static final long TIB = 1024 * GIB;
    private static final long MINUTE = 60_000_000_000L;

    private final TestClock clock = new TestClock();

    @Test
    void aTwoTibModelDiskWithADayOfWritesStaysSmallInMemory() throws IOException {
        HostConfig config = HostConfig.standalone("hv01").toBuilder().setFidelity(Fidelity.MODEL)
                .setVolumes(List.of(VolumeConfig.of("C", 3 * TIB))).build();
        try (HyperVHost host = HyperVHost.start(config, clock)) {
            VirtualMachine vm = host.createVm("sql01", "C");
            VirtualDisk disk = vm.addDisk("data", 2 * TIB);
            assertTrue(disk.contentVersions().estimatedMemoryBytes() < 1024, "an empty 2 TiB disk costs bytes");
            // A busy SQL server: 128 KiB/s of Zipf-placed writes, twice that in office hours,
            // and a 2 MiB/s maintenance job from 01:00 to 02:00.
            WorkloadSpec spec = WorkloadSpec.builder().setChurnBytesPerSecond(128 * 1024)
                    .setZipf(1.1, MIB)
                    .setHourlyMultipliers(1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1)
                    .addBurst(WorkloadSpec.Burst.daily("sql-maintenance", LocalTime.of(1, 0), Duration.ofHours(1),
                            2 * MIB))
                    .build();
            Workload workload = new Workload(disk, spec, new SplittableRandom(42), 42, clock, ZoneId.of("UTC"));
            ReplicationService service = host.replicationService();
            service.createReplicationRelationship(vm);
            service.startReplication(vm);
            // The replica, kept as the simulator keeps it in model fidelity: the checkpoint's
            // versions, then every log's writes.
            ExtentMap replica = disk.checkpointView().orElseThrow().contentVersions();
            service.completeInitialReplication(vm);
            ReplicationTracker tracker = vm.replicationTracker();
            long maxPending = 0;
            for (int cycle = 0; cycle < 24 * 12; cycle++) { // a day of 5-minute cycles
                for (int step = 0; step < 5; step++) {
                    clock.advance(Duration.ofMinutes(1));
                    workload.advance(MINUTE);
                }
                SealedLog log = tracker.switchLog(disk);
                log.checkSealed();
                for (LoggedWrite w : log.writes()) {
                    replica.assign(w.offset(), w.length(), w.version());
                }
                maxPending = Math.max(maxPending, tracker.pendingLogBytes());
                tracker.acknowledge(log);
            }
            long writes = workload.bytesWritten() / (64 * 1024);
            long dayBytes = spec.bytesPerDay(DayOfWeek.MONDAY);
            assertTrue(dayBytes - workload.bytesWritten() >= 0 && dayBytes - workload.bytesWritten() < 65536,
                    "a day's bytes, whole I/Os: " + workload.bytesWritten() + " of " + dayBytes);
            ExtentMap versions = disk.contentVersions();
            assertTrue(versions.runCount() <= 2 * writes + 1, versions.runCount() + " runs for " + writes + " writes");
            assertTrue(versions.estimatedMemoryBytes() < 32 * versions.runCount());
            assertTrue(versions.estimatedMemoryBytes() < 16 * MIB, "extent map: " + versions.estimatedMemoryBytes());
            assertTrue(workload.bytesWritten() > 15 * GIB, "written: " + workload.bytesWritten());
            assertEquals(disk.contentFingerprint(), replica.fingerprint(), "the replica is verified by versions");
            assertFalse(Files.exists(disk.path()), "model fidelity keeps no file");
            assertTrue(host.volume("C").usedBytes() >= disk.fileSizeBytes());
            assertTrue(maxPending > 0);
        }
    }

    @Test
    void modelDisksHaveNoFilesYetTheirSizesCountOnTheVolume() throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * GIB, Fidelity.MODEL)) {
            VirtualDisk disk = host.createVm("vm1", "C").addDisk("disk0", TIB);
            assertFalse(Files.exists(disk.path()));
            assertEquals(Vhdx.emptyFileSize(TIB, Vhdx.DEFAULT_BLOCK_SIZE, false), host.volume("C").usedBytes());
            byte[] data = new byte[4096];
            disk.write(TIB - 4096, data, 0, data.length);
            assertEquals(disk.fileSizeBytes(), host.volume("C").usedBytes());
            assertEquals(Vhdx.emptyFileSize(TIB, Vhdx.DEFAULT_BLOCK_SIZE, false) + Vhdx.DEFAULT_BLOCK_SIZE,
                    disk.fileSizeBytes(), "one 32 MiB block allocated");
        }
    }

    @Test
    void logsFillingTheVolumeFailWritesInModelFidelityToo() throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 24 * MIB, Fidelity.MODEL)) {
            VirtualMachine vm = Fixtures.replicatingVm(host, 8 * MIB);
            VirtualDisk disk = vm.disks().get(0);
            byte[] data = new byte[(int) MIB];
            VolumeFullException full = null;
            for (int i = 0; i < 64 && full == null; i++) {
                try {
                    disk.write((i % 8) * MIB, data, 0, data.length);
                } catch (VolumeFullException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "64 MiB of logs cannot fit on a 24 MiB volume");
            String before = disk.contentFingerprint();
            assertThrows(VolumeFullException.class, () -> disk.write(0, data, 0, data.length));
            assertEquals(before, disk.contentFingerprint());
            host.replicationService().requestReplicationStateChange(vm, ReplicationState.RESYNCHRONIZATION_REQUIRED);
            assertEquals(0, vm.replicationTracker().pendingLogBytes());
            assertEquals(disk.fileSizeBytes(), host.volume("C").usedBytes(), "the logs' space is free again");
            disk.write(0, data, 0, data.length);
        }
    }

    @Test
    void aReplicaThatMissedALogFailsVerificationAndTheDifferingBlocksAreCounted() throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 256 * MIB, Fidelity.MODEL)) {
            VirtualMachine vm = host.createVm("vm1", "C");
            VirtualDisk disk = vm.addDisk("disk0", 64 * MIB);
            Workload w = new Workload(disk, WorkloadSpec.churn(MIB), new SplittableRandom(5), 5);
            w.advance(10_000_000_000L);
            host.replicationService().createReplicationRelationship(vm);
            host.replicationService().startReplication(vm);
            ExtentMap replica = disk.checkpointView().orElseThrow().contentVersions();
            w.advance(3_000_000_000L);
            SealedLog missed = vm.replicationTracker().switchLog(disk);
            w.advance(3_000_000_000L);
            for (LoggedWrite x : vm.replicationTracker().switchLog(disk).writes()) {
                replica.assign(x.offset(), x.length(), x.version());
            }
            assertNotEquals(disk.contentFingerprint(), replica.fingerprint());
            long differing = disk.contentVersions().countDifferingBlocks(replica, MIB);
            assertTrue(differing > 0 && differing <= missed.recordCount() * 2, differing + " blocks");
            for (LoggedWrite x : missed.writes()) {
                replica.assign(x.offset(), x.length(), x.version());
            }
            assertNotEquals(disk.contentFingerprint(), replica.fingerprint(), "applied out of order");
        }
    }
}
