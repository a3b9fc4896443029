package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.replisim.azure.vault.InitialReplicationStart;
import io.replisim.azure.vault.ProtectionContainer;
import io.replisim.azure.vault.RegisteredServer;
import io.replisim.azure.vault.ReplicationPolicy;
import io.replisim.azure.vault.ServerKind;
import io.replisim.simulator.run.SiteProbe;
import io.replisim.simulator.trace.TraceLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the site itself does: registers with the vault, follows the uplink's schedule, acts for administrators, sums up. */
class SiteTest {
    /** Two hosts of one VM each, a site of {@code kind} with the policy's initial replication starting {@code start}. */
    private static String twoHosts(String kind, String start) {
        return RunFixture.small("30m", "").replace("appConsistentEvery: 1h }", "appConsistentEvery: 1h, initialReplicationStart: " + start + " }")
                .replace("site:\n", "site:\n  kind: " + kind + "\n")
                + """
                    - name: hv02
                      volume: 2GiB
                      vms:
                        - name: vm2
                          disks:
                            - { name: os, size: 16MiB }
                """;
    }

    /** The site's fakes, read after the run. */
    private static SiteProbe.Fakes fakesAfter(String yaml) throws Exception {
        List<SiteProbe.Fakes> seen = new ArrayList<>();
        RunFixture.run(yaml, fakes -> {
            seen.add(fakes);
            return r -> { };
        });
        return seen.get(0);
    }

    private static List<String> servers(SiteProbe.Fakes fakes) {
        return fakes.vault().registeredServers().stream().map(RegisteredServer::name).toList();
    }

    @Test
    void aHyperVSiteRegistersEachHostAndGathersThemUnderItsPolicy() throws Exception {
        SiteProbe.Fakes fakes = fakesAfter(twoHosts("hyperv-site", "immediately"));
        assertEquals(List.of("hv01", "hv02"), servers(fakes));
        assertTrue(fakes.vault().registeredServers().stream().allMatch(s -> s.kind() == ServerKind.HYPERV_HOST));
        ProtectionContainer site = fakes.vault().hyperVSite("site1").orElseThrow();
        assertEquals(List.of("hv01", "hv02"), List.copyOf(site.hosts()));
        ReplicationPolicy policy = site.policy().orElseThrow();
        assertEquals(InitialReplicationStart.immediately(), policy.initialReplicationStart());
        assertEquals(Duration.ofMinutes(5), policy.copyFrequency());
        assertTrue(fakes.vault().vmmCloud("site1-vmm", "site1").isEmpty());
        assertEquals(List.of("hv01", "hv02"), fakes.hosts().stream().map(h -> h.name()).toList(), "the probe sees every host");
        // the hosts' volumes (in-memory file systems holding the disks and logs) are released with the run
        assertTrue(fakes.hosts().stream().flatMap(h -> h.volumes().stream()).noneMatch(v -> v.root().getFileSystem().isOpen()));
    }

    @Test
    void aVmmCloudRegistersItsVmmServerAndAddsTheHostsToTheCloud() throws Exception {
        SiteProbe.Fakes fakes = fakesAfter(twoHosts("vmm-cloud", "\"22:00\""));
        assertEquals(List.of("site1-vmm"), servers(fakes), "hosts in a VMM cloud do not register themselves");
        assertEquals(ServerKind.VMM_SERVER, fakes.vault().registeredServers().get(0).kind());
        ProtectionContainer cloud = fakes.vault().vmmCloud("site1-vmm", "site1").orElseThrow();
        assertEquals(List.of("hv01", "hv02"), List.copyOf(cloud.hosts()));
        assertTrue(fakes.vault().hyperVSite("site1").isEmpty());
        // the next 22:00 local time after the start, Monday 08:00 +01:00
        assertEquals(InitialReplicationStart.at(Instant.parse("2026-01-05T21:00:00Z")),
                cloud.policy().orElseThrow().initialReplicationStart());
    }

    @Test
    void initialReplicationDoneBeforeTheRunIsAPolicyStartingImmediately() throws Exception {
        SiteProbe.Fakes fakes = fakesAfter(twoHosts("hyperv-site", "replicated"));
        assertEquals(InitialReplicationStart.immediately(),
                fakes.vault().hyperVSite("site1").orElseThrow().policy().orElseThrow().initialReplicationStart());
    }

