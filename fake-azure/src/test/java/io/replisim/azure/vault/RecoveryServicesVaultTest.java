package io.replisim.azure.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.azure.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecoveryServicesVaultTest {
    private final ManualClock clock = ManualClock.at("2026-01-05T07:00:00Z");
    private final RecoveryServicesVault vault = new RecoveryServicesVault("contoso-vault", clock);
    private HyperVSite site;

    @BeforeEach
    void registerHosts() {
        VaultRegistrationKey key = vault.generateRegistrationKey();
        vault.registerServer("hv02", ServerKind.HYPERV_HOST, key);
        vault.registerServer("hv01", ServerKind.HYPERV_HOST, key);
        vault.registerServer("vmm01", ServerKind.VMM_SERVER, key);
        site = vault.createHyperVSite("branch-office");
        vault.addHostToSite(site, "hv02");
        vault.addHostToSite(site, "hv01");
    }

    @Test
    void aSiteHoldsRegisteredHyperVHostsSorted() {
        assertEquals(new TreeSet<>(List.of("hv01", "hv02")), site.hosts());
        assertThrows(IllegalStateException.class, () -> vault.addHostToSite(site, "hv99"), "not registered");
        assertThrows(IllegalStateException.class, () -> vault.addHostToSite(site, "vmm01"), "not a host");
        HyperVSite other = vault.createHyperVSite("hq");
        assertThrows(IllegalStateException.class, () -> vault.addHostToSite(other, "hv01"), "in another site");
        assertThrows(IllegalStateException.class, () -> vault.createHyperVSite("hq"));
        assertEquals(Optional.of(site), vault.hyperVSite("branch-office"));
    }

    @Test
    void aCloudNeedsARegisteredVmmServer() {
        VmmCloud cloud = vault.createVmmCloud("vmm01", "gold");
        vault.addHostToCloud(cloud, "hv10");
        assertEquals(new TreeSet<>(List.of("hv10")), cloud.hosts());
        assertEquals(Optional.of(cloud), vault.vmmCloud("vmm01", "gold"));
        assertThrows(IllegalStateException.class, () -> vault.createVmmCloud("hv01", "silver"));
        assertThrows(IllegalStateException.class, () -> vault.createVmmCloud("vmm01", "gold"));
    }

    @Test
    void networksMapToAzureVnets() {
        vault.mapNetwork("corp-lan", "vnet-prod");
        vault.mapNetwork("backup-lan", "vnet-backup");
        vault.mapNetwork("corp-lan", "vnet-prod2");
        assertEquals(Map.of("backup-lan", "vnet-backup", "corp-lan", "vnet-prod2"), vault.networkMappings());
        assertEquals(List.of("backup-lan", "corp-lan"), List.copyOf(vault.networkMappings().keySet()));
        assertEquals(Optional.empty(), vault.mappedNetwork("dmz"));
    }

    @Test
    void protectionNeedsAPolicyOnTheSiteWhichThenAppliesToEveryVm() {
        assertThrows(IllegalStateException.class, () -> vault.enableProtection(site, "sql01", List.of("d0")));
        vault.associatePolicy(site, ReplicationPolicy.defaults());
        ProtectedItem sql = vault.enableProtection(site, "sql01", List.of("d0", "d1"));
        ProtectedItem web = vault.enableProtection(site, "web01", List.of("d0"));
        assertEquals(ReplicationPolicy.defaults(), web.policy());

        ReplicationPolicy fast = ReplicationPolicy.builder().copyFrequency(Duration.ofSeconds(30)).build();
        vault.associatePolicy(site, fast);
        assertEquals(fast, sql.policy());
        assertEquals(fast, web.policy());
        assertEquals(List.of(sql, web), vault.protectedItems());
        assertEquals("Not enabled", sql.replicationState());
        assertEquals(ReplicationHealth.WARNING, sql.health());
        assertEquals(clock.instant(), sql.protectedAt());
    }

    @Test
    void aVmIsProtectedOnceAndWithDistinctDisks() {
        vault.associatePolicy(site, ReplicationPolicy.defaults());
        ProtectedItem item = vault.enableProtection(site, "sql01", List.of("d0"));
        assertThrows(IllegalStateException.class, () -> vault.enableProtection(site, "sql01", List.of("d0")));
        assertThrows(IllegalArgumentException.class, () -> vault.enableProtection(site, "web01", List.of()));
        assertThrows(IllegalArgumentException.class, () -> vault.enableProtection(site, "web01", List.of("a", "a")));
        vault.disableProtection(item);
        assertEquals(Optional.empty(), vault.protectedItem(site, "sql01"));
        assertThrows(IllegalStateException.class, () -> vault.disableProtection(item));
    }

    @Test
    void containersOfAnotherVaultAreRejected() {
        RecoveryServicesVault other = new RecoveryServicesVault("other", clock);
        HyperVSite foreign = other.createHyperVSite("branch-office");
        assertThrows(IllegalArgumentException.class,
                () -> vault.associatePolicy(foreign, ReplicationPolicy.defaults()));
    }

    @Test
    void recoveryPointsAreKeptInOrderAndPrunedByAge() {
        vault.associatePolicy(site, ReplicationPolicy.defaults());
        ProtectedItem item = vault.enableProtection(site, "sql01", List.of("d0"));
        Instant t0 = clock.instant();
        RecoveryPoint p0 = new RecoveryPoint(t0, false, new TreeMap<>(Map.of("d0", "s0")));
        RecoveryPoint p1 = new RecoveryPoint(t0.plusSeconds(300), true, new TreeMap<>(Map.of("d0", "s1")));
        item.addRecoveryPoint(p0);
        item.addRecoveryPoint(p1);
        assertThrows(IllegalArgumentException.class, () -> item.addRecoveryPoint(p0), "not newer");
        assertThrows(IllegalArgumentException.class, () -> item.addRecoveryPoint(
                new RecoveryPoint(t0.plusSeconds(600), false, new TreeMap<>(Map.of("d9", "s")))), "wrong disks");
        assertEquals(Optional.of(p1), item.latestRecoveryPoint());
        assertEquals(List.of(p0), item.pruneRecoveryPointsBefore(t0.plusSeconds(1)));
        assertEquals(List.of(p1), item.recoveryPoints());
        assertEquals(List.of(p1), item.clearRecoveryPoints());
        assertTrue(item.recoveryPoints().isEmpty());
    }
}
