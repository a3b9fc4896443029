package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.hyperv.vhdx.BrokenChainException;
import io.replisim.hyperv.vhdx.Vhdx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every fault kind, in both fidelities: its effect, its signal, and what clearing it does. */
class HostFaultTest {

    private final TestClock clock = new TestClock();

    @Test
    void kindsHaveStableScenarioNamesAndClassifyFailures() {
        assertEquals(List.of("low-disk-space", "low-memory", "vm-not-found", "broken-vhd-chain", "log-write-failure",
                "log-not-closed-cleanly", "vhd-changed-offline", "vm-reverted"),
                Arrays.stream(HostFaultKind.values()).map(HostFaultKind::scenarioName).toList());
        for (HostFaultKind k : HostFaultKind.values()) {
            assertEquals(k, HostFaultKind.fromScenarioName(k.scenarioName()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostFaultKind.fromScenarioName("disk-on-fire"));
        assertTrue(e.getMessage().contains("low-disk-space, low-memory"), e.getMessage());
        assertEquals(Optional.of(HostFaultKind.BROKEN_VHD_CHAIN),
                HostFaultKind.causeOf(new UncheckedIOException(new BrokenChainException("x"))));
        assertEquals(Optional.of(HostFaultKind.VM_NOT_FOUND), HostFaultKind.causeOf(new VmNotFoundException("a", "b")));
        assertEquals(Optional.empty(), HostFaultKind.causeOf(new IOException("other")));
        assertEquals(HostFault.vmNotFound("VM1"), HostFault.vmNotFound("vm1"), "names are case-insensitive");
        assertEquals("low-disk-space volume=C bytes=4096", HostFault.lowDiskSpace("C", 4096).toString());
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void lowDiskSpaceFailsLogWritesUntilCleared(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = Fixtures.replicatingVm(host, 8 * MIB);
            VirtualDisk disk = vm.disks().get(0);
            write(disk, 0, 65536);
            Volume volume = host.volume("C");
            long used = volume.usedBytes();
            HostFault fault = HostFault.lowDiskSpace("C", 0);
            host.inject(fault);
            assertEquals(0, volume.freeBytes());
            assertEquals(volume.capacityBytes() - used, volume.reservedBytes());
            assertEquals(List.of(fault), host.activeFaults());
            String before = disk.contentFingerprint();
            long pending = vm.replicationTracker().pendingLogBytes();
            VolumeFullException full = assertThrows(VolumeFullException.class, () -> write(disk, 0, 4096));
            assertEquals("C", full.volumeName());
            assertEquals(before, disk.contentFingerprint(), "the failed write changed nothing");
            assertEquals(pending, vm.replicationTracker().pendingLogBytes());
            assertTrue(host.clear(fault));
            assertFalse(host.clear(fault), "cleared once");
            assertEquals(used, volume.usedBytes());
            write(disk, 0, 4096);
        }
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void lowMemoryFailsReplicationWorkWithATypedErrorUntilCleared(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = host.createVm("vm1", "C");
            VirtualDisk disk = vm.addDisk("disk0", 8 * MIB);
            ReplicationService service = host.replicationService();
            service.createReplicationRelationship(vm);
            host.inject(HostFault.lowMemory());
            HostResourceException e = assertThrows(HostResourceException.class, () -> service.startReplication(vm));
            assertEquals(HostFaultKind.LOW_MEMORY, e.kind());
            assertEquals(ReplicationState.READY_FOR_REPLICATION, vm.replicationState());
            host.clear(HostFault.lowMemory());
            service.startReplication(vm);
            write(disk, 0, 4096);
            host.inject(HostFault.lowMemory());
            assertThrows(HostResourceException.class, () -> vm.replicationTracker().switchLog(disk));
            assertThrows(HostResourceException.class, () -> service.completeInitialReplication(vm));
            write(disk, 4096, 4096); // the guest runs on and its writes are still logged
            service.requestReplicationStateChange(vm, ReplicationState.PAUSED); // state changes still work
            assertEquals(48 + 2 * (20 + 4096), vm.replicationTracker().pendingLogBytes());
            assertTrue(host.clear(HostFault.lowMemory()));
            assertEquals(2, vm.replicationTracker().switchLog(disk).recordCount());
        }
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void aVmNotFoundVanishesFromTheHostUntilCleared(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = Fixtures.replicatingVm(host, 8 * MIB);
            VirtualDisk disk = vm.disks().get(0);
            Workload workload = new Workload(disk, WorkloadSpec.churn(MIB), new SplittableRandom(1), 1);
            HostFault fault = HostFault.vmNotFound("vm1");
            host.inject(fault);
            assertEquals(Optional.empty(), host.vm("vm1"));
            assertEquals(List.of(), host.vms());
            assertFalse(vm.isRegistered());
            VmNotFoundException e = assertThrows(VmNotFoundException.class,
                    () -> host.replicationService().requestReplicationStateChange(vm, ReplicationState.PAUSED));
            assertEquals("vm1", e.vmName());
            assertTrue(e.getMessage().startsWith("Hyper-V was unable to find a virtual machine with name \"vm1\""),
                    e.getMessage());
            assertThrows(VmNotFoundException.class, () -> vm.replicationTracker().switchLog(disk));
            assertThrows(VmNotFoundException.class, () -> write(disk, 0, 4096));
            assertEquals(0, workload.advance(5_000_000_000L), "an unregistered VM does not run");
            assertTrue(host.clear(fault));
            assertEquals(Optional.of(vm), host.vm("vm1"));
            assertEquals(MIB, workload.advance(1_000_000_000L));
            assertEquals(16, vm.replicationTracker().switchLog(disk).recordCount());
        }
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void aBrokenVhdChainFailsTheCheckpointMergeUntilTheParentIsBack(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = host.createVm("vm1", "C");
            VirtualDisk disk = vm.addDisk("disk0", 8 * MIB);
            ReplicationService service = host.replicationService();
            service.createReplicationRelationship(vm);
            service.startReplication(vm);
            write(disk, 0, 65536);
            String content = disk.contentFingerprint();
            HostFault fault = HostFault.brokenVhdChain("vm1");
            host.inject(fault);
            if (fidelity == Fidelity.BYTES) {
                assertThrows(BrokenChainException.class, () -> Vhdx.openReadOnly(disk.checkpointPath().orElseThrow()));
            }
            assertThrows(BrokenChainException.class, () -> service.completeInitialReplication(vm));
            assertEquals(ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION, vm.replicationState());
            assertThrows(BrokenChainException.class, () -> service.removeReplicationRelationship(vm));
            write(disk, 65536, 4096); // the running VM keeps its open files
            assertTrue(host.clear(fault));
            service.completeInitialReplication(vm);
            assertEquals(ReplicationState.REPLICATING, vm.replicationState());
            assertNotEquals(content, disk.contentFingerprint());
            byte[] back = new byte[4096];
            disk.read(65536, back, 0, back.length);
            assertArrayEquals(Fixtures.blockContent(disk, 65536, 4096, 2), back, "nothing was lost");
        }
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void aChainBreakInjectedWithoutCheckpointBreaksTheNextOne(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = host.createVm("vm1", "C");
            vm.addDisk("disk0", 8 * MIB);
            host.inject(HostFault.brokenVhdChain("vm1", "disk0"));
            ReplicationService service = host.replicationService();
            service.createReplicationRelationship(vm);
            service.startReplication(vm);
            assertThrows(BrokenChainException.class, () -> service.completeInitialReplication(vm));
        }
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void aLogWriteFailureLeavesACorruptLogAndRequiresResynchronization(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = Fixtures.replicatingVm(host, 8 * MIB);
            VirtualDisk disk = vm.disks().get(0);
            ReplicationTracker tracker = vm.replicationTracker();
            write(disk, 0, 4096);
            host.inject(HostFault.logWriteFailure("vm1"));
            assertEquals(Optional.empty(), tracker.resynchronizationRequired(), "armed, not yet failed");
            write(disk, 8192, 8192); // the guest's write succeeds; its record does not
            assertEquals(Optional.of(HostFaultKind.LOG_WRITE_FAILURE), tracker.resynchronizationRequired());
            SealedLog broken = tracker.pendingLogs().get(0);
            assertFalse(broken.sealedCleanly());
            assertEquals(1, broken.recordCount());
            assertEquals(48 + (20 + 4096) + 16, broken.sizeBytes(), "a torn record head, no close marker");
            assertThrows(CorruptLogException.class, broken::checkSealed);
            if (fidelity == Fidelity.BYTES) {
                CorruptLogException e = assertThrows(CorruptLogException.class, () -> HrlReader.read(broken.path()));
                assertTrue(e.getMessage().contains("truncated write record 2"), e.getMessage());
            }
            assertEquals(2, disk.contentVersionAt(8192), "the disk took the write");
            write(disk, 0, 4096);
            SealedLog next = tracker.switchLog(disk);
            assertTrue(next.sealedCleanly());
            assertEquals(2, next.sequence());
            assertEquals(1, next.recordCount(), "logging goes on in the next log");
            host.replicationService().requestReplicationStateChange(vm, ReplicationState.RESYNCHRONIZATION_REQUIRED);
            host.replicationService().resynchronize(vm);
            assertEquals(Optional.empty(), tracker.resynchronizationRequired(), "a resynchronization starts afresh");
        }
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void aLogWriteFailureClearedBeforeItHappensDoesNothing(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = Fixtures.replicatingVm(host, 8 * MIB);
            HostFault fault = HostFault.logWriteFailure("vm1");
            host.inject(fault);
            assertTrue(host.clear(fault));
            write(vm.disks().get(0), 0, 4096);
            assertEquals(Optional.empty(), vm.replicationTracker().resynchronizationRequired());
            assertTrue(vm.replicationTracker().switchLog(vm.disks().get(0)).sealedCleanly());
        }
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void logsNotClosedCleanlyAreHandedOverWithoutCloseMarker(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = Fixtures.replicatingVm(host, 8 * MIB, 8 * MIB);
            ReplicationTracker tracker = vm.replicationTracker();
            write(vm.disks().get(0), 0, 4096);
            HostFault fault = HostFault.logNotClosedCleanly("vm1");
            host.inject(fault);
            assertEquals(Optional.of(HostFaultKind.LOG_NOT_CLOSED_CLEANLY), tracker.resynchronizationRequired());
            List<SealedLog> logs = tracker.pendingLogs();
            assertEquals(2, logs.size(), "every disk's active log");
            assertEquals(48 + 20 + 4096, logs.get(0).sizeBytes());
            assertEquals(48, logs.get(1).sizeBytes());
            for (SealedLog log : logs) {
                assertFalse(log.sealedCleanly());
                CorruptLogException e = assertThrows(CorruptLogException.class, log::checkSealed);
                assertTrue(e.getMessage().contains("not sealed cleanly"), e.getMessage());
                if (fidelity == Fidelity.BYTES) {
                    e = assertThrows(CorruptLogException.class, () -> HrlReader.read(log.path()));
                    assertTrue(e.getMessage().contains("not sealed cleanly"), e.getMessage());
                }
            }
            assertEquals("disk0-000002.hrl",
                    tracker.activeLogPath(vm.disks().get(0)).orElseThrow().getFileName().toString());
            assertFalse(host.clear(fault), "an event cannot be cleared");
        }
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void aVhdChangedOfflineChangesItsTrackingIdBehindTheTrackersBack(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = Fixtures.replicatingVm(host, 8 * MIB);
            VirtualDisk disk = vm.disks().get(0);
            ReplicationTracker tracker = vm.replicationTracker();
            String rct = disk.changeTrackingId();
            String content = disk.contentFingerprint();
            long pending = tracker.pendingLogBytes();
            long generationBefore = disk.generation();
            host.inject(HostFault.vhdChangedOffline("vm1", "disk0", 100_000));
            assertNotEquals(rct, disk.changeTrackingId());
            assertNotEquals(content, disk.contentFingerprint());
            if (fidelity == Fidelity.FLOW) { // writes are counted, not placed
                assertEquals(2, disk.generation() - generationBefore, "100 000 bytes: two 64 KiB writes");
            } else {
                assertEquals(2 * 65536, disk.contentVersions().writtenBytes(), "100 000 bytes: two 64 KiB writes");
            }
            assertEquals(pending, tracker.pendingLogBytes(), "the tracker saw nothing");
            assertEquals(Optional.of(HostFaultKind.VHD_CHANGED_OFFLINE), tracker.resynchronizationRequired());
            assertFalse(host.clear(HostFault.vhdChangedOffline("vm1", "disk0", 100_000)));
        }
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void offlineChangesBeforeReplicationStartsRequireNothing(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = host.createVm("vm1", "C");
            VirtualDisk disk = vm.addDisk("disk0", 8 * MIB);
            host.inject(HostFault.vhdChangedOffline("vm1"));
            Workload w = new Workload(disk, WorkloadSpec.churn(MIB), new SplittableRandom(3), 3);
            assertEquals(65536, w.writeOffline(1));
            assertEquals(Optional.empty(), vm.replicationTracker().resynchronizationRequired());
            assertNotEquals("rct:" + disk.id() + ":0", disk.changeTrackingId());
            assertTrue(disk.contentVersions().writtenBytes() > HostFault.DEFAULT_OFFLINE_CHANGE_BYTES / 2);
        }
    }

    @ParameterizedTest
    @EnumSource(Fidelity.class)
    void aRevertedVmGoesBackToItsCheckpointAndRequiresResynchronization(Fidelity fidelity) throws IOException {
        try (HyperVHost host = Fixtures.host(clock, 64 * MIB, fidelity)) {
            VirtualMachine vm = Fixtures.replicatingVm(host, 8 * MIB);
            VirtualDisk disk = vm.disks().get(0);
            write(disk, 0, 65536);
            vm.createStandardCheckpoint("before-patch");
            String atCheckpoint = disk.contentFingerprint();
            String bytesAtCheckpoint = disk.sha256();
            write(disk, 4096, 8192);
            write(disk, 2 * MIB, 65536);
            long pending = vm.replicationTracker().pendingLogBytes();
            host.inject(HostFault.vmReverted("vm1"));
            assertEquals(atCheckpoint, disk.contentFingerprint());
            assertEquals(bytesAtCheckpoint, disk.sha256());
            assertEquals(pending, vm.replicationTracker().pendingLogBytes(), "a revert is not logged");
            assertEquals(Optional.of(HostFaultKind.VM_REVERTED), vm.replicationTracker().resynchronizationRequired());
            assertEquals(List.of("before-patch"), vm.standardCheckpoints());
            vm.removeStandardCheckpoint("before-patch");
            host.inject(HostFault.vmReverted("vm1"));
            assertEquals(new ExtentMap(disk.sizeBytes()), disk.contentVersions(), "without checkpoint: empty disks");
            assertEquals(new byte[(int) disk.sizeBytes()].length, Fixtures.readAll(disk).length);
            assertArrayEquals(new byte[65536], Arrays.copyOf(Fixtures.readAll(disk), 65536));
        }
    }

    private static void write(VirtualDisk disk, long offset, int length) throws IOException {
        byte[] data = Fixtures.blockContent(disk, offset, length, disk.nextVersion());
        disk.write(offset, data, 0, data.length);
    }
}