    @Test
    void theUplinkTracesEachScheduledChangeOfCapacityWhileItIsUp() throws Exception {
        // Monday from 08:00: 5 Mbps 09:00-10:00, back to 20 at 10:00, 20 again at 11:00 (no change),
        // 5 at 12:00 and 20 at 12:30 while an outage from 11:45 to 12:15 lasts; it ends at 5
        RunFixture run = RunFixture.run(RunFixture.small("6h", """
                faults:
                  - { at: 225m, kind: network-outage, for: 30m }
                """).replace("uplink: { bandwidth: 20Mbps }", "uplink: { bandwidth: 20Mbps, schedule: ["
                + "{ hours: \"Mon-Fri 09:00-10:00\", bandwidth: 5Mbps }, { hours: \"Mon-Fri 10:00-11:00\", bandwidth: 20Mbps }, "
                + "{ hours: \"Mon-Fri 11:00-12:00\", bandwidth: 20Mbps }, { hours: \"Mon-Fri 12:00-12:30\", bandwidth: 5Mbps } ] }"));
        assertEquals(List.of("PT0S start 20000000", "PT1H schedule 5000000", "PT2H schedule 20000000",
                        "PT3H45M outage 0", "PT4H15M restored 5000000", "PT4H30M schedule 20000000"),
                run.ofType("uplink.capacity").stream()
                        .map(e -> run.at(e) + " " + e.get("reason").asText() + " " + e.get("bitsPerSecond").asLong()).toList());
    }

    private static List<String> actionsAndFinalStates(RunFixture run) {
        List<String> seen = new ArrayList<>();
        run.ofType("action").forEach(a -> seen.add(run.at(a) + " " + a.get("action").asText() + " "
                + (a.hasNonNull("vm") ? a.get("vm").asText() : "every VM")));
        run.record.vms().forEach(v -> seen.add(v.vm() + ": " + v.finalState()));
        return seen;
    }

    @Test
    void anActionNamingAVmActsOnItAloneAndOneNamingNoneOnEveryVm() throws Exception {
        String yaml = RunFixture.withVms(RunFixture.small("1h", """
                actions:
                  - { at: 40m, do: disable-replication VM }
                """), """
                - name: vm2
                  disks:
                    - { name: os, size: 16MiB }
                """);
        assertEquals(List.of("PT40M disable-replication vm2", "vm1: Replicating", "vm2: Not enabled"),
                actionsAndFinalStates(RunFixture.run(yaml.replace(" VM }", ", vm: vm2 }"))));
        assertEquals(List.of("PT40M disable-replication every VM", "vm1: Not enabled", "vm2: Not enabled"),
                actionsAndFinalStates(RunFixture.run(yaml.replace(" VM }", " }"))));
    }

