package io.replisim.azure.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.azure.ManualClock;
import io.replisim.azure.storage.BlobStorageException;
import io.replisim.azure.storage.DiskRecoveryPoint;
import io.replisim.azure.storage.MemoryBlobStorage;
import io.replisim.azure.storage.PageWrite;
import io.replisim.azure.storage.ReplicaDisk;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FailoverVmTest {
    private static final int MIB = 1024 * 1024;
    private final ManualClock clock = ManualClock.at("2026-01-05T07:00:00Z");
    private final RecoveryServicesVault vault = new RecoveryServicesVault("contoso-vault", clock);
    private final MemoryBlobStorage storage = new MemoryBlobStorage(clock);
    private ProtectedItem item;
    private Map<String, ReplicaDisk> replicas;
    private RecoveryPoint point;

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @BeforeEach
    void protectAVmWithOneRecoveryPoint() {
        vault.registerServer("hv01", ServerKind.HYPERV_HOST, vault.generateRegistrationKey());
        HyperVSite site = vault.createHyperVSite("branch-office");
        vault.addHostToSite(site, "hv01");
        vault.associatePolicy(site, ReplicationPolicy.defaults());
        vault.mapNetwork("corp-lan", "vnet-prod");
        item = vault.enableProtection(site, "sql01", List.of("disk0", "disk1"));
        replicas = new TreeMap<>();
        TreeMap<String, String> snapshots = new TreeMap<>();
        for (String disk : item.diskIds()) {
            ReplicaDisk replica = ReplicaDisk.create(storage, "replica", "sql01/" + disk + ".vhd",
                    UUID.nameUUIDFromBytes(disk.getBytes()), MIB, clock.instant());
            replica.applyLog(1, List.of(new PageWrite(4096, filled(512, disk.equals("disk0") ? 1 : 2))));
            replicas.put(disk, replica);
        }
        clock.advance(Duration.ofMinutes(5));
        for (Map.Entry<String, ReplicaDisk> e : replicas.entrySet()) {
            DiskRecoveryPoint p = e.getValue().createRecoveryPoint(true);
            snapshots.put(e.getKey(), p.snapshot());
        }
        point = new RecoveryPoint(clock.instant(), true, snapshots);
        item.addRecoveryPoint(point);
        // replication goes on after the point
        clock.advance(Duration.ofMinutes(5));
        replicas.get("disk0").applyLog(2, List.of(new PageWrite(4096, filled(512, 9))));
    }

    @Test
    void aFailoverVmHasCopiesOfTheRecoveryPointsDisksOnTheMappedNetwork() {
        AzureVm vm = vault.createFailoverVm(item, point, replicas, "corp-lan", false);

        assertEquals("sql01", vm.name());
        assertEquals("sql01", vm.sourceVm());
        assertEquals("vnet-prod", vm.virtualNetwork());
        assertFalse(vm.testFailover());
        assertEquals(point.time(), vm.recoveryPointTime());
        assertTrue(vm.appConsistent());
        assertEquals(Instant.parse("2026-01-05T07:10:00Z"), vm.createdAt());
        assertEquals(Map.of("disk0", new AzureVm.Disk("disk0", AzureVm.DISK_CONTAINER, "sql01/disk0.vhd"),
                "disk1", new AzureVm.Disk("disk1", AzureVm.DISK_CONTAINER, "sql01/disk1.vhd")), vm.disks());
        for (AzureVm.Disk d : vm.disks().values()) {
            ReplicaDisk copy = ReplicaDisk.open(storage, d.container(), d.blob());
            ReplicaDisk replica = replicas.get(d.diskId());
            DiskRecoveryPoint atPoint = replica.recoveryPoints().get(0);
            assertEquals(replica.sha256(atPoint), copy.sha256(), d.diskId());
            assertEquals(replica.footer(), copy.footer());
        }
        // the VM's disk holds the point's data, not the replica's newer writes, and is independent of both
        ReplicaDisk disk0 = ReplicaDisk.open(storage, AzureVm.DISK_CONTAINER, "sql01/disk0.vhd");
        assertArrayEquals(filled(512, 1), disk0.readData(4096, 512));
        disk0.writeData(4096, filled(512, 7));
        assertArrayEquals(filled(512, 1), replicas.get("disk0").readData(replicas.get("disk0").recoveryPoints().get(0),
                4096, 512));
        assertEquals(List.of(vm), vault.azureVms());
        assertEquals(vm, vault.azureVm("sql01").orElseThrow());
    }

    @Test
    void aTestFailoverVmStandsNextToTheProductionOneAndItsCleanupDeletesItsDisks() {
        AzureVm test = vault.createFailoverVm(item, point, replicas, "corp-lan", true);
        assertEquals("sql01-test", test.name());
        assertTrue(test.testFailover());
        assertThrows(IllegalStateException.class,
                () -> vault.createFailoverVm(item, point, replicas, "corp-lan", true), "one test VM at a time");
        AzureVm production = vault.createFailoverVm(item, point, replicas, "corp-lan", false);
        assertEquals(List.of(production, test), vault.azureVms());

        vault.deleteFailoverVm(test, storage);
        assertEquals(List.of(production), vault.azureVms());
        assertFalse(storage.exists(AzureVm.DISK_CONTAINER, "sql01-test/disk0.vhd"));
        assertTrue(storage.exists(AzureVm.DISK_CONTAINER, "sql01/disk0.vhd"));
        assertThrows(IllegalArgumentException.class, () -> vault.deleteFailoverVm(test, storage));
    }

    @Test
    void aFailoverNeedsAMappedNetworkAndEveryDisk() {
        IllegalStateException unmapped = assertThrows(IllegalStateException.class,
                () -> vault.createFailoverVm(item, point, replicas, "dmz-lan", false));
        assertTrue(unmapped.getMessage().contains("dmz-lan is not mapped"), unmapped.getMessage());
        assertThrows(IllegalArgumentException.class, () -> vault.createFailoverVm(item, point,
                Map.of("disk0", replicas.get("disk0")), "corp-lan", false));
        RecoveryPoint partial = new RecoveryPoint(point.time(), true,
                new TreeMap<>(Map.of("disk0", point.diskSnapshots().get("disk0"))));
        assertThrows(IllegalArgumentException.class,
                () -> vault.createFailoverVm(item, partial, replicas, "corp-lan", false));
        assertEquals(List.of(), vault.azureVms());
    }

    @Test
    void aFailedCopyLeavesNoHalfVm() {
        TreeMap<String, String> snapshots = new TreeMap<>(point.diskSnapshots());
        snapshots.put("disk1", "2020-01-01T00:00:00.0000000Z"); // no such snapshot
        RecoveryPoint broken = new RecoveryPoint(point.time(), true, snapshots);
        assertThrows(BlobStorageException.class, () -> vault.createFailoverVm(item, broken, replicas, "corp-lan", false));
        assertFalse(storage.exists(AzureVm.DISK_CONTAINER, "sql01/disk0.vhd"));
        assertEquals(List.of(), vault.azureVms());
    }
}
