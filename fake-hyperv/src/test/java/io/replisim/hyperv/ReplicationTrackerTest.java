package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicationTrackerTest {

    private final TestClock clock = new TestClock();
    private HyperVHost host;
    private VirtualMachine vm;
    private VirtualDisk disk;
    private ReplicationTracker tracker;

    @BeforeEach
    void replicatingVm() throws IOException {
        host = Fixtures.host(clock, 256 * MIB);
        vm = host.createVm("vm1", "C");
        disk = vm.addDisk("disk0", 16 * MIB);
        ReplicationService service = host.replicationService();
        service.createReplicationRelationship(vm);
        service.startReplication(vm);
        service.completeInitialReplication(vm);
        tracker = vm.replicationTracker();
    }

    @AfterEach
    void close() throws IOException {
        host.close();
    }

    @Test
    void writesAreLoggedToTheDisksActiveLogInItsFolder() throws IOException {
        assertEquals(disk.path().resolveSibling("disk0-000001.hrl"), tracker.activeLogPath(disk).orElseThrow());
        disk.write(4096, Fixtures.pattern(8192, 1), 0, 8192);
        assertEquals(48 + 16 + 8192 + 4, tracker.pendingLogBytes());
        assertEquals(tracker.pendingLogBytes(), Files.size(tracker.activeLogPath(disk).orElseThrow()));
    }

    @Test
    void switchingWhileASealedLogIsStillPendingKeepsBothUntilAcknowledged() throws IOException {
        disk.write(0, Fixtures.pattern(4096, 1), 0, 4096);
        SealedLog first = tracker.switchLog(disk);
        disk.write(8192, Fixtures.pattern(65536, 2), 0, 65536);
        SealedLog second = tracker.switchLog(disk);
        disk.write(0, Fixtures.pattern(512, 3), 0, 512);

        assertEquals(1, first.sequence());
        assertEquals(2, second.sequence());
        assertEquals(disk.path().resolveSibling("disk0-000002.hrl"), second.path());
        assertEquals(second.path().getFileName().toString(), second.fileName());
        assertTrue(Files.exists(first.path()) && Files.exists(second.path()));
        assertEquals(List.of(first, second), tracker.pendingLogs());
        Path active = tracker.activeLogPath(disk).orElseThrow();
        assertEquals("disk0-000003.hrl", active.getFileName().toString());
        assertEquals(first.sizeBytes() + second.sizeBytes() + Files.size(active), tracker.pendingLogBytes());

        assertTrue(tracker.acknowledge(first));
        assertFalse(Files.exists(first.path()));
        assertTrue(Files.exists(second.path()));
        assertEquals(second.sizeBytes() + Files.size(active), tracker.pendingLogBytes());
        assertFalse(tracker.acknowledge(first), "a second acknowledgement is a no-op");
        assertTrue(tracker.acknowledge(second));
        assertEquals(List.of(), tracker.pendingLogs());
    }

    @Test
    void pendingBytesEqualTheSumOfTheLogFileSizes() throws IOException {
        for (int i = 0; i < 20; i++) {
            disk.write((i * 12288L) % disk.sizeBytes(), Fixtures.pattern(12288, i), 0, 12288);
            if (i % 6 == 5) {
                tracker.switchLog(disk);
            }
            assertEquals(sumOfLogFiles(), tracker.pendingLogBytes());
        }
        tracker.acknowledge(tracker.pendingLogs().get(1));
        assertEquals(sumOfLogFiles(), tracker.pendingLogBytes());
    }

    @Test
    void aSealedLogReadsBackWithItsRecordsHeaderAndTimes() throws IOException {
        byte[] a = Fixtures.pattern(4096, 1);
        byte[] b = Fixtures.pattern(1024, 2);
        disk.write(0, a, 0, a.length);
        clock.advance(Duration.ofSeconds(30));
        disk.write(MIB, b, 0, b.length);
        clock.advance(Duration.ofMinutes(5));
        SealedLog sealed = tracker.switchLog(disk);

        HrlReader log = HrlReader.read(sealed.path());
        assertEquals(disk.id(), log.diskId());
        assertEquals(1, log.sequence());
        assertEquals(TestClock.START, log.created());
        assertEquals(TestClock.START.plus(Duration.ofSeconds(330)), log.sealed());
        assertEquals(2, log.records().size());
        assertEquals(2, sealed.recordCount());
        assertEquals(Files.size(sealed.path()), sealed.sizeBytes());
        assertEquals(0, log.records().get(0).offset());
        assertArrayEquals(a, log.records().get(0).payload());
        assertEquals(MIB, log.records().get(1).offset());
        assertArrayEquals(b, log.records().get(1).payload());
        assertEquals(TestClock.START.plus(Duration.ofSeconds(330)),
                HrlReader.read(tracker.switchLog(disk).path()).created());
    }

    @Test
    void logsThatFillTheVolumeFailTheWriteWithoutChangingTheDisk() throws IOException {
        try (HyperVHost small = Fixtures.host(clock, 24 * MIB)) {
            VirtualMachine v = small.createVm("vm1", "C");
            VirtualDisk d = v.addDisk("disk0", 8 * MIB);
            byte[] block = Fixtures.pattern((int) MIB, 9);
            for (long at = 0; at < d.sizeBytes(); at += MIB) {
                d.write(at, block, 0, block.length); // allocate every VHDX block before logging
            }
            small.replicationService().createReplicationRelationship(v);
            small.replicationService().startReplication(v);
            small.replicationService().completeInitialReplication(v);
            byte[] data = Fixtures.pattern((int) MIB, 10);
            VolumeFullException full = null;
            for (int i = 0; i < 64 && full == null; i++) {
                try {
                    d.write((i % 8) * MIB, data, 0, data.length);
                } catch (VolumeFullException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "64 MiB of logs cannot fit on a 24 MiB volume");
            byte[] before = Fixtures.readAll(d);
            long free = small.volume("C").freeBytes();
            assertThrows(VolumeFullException.class, () -> d.write(0, data, 0, data.length));
            assertEquals(free, small.volume("C").freeBytes(), "the failed append was cut off the log");
            assertArrayEquals(before, Fixtures.readAll(d));
            // The active log still ends on a record boundary: every record reads back intact.
            ReplicationTracker t = v.replicationTracker();
            byte[] active = Files.readAllBytes(t.activeLogPath(d).orElseThrow());
            CorruptLogException unsealed = assertThrows(CorruptLogException.class, () -> HrlReader.read(active));
            assertTrue(unsealed.getMessage().contains("no close marker"), unsealed.getMessage());
            // Requiring resynchronization discards the logs, which frees the volume.
            small.replicationService().requestReplicationStateChange(v, ReplicationState.RESYNCHRONIZATION_REQUIRED);
            assertEquals(0, t.pendingLogBytes());
            assertEquals(List.of(), Fixtures.hrlFiles(d.path().getParent()));
            d.write(0, data, 0, data.length);
        }
    }

    @Test
    void switchingRequiresTrackingAndTheVmsOwnDisk() throws IOException {
        VirtualMachine other = host.createVm("vm2", "C");
        VirtualDisk foreign = other.addDisk("disk0", 8 * MIB);
        assertThrows(IllegalArgumentException.class, () -> tracker.switchLog(foreign));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> other.replicationTracker().switchLog(foreign));
        assertTrue(e.getMessage().contains("not tracking"), e.getMessage());
    }

    @Test
    void aSwitchOpensTheNextLogInTheSameFolderAtOnce() throws IOException {
        disk.write(0, Fixtures.pattern(4096, 1), 0, 4096);
        clock.advance(Duration.ofMinutes(5));
        SealedLog sealed = tracker.switchLog(disk);
        clock.advance(Duration.ofMinutes(1));

        // Before any new write: the next log exists, so a write in transit cannot be lost.
        Path next = tracker.activeLogPath(disk).orElseThrow();
        assertEquals(disk.path().resolveSibling("disk0-000002.hrl"), next);
        assertEquals(48, Files.size(next));
        assertEquals(sealed.sizeBytes() + 48, tracker.pendingLogBytes());
        disk.write(0, Fixtures.pattern(512, 2), 0, 512);
        assertEquals(TestClock.START.plus(Duration.ofMinutes(5)), HrlReader.read(tracker.switchLog(disk).path()).created(),
                "created at the switch, not at the first write after it");
    }

    @Test
    void aFailedAppendHandsItsLogOverUnsealedAndLogsOnInTheNext() throws IOException {
        disk.write(0, Fixtures.pattern(4096, 1), 0, 4096);
        host.inject(HostFault.logWriteFailure("vm1"));
        disk.write(8192, Fixtures.pattern(4096, 2), 0, 4096);

        assertEquals(Optional.of(HostFaultKind.LOG_WRITE_FAILURE), tracker.resynchronizationRequired());
        SealedLog torn = tracker.pendingLogs().get(0);
        assertFalse(torn.sealedCleanly());
        assertEquals(1, torn.recordCount(), "the failed write has no record, only a torn head");
        assertEquals(48 + 16 + 4096 + 4 + 16, torn.sizeBytes());
        Path next = tracker.activeLogPath(disk).orElseThrow();
        assertEquals("disk0-000002.hrl", next.getFileName().toString(), "the next log is opened at the failure");
        disk.write(0, Fixtures.pattern(512, 3), 0, 512);
        assertEquals(1, tracker.switchLog(disk).recordCount(), "only one write failed");
    }

    @Test
    void aFlowBatchHitByALogWriteFailureLogsAllButItsFirstWrite() throws IOException {
        try (HyperVHost flow = Fixtures.host(clock, 64 * MIB, Fidelity.FLOW)) {
            VirtualMachine v = Fixtures.replicatingVm(flow, 8 * MIB);
            VirtualDisk d = v.disks().get(0);
            flow.inject(HostFault.logWriteFailure("vm1"));
            d.writeBatch(4, 40_000);

            SealedLog next = v.replicationTracker().switchLog(d);
            assertEquals(3, next.recordCount());
            assertEquals(30_000, next.payloadBytes(), "the three logged writes keep their share of the bytes");
            assertEquals(4, d.generation());
        }
    }

    @Test
    void aGuestWriteThatFailsOnTheDiskIsCutOffTheLog() throws IOException {
        try (HyperVHost model = Fixtures.host(clock, 256 * MIB, Fidelity.MODEL)) {
            VirtualMachine v = Fixtures.replicatingVm(model, 64 * MIB);
            VirtualDisk d = v.disks().get(0);
            d.write(0, Fixtures.pattern(4096, 1), 0, 4096);
            Volume volume = model.volume("C");
            // Room for a log record's cluster, not for the disk's next VHDX block.
            holdAllBut(model, 8192);
            long free = volume.freeBytes();
            long pending = v.replicationTracker().pendingLogBytes();

            assertThrows(VolumeFullException.class, () -> d.write(32 * MIB, Fixtures.pattern(4096, 2), 0, 4096));
            assertEquals(pending, v.replicationTracker().pendingLogBytes());
            assertEquals(free, volume.freeBytes(), "the record's cluster is free again");
            assertEquals(1, v.replicationTracker().switchLog(d).recordCount(), "only the write that happened");
        }
    }

    @Test
    void startingIsAllOrNoneAcrossTheDisks() throws IOException {
        try (HyperVHost small = Fixtures.host(clock, 256 * MIB)) {
            Volume volume = small.volume("C");
            // What starting a two-disk VM takes (checkpoints, then a log per disk), measured on a twin.
            VirtualMachine twin = twoDiskVm(small, "twin");
            long before = volume.freeBytes();
            small.replicationService().startReplication(twin);
            long needed = before - volume.freeBytes();

            VirtualMachine v = twoDiskVm(small, "vm1");
            holdAllBut(small, needed - 4096); // the second disk's log header does not fit
            long free = volume.freeBytes();
            assertThrows(VolumeFullException.class, () -> small.replicationService().startReplication(v));
            assertFalse(v.replicationTracker().isTracking());
            assertEquals(List.of(), Fixtures.hrlFiles(v.disks().get(0).path().getParent()), "the first disk's log was removed");
            assertEquals(free, volume.freeBytes());
        }
    }

    private static VirtualMachine twoDiskVm(HyperVHost h, String name) throws IOException {
        VirtualMachine v = h.createVm(name, "C");
        v.addDisk("disk0", 8 * MIB);
        v.addDisk("disk1", 8 * MIB);
        h.replicationService().createReplicationRelationship(v);
        return v;
    }

    @Test
    void onlyTheVmsOwnLogsAndDisksAreAccepted() throws IOException {
        assertEquals(vm, tracker.vm());
        VirtualMachine other = host.createVm("vm2", "C");
        VirtualDisk foreign = other.addDisk("disk0", 8 * MIB);
        assertThrows(IllegalArgumentException.class, () -> tracker.activeLogPath(foreign));
        try (HyperVHost second = Fixtures.host(clock, 256 * MIB)) {
            // Same VM name, another host, a disk this VM does not have: not this tracker's log.
            VirtualMachine namesake = second.createVm("vm1", "C");
            VirtualDisk theirDisk = namesake.addDisk("data", 8 * MIB);
            second.replicationService().createReplicationRelationship(namesake);
            second.replicationService().startReplication(namesake);
            SealedLog theirs = namesake.replicationTracker().switchLog(theirDisk);
            assertThrows(IllegalArgumentException.class, () -> tracker.acknowledge(theirs));
            assertEquals(List.of(theirs), namesake.replicationTracker().pendingLogs());
        }
    }

    /** Holds the volume's free space but {@code leaveFree} bytes, as a low-disk-space fault does. */
    private static void holdAllBut(HyperVHost h, long leaveFree) throws IOException {
        h.inject(HostFault.lowDiskSpace("C", leaveFree));
    }

    private long sumOfLogFiles() throws IOException {
        long sum = 0;
        for (Path p : Fixtures.hrlFiles(disk.path().getParent())) {
            sum += Files.size(p);
        }
        return sum;
    }
}