    @Test
    void theBytesSentAreInitialReplicationLogsAndResyncTogether() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 30m, kind: log-not-closed-cleanly, vm: vm1 }
                """));
        VmSummary vm = run.record.vms().get(0);
        assertTrue(vm.initialReplicationBytes() > 0 && vm.logBytesShipped() > 0 && vm.resyncBytesSent() > 0, vm.toString());
        assertEquals(vm.initialReplicationBytes() + vm.logBytesShipped() + vm.resyncBytesSent(), vm.bytesSent());
    }

    @Test
    void aStorageFaultStillLastingAtTheEndDoesNotStrikeTheJudgesReads() throws Exception {
        // the judge reads the replica from the account directly: it finds it as the last applied log left it
        List<String> atTheFault = new ArrayList<>();
        RunFixture run = RunFixture.run(RunFixture.small("1h", """
                faults:
                  - { at: 50m, kind: storage-unavailable }
                """), fakes -> r -> {
                    if (r.event() instanceof io.replisim.simulator.trace.TraceEvent.FaultInjected) {
                        atTheFault.add(io.replisim.azure.storage.ReplicaDisk.open(fakes.storage(), ProtectedVm.REPLICA_CONTAINER,
                                "hv01/vm1/os.vhd").sha256());
                    }
                });
        VmSummary.DiskCheck check = run.record.vms().get(0).disks().get(0);
        assertFalse(check.matches(), "the last logs never reached the account");
        assertEquals(atTheFault, List.of(check.replicaSha256()));
    }

    @Test
    void aVmWithoutARecoveryPointHasNoRpo() throws Exception {
        // vm2's initial replication is planned for after the run
        RunFixture run = RunFixture.run(RunFixture.withVms(RunFixture.small("1h", ""), """
                - name: vm2
                  initialReplicationStart: "22:00"
                  disks:
                    - { name: os, size: 16MiB }
                """));
        VmSummary.Rpo measured = run.record.vms().get(0).rpo();
        assertNotNull(measured);
        assertTrue(measured.samples() > 0 && measured.max().compareTo(Duration.ZERO) > 0, measured.toString());
        assertNull(run.record.vms().get(1).rpo());
    }

    @Test
    void theFleetRpoRisesToTheEndOfTheDurationWhenNoPointComesAfter() throws Exception {
        // a resync required at 30m waits for an administrator: the RPO keeps rising, nothing happens after the end
        String yaml = RunFixture.small("2h", """
                resync: { automatic: false }
                faults:
                  - { at: 30m, kind: log-not-closed-cleanly, vm: vm1 }
                """);
        RunFixture run = RunFixture.run(yaml);
        var fleet = RunFixture.runWith(yaml, o -> o.traceLevel(TraceLevel.NONE)).record.fleet(); // a fleet's figures: not with a full trace
        long width = fleet.binWidth().toNanos();
        long end = Duration.ofHours(2).toNanos();
        Instant start = Instant.parse("2026-01-05T07:00:00Z");
        long newest = run.ofType("recovery-point.created").stream()
                .mapToLong(p -> Duration.between(start, Instant.from(java.time.OffsetDateTime.parse(p.get("pointInTime").asText()))).toNanos())
                .max().orElseThrow();
        assertTrue(newest < Duration.ofMinutes(30).toNanos());
        int last = fleet.bins() - 1;
        assertEquals(end, (long) fleet.bins() * width);
        assertEquals((end - newest) / 1e9, fleet.rpoMaxSeconds()[last], 1, "the last bin's RPO, up to the end");
    }

    @Test
    void exportedDisksAreTheSourcesTheReplicasAsFixedVhdsAndTheHostsFiles(@TempDir Path dir) throws Exception {
        // vm2's replica is gone with its replication disabled
        RunFixture run = RunFixture.runWith(RunFixture.withVms(RunFixture.small("30m", """
                actions:
                  - { at: 20m, do: disable-replication, vm: vm2 }
                """), """
                - name: vm2
                  disks:
                    - { name: os, size: 16MiB }
                """), o -> o.exportDisks(dir));
        assertTrue(Files.size(dir.resolve("source/vm1/os.vhdx")) > 0);
        assertTrue(Files.size(dir.resolve("source/vm2/os.vhdx")) > 0);
        Path replica = dir.resolve("replica/vm1/os.vhd");
        byte[] vhd = Files.readAllBytes(replica);
        assertEquals((16L << 20) + 512, vhd.length, "the disk, then the fixed VHD's footer");
        assertEquals("conectix", new String(vhd, 16 << 20, 8, java.nio.charset.StandardCharsets.US_ASCII));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(vhd, 0, 16 << 20);
        assertEquals(run.record.vms().get(0).disks().get(0).replicaSha256(), HexFormat.of().formatHex(sha.digest()));
        assertFalse(Files.exists(dir.resolve("replica/vm2")));
        Path hostDisk = dir.resolve("hosts/hv01/C/vm1/Virtual Hard Disks/os.vhdx");
        assertTrue(Files.isRegularFile(hostDisk) && Files.size(hostDisk) > 0, hostDisk.toString());
        try (var files = Files.list(hostDisk.getParent())) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".hrl")), "the active log lies beside its disk");
        }
    }

    @Test
    void untilEveryVmReplicatesTheWorkloadStopsOnceTheLastVmReplicates() throws Exception {
        String yaml = RunFixture.withVms(RunFixture.small("10h", ""), """
                - name: vm2
                  initialReplicationStart: START
                  disks:
                    - { name: os, size: 16MiB }
                """);
        // both replicate within minutes: the workload stops at the first slice (3 minutes) after the later
        RunFixture both = RunFixture.runWith(yaml.replace("START", "immediately"), o -> o.untilEveryVmReplicates());
        Duration stopped = both.at(both.ofType("workload.stopped").get(0));
        Duration later = both.record.vms().stream().map(VmSummary::timeToReplicating).max(Duration::compareTo).orElseThrow();
        assertTrue(later.compareTo(stopped) <= 0 && stopped.compareTo(later.plusMinutes(3)) <= 0, later + " then " + stopped);
        // vm2 replicates only from 22:00, after the run: the workload runs the whole duration
        RunFixture one = RunFixture.runWith(yaml.replace("START", "\"22:00\""), o -> o.untilEveryVmReplicates());
        assertEquals(Duration.ofHours(10), one.at(one.ofType("workload.stopped").get(0)));
    }
}
