package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.hyperv.vhdx.Vhdx;
import io.replisim.hyperv.vhdx.VirtualHardDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    private final TestClock clock = new TestClock();
    private HyperVHost host;
    private ReplicationService service;
    private VirtualMachine vm;
    private VirtualDisk disk;

    @BeforeEach
    void vmWithData() throws IOException {
        host = Fixtures.host(clock, 256 * MIB);
        service = host.replicationService();
        vm = host.createVm("vm1", "C");
        disk = vm.addDisk("disk0", 16 * MIB);
        disk.write(0, Fixtures.pattern((int) (2 * MIB), 1), 0, (int) (2 * MIB));
    }

    @AfterEach
    void close() throws IOException {
        host.close();
    }

    @Test
    void writesDuringInitialReplicationGoToTheChildAndTheParentStaysFrozen() throws IOException {
        byte[] atStart = Fixtures.readAll(disk);
        String hashAtStart = disk.sha256();
        service.createReplicationRelationship(vm);
        service.startReplication(vm);

        String checkpoint = vm.checkpointId().orElseThrow().toString().toUpperCase(Locale.ROOT);
        Path child = disk.path().resolveSibling("disk0_" + checkpoint + ".avhdx");
        assertEquals(Optional.of(child), disk.checkpointPath());
        assertEquals(child, disk.activePath());
        assertTrue(Files.exists(child));

        byte[] update = Fixtures.pattern(65536, 2);
        disk.write(MIB - 4096, update, 0, update.length);
        disk.write(10 * MIB, update, 0, update.length);

        DiskView frozen = disk.checkpointView().orElseThrow();
        assertEquals(hashAtStart, frozen.sha256());
        assertArrayEquals(atStart, Fixtures.readAll(frozen));
        assertNotEquals(hashAtStart, disk.sha256());
        byte[] readBack = new byte[update.length];
        disk.read(10 * MIB, readBack, 0, readBack.length);
        assertArrayEquals(update, readBack);
        try (VirtualHardDisk childFile = Vhdx.openReadOnly(child)) {
            assertEquals(Optional.of(disk.path()), childFile.parentPath());
        }
    }

    @Test
    void completingInitialReplicationMergesTheCheckpointAway() throws IOException {
        service.createReplicationRelationship(vm);
        service.startReplication(vm);
        DiskView frozen = disk.checkpointView().orElseThrow();
        Path child = disk.checkpointPath().orElseThrow();
        byte[] update = Fixtures.pattern(65536, 3);
        disk.write(5 * MIB, update, 0, update.length);
        String expected = disk.sha256();

        service.completeInitialReplication(vm);

        assertEquals(ReplicationState.REPLICATING, vm.replicationState());
        assertFalse(Files.exists(child));
        assertEquals(Optional.empty(), disk.checkpointView());
        assertEquals(Optional.empty(), vm.checkpointId());
        assertEquals(disk.path(), disk.activePath());
        assertEquals(expected, disk.sha256());
        assertThrows(IllegalStateException.class, frozen::sha256);
        byte[] inFile = new byte[update.length];
        try (VirtualHardDisk vhdx = Vhdx.openReadOnly(disk.path())) {
            vhdx.read(5 * MIB, inFile, 0, inFile.length);
        }
        assertArrayEquals(update, inFile);
        // Later writes go to the merged .vhdx and are still logged.
        disk.write(0, update, 0, 4096);
        assertEquals(48 + (16 + update.length + 4) + (16 + 4096 + 4), vm.replicationTracker().pendingLogBytes());
    }

    @Test
    void resynchronizationTakesAFreshCheckpointWithFreshLogs() throws IOException {
        service.createReplicationRelationship(vm);
        service.startReplication(vm);
        disk.write(0, Fixtures.pattern(4096, 4), 0, 4096);
        SealedLog stale = vm.replicationTracker().switchLog(disk);
        service.completeInitialReplication(vm);
        service.requestReplicationStateChange(vm, ReplicationState.RESYNCHRONIZATION_REQUIRED);
        assertEquals(ReplicationHealth.CRITICAL, vm.replicationHealth());
        assertFalse(Files.exists(stale.path()));
        assertFalse(vm.replicationTracker().acknowledge(stale));

        String before = disk.sha256();
        service.resynchronize(vm);
        disk.write(MIB, Fixtures.pattern(4096, 5), 0, 4096);
        assertEquals(before, disk.checkpointView().orElseThrow().sha256());
        SealedLog log = vm.replicationTracker().switchLog(disk);
        assertTrue(log.sequence() > stale.sequence(), "sequence numbers are never reused");
        assertEquals(1, log.recordCount());
        service.completeResynchronization(vm);
        assertEquals(ReplicationState.REPLICATING, vm.replicationState());
        assertEquals(Optional.empty(), disk.checkpointPath());
    }
}
