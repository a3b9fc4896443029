package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static io.replisim.hyperv.ReplicationState.ERROR;
import static io.replisim.hyperv.ReplicationState.FAILOVER_COMPLETE;
import static io.replisim.hyperv.ReplicationState.NOT_ENABLED;
import static io.replisim.hyperv.ReplicationState.PAUSED;
import static io.replisim.hyperv.ReplicationState.PREPARED_FOR_PLANNED_FAILOVER;
import static io.replisim.hyperv.ReplicationState.READY_FOR_REPLICATION;
import static io.replisim.hyperv.ReplicationState.REPLICATING;
import static io.replisim.hyperv.ReplicationState.RESYNCHRONIZATION_REQUIRED;
import static io.replisim.hyperv.ReplicationState.RESYNCHRONIZATION_SUSPENDED;
import static io.replisim.hyperv.ReplicationState.RESYNCHRONIZING;
import static io.replisim.hyperv.ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ReplicationServiceTest {

    private final TestClock clock = new TestClock();
    private HyperVHost host;
    private ReplicationService service;
    private VirtualMachine vm;

    @BeforeEach
    void vm() throws IOException {
        host = Fixtures.host(clock, 128 * MIB);
        service = host.replicationService();
        vm = host.createVm("vm1", "C");
        vm.addDisk("disk0", 8 * MIB);
    }

    @AfterEach
    void close() throws IOException {
        host.close();
    }

    @Test
    void stateNamesAreHyperVs() {
        assertEquals("Not enabled", NOT_ENABLED.displayName());
        assertEquals("Waiting to complete initial replication",
                WAITING_TO_COMPLETE_INITIAL_REPLICATION.toString());
        assertEquals("Resynchronization suspended", RESYNCHRONIZATION_SUSPENDED.toString());
        assertEquals("Critical", ReplicationHealth.CRITICAL.toString());
    }

    @Test
    void startingReplicationBeforeCreatingTheRelationshipIsRejected() {
        IllegalStateException e = rejected(() -> service.startReplication(vm));
        assertTrue(e.getMessage().contains("call createReplicationRelationship first"), e.getMessage());
        assertTrue(e.getMessage().contains("'Not enabled'"), e.getMessage());
        assertEquals(NOT_ENABLED, vm.replicationState());
        assertFalse(vm.replicationTracker().isTracking());
    }

    @Test
    void illegalCallsAreRejectedWithoutChangingAnything() throws IOException {
        rejected(() -> service.completeInitialReplication(vm));
        rejected(() -> service.resynchronize(vm));
        rejected(() -> service.removeReplicationRelationship(vm));
        rejected(() -> service.requestReplicationStateChange(vm, PAUSED));
        service.createReplicationRelationship(vm);
        rejected(() -> service.createReplicationRelationship(vm));
        rejected(() -> service.requestReplicationStateChange(vm, REPLICATING));
        service.startReplication(vm);
        rejected(() -> service.startReplication(vm));
        rejected(() -> service.completeResynchronization(vm));
        rejected(() -> service.requestReplicationStateChange(vm, NOT_ENABLED));
        rejected(() -> service.requestReplicationStateChange(vm, PREPARED_FOR_PLANNED_FAILOVER));
        rejected(() -> vm.addDisk("disk1", 8 * MIB));
        assertEquals(WAITING_TO_COMPLETE_INITIAL_REPLICATION, vm.replicationState());
        assertEquals(ReplicationHealth.WARNING, vm.replicationHealth());
        assertTrue(vm.replicationTracker().isTracking());
    }

    @Test
    void aVmWithoutDisksCannotBeReplicated() throws IOException {
        VirtualMachine empty = host.createVm("empty", "C");
        IllegalStateException e = rejected(() -> service.createReplicationRelationship(empty));
        assertTrue(e.getMessage().contains("no virtual hard disk"), e.getMessage());
    }

    @Test
    void aVmOfAnotherHostIsRejected() throws IOException {
        try (HyperVHost other = Fixtures.host(clock, 64 * MIB)) {
            assertThrows(IllegalArgumentException.class,
                    () -> other.replicationService().createReplicationRelationship(vm));
        }
    }

    @Test
    void pausedAndFailedVmsResumeToTheStateTheyLeft() throws IOException {
        service.createReplicationRelationship(vm);
        service.startReplication(vm);
        service.requestReplicationStateChange(vm, PAUSED);
        IllegalStateException e = rejected(() -> service.requestReplicationStateChange(vm, REPLICATING));
        assertTrue(e.getMessage().contains("resumes to 'Waiting to complete initial replication'"), e.getMessage());
        service.requestReplicationStateChange(vm, ERROR);
        assertEquals(ReplicationHealth.CRITICAL, vm.replicationHealth());
        service.requestReplicationStateChange(vm, WAITING_TO_COMPLETE_INITIAL_REPLICATION);
        service.completeInitialReplication(vm);
        service.requestReplicationStateChange(vm, PAUSED);
        assertTrue(vm.replicationTracker().isTracking(), "a paused VM still logs its writes");
        service.requestReplicationStateChange(vm, REPLICATING);
        assertEquals(ReplicationHealth.NORMAL, vm.replicationHealth());
    }

    @Test
    void theLifecycleWalksHyperVsStates() throws IOException {
        assertEquals(NOT_ENABLED, vm.replicationState());
        service.createReplicationRelationship(vm);
        assertEquals(READY_FOR_REPLICATION, vm.replicationState());
        service.startReplication(vm);
        service.completeInitialReplication(vm);
        assertEquals(REPLICATING, vm.replicationState());
        service.requestReplicationStateChange(vm, RESYNCHRONIZATION_REQUIRED);
        assertFalse(vm.replicationTracker().isTracking());
        service.resynchronize(vm);
        service.requestReplicationStateChange(vm, RESYNCHRONIZATION_SUSPENDED);
        service.requestReplicationStateChange(vm, RESYNCHRONIZING);
        assertEquals(RESYNCHRONIZING, vm.replicationState());
        service.completeResynchronization(vm);
        service.requestReplicationStateChange(vm, PREPARED_FOR_PLANNED_FAILOVER);
        service.requestReplicationStateChange(vm, FAILOVER_COMPLETE);
        assertFalse(vm.replicationTracker().isTracking());
        service.removeReplicationRelationship(vm);
        assertEquals(NOT_ENABLED, vm.replicationState());
        assertEquals(List.of(), Fixtures.hrlFiles(vm.disks().get(0).path().getParent()));
    }

    @Test
    void anUnplannedFailoverMayCatchTheVmMidResynchronizationButNotBeforeItReplicates() throws IOException {
        service.createReplicationRelationship(vm);
        service.startReplication(vm);
        IllegalStateException early = rejected(() -> service.requestReplicationStateChange(vm, FAILOVER_COMPLETE));
        assertTrue(early.getMessage().contains("must be replicating"), early.getMessage());
        service.completeInitialReplication(vm);
        service.requestReplicationStateChange(vm, RESYNCHRONIZATION_REQUIRED);
        service.resynchronize(vm);
        assertTrue(vm.replicationTracker().isTracking(), "a resync tracks the writes made while it runs");
        service.requestReplicationStateChange(vm, FAILOVER_COMPLETE);
        assertEquals(FAILOVER_COMPLETE, vm.replicationState());
        assertFalse(vm.replicationTracker().isTracking());
    }

    @Test
    void removingTheRelationshipMergesTheCheckpointAndDeletesTheLogs() throws IOException {
        VirtualDisk disk = vm.disks().get(0);
        service.createReplicationRelationship(vm);
        service.startReplication(vm);
        byte[] data = Fixtures.pattern(8192, 7);
        disk.write(0, data, 0, data.length);
        vm.replicationTracker().switchLog(disk);
        String hash = disk.sha256();
        service.removeReplicationRelationship(vm);
        assertEquals(hash, disk.sha256());
        assertEquals(List.of(), Fixtures.hrlFiles(disk.path().getParent()));
        assertEquals(0, vm.replicationTracker().pendingLogBytes());
        disk.write(0, data, 0, data.length);
        assertEquals(0, vm.replicationTracker().pendingLogBytes(), "no logging once disabled");
    }

    private static IllegalStateException rejected(Executable call) {
        return assertThrows(IllegalStateException.class, call);
    }
}
