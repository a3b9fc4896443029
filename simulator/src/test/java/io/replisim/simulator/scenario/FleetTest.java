package io.replisim.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleets from templates and inventories, several sites: expanded at load, every problem located. */
class FleetTest {
    private static final String HEAD = """
            name: fleet
            seed: 7
            start: 2026-01-05T08:00:00+01:00
            duration: 1h
            fidelity: model
            """;

    private static final String TEMPLATE = HEAD + """
            site:
              name: paris
              uplink: { bandwidth: 1Gbps }
              fleet:
                - hosts: 3
                  hostName: "hv{00}"
                  vmsPerHost: VMS
                  vmName: "vm{000}"
                  disks:
                    - { name: os, size: 127GiB, churn: { rate: { between: [64KiB/s, 256KiB/s] } } }
                    - { name: data, size: { between: [100GiB, 500GiB] }, churn: { rate: { lognormal: { median: 1MiB/s, sigma: 0.8 } } } }
            """;

    @TempDir
    Path dir;

    private Scenario load(String text) throws Exception {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, text);
        return new ScenarioLoader().load(file);
    }

    private ScenarioError error(String text) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> load(text));
        return e.errors().get(0);
    }

    private static List<Site.Vm> vms(Scenario s) {
        return s.effectiveSites().stream().flatMap(site -> site.hosts().stream()).flatMap(h -> h.vms().stream()).toList();
    }

    @Test
    void aTemplateMakesNamedHostsAndVmsWithValuesDrawnWithinTheirSpreads() throws Exception {
        Scenario s = load(TEMPLATE.replace("VMS", "4"));
        List<Site.Host> hosts = s.site().hosts();
        assertEquals(List.of("hv01", "hv02", "hv03"), hosts.stream().map(Site.Host::name).toList());
        assertEquals("vm001", hosts.get(0).vms().get(0).name());
        assertEquals("vm012", hosts.get(2).vms().get(3).name());
        for (Site.Vm vm : vms(s)) {
            long data = vm.disks().get(1).size().bytes();
            assertTrue(data >= 100L << 30 && data <= 500L << 30 && data % (1 << 20) == 0, vm + ": " + data);
            long os = vm.disks().get(0).churn().rate().bytesPerSecond();
            assertTrue(os >= 64 * 1024 && os <= 256 * 1024, vm + ": " + os);
        }
        assertTrue(vms(s).stream().map(v -> v.disks().get(1).size()).distinct().count() > 6, "sizes vary by VM");
    }

    @Test
    void aVmsDrawsDoNotDependOnTheOthersNorOnTheRunsSeed() throws Exception {
        List<Site.Vm> four = vms(load(TEMPLATE.replace("VMS", "4")));
        List<Site.Vm> five = vms(load(TEMPLATE.replace("VMS", "5")));
        Site.Vm first = four.get(0);
        Site.Vm same = five.stream().filter(v -> v.name().equals(first.name())).findFirst().orElseThrow();
        assertEquals(first, same, "adding VMs changes no other VM's draws");
        // the run's seed varies workloads, not the fleet: the fleet follows the file's seed
        assertEquals(four, vms(load(TEMPLATE.replace("VMS", "4")).withSeed(99)));
        assertNotEquals(four, vms(load(TEMPLATE.replace("VMS", "4").replace("seed: 7", "seed: 8"))));
    }

    @Test
    void anInventoryFileBecomesHostsVmsAndDisks() throws Exception {
        Files.writeString(dir.resolve("fleet.csv"), """
                Host,VM,Disk,Size,Churn,ioSize
                hv1,sql01,os,127GiB,64KiB/s,64KiB
                hv1,sql01,data,1024,2.5,1MiB
                hv2,web01,os,127,0,64KiB
                """);
        Scenario s = load(HEAD + """
                site:
                  uplink: { bandwidth: 1Gbps }
                  inventory: { file: fleet.csv, volume: 16TiB, churn: { hotspot: 0.05 } }
                """);
        List<Site.Host> hosts = s.site().hosts();
        assertEquals(List.of("hv1", "hv2"), hosts.stream().map(Site.Host::name).toList());
        Site.Disk data = hosts.get(0).vms().get(0).disks().get(1);
        assertEquals(1024L << 30, data.size().bytes(), "a plain size is GiB");
        assertEquals(2_500_000, data.churn().rate().bytesPerSecond(), "a plain churn is MB/s");
        assertEquals(1L << 20, data.churn().ioSize().bytes());
        assertEquals(0.05, data.churn().hotspot());
        assertEquals(null, hosts.get(1).vms().get(0).disks().get(0).churn(), "0 writes nothing");
        assertEquals(16L << 40, hosts.get(0).volume().bytes());
    }

    @Test
    void aBadCellIsReportedAtItsLineAndColumnInTheCsv() throws Exception {
        Files.writeString(dir.resolve("fleet.csv"), "host,vm,disk,size,churn\nhv1,vm1,os,127GiB,1MiB/s\nhv1,vm2,os,lots,1MiB/s\n");
        ScenarioError e = error(HEAD + "site:\n  uplink: { bandwidth: 1Gbps }\n  inventory: { file: fleet.csv }\n");
        assertEquals("fleet.csv", e.file().getFileName().toString());
        assertEquals(3, e.line());
        assertEquals(12, e.column());
        assertEquals("size", e.fieldPath());
        assertTrue(e.message().contains("'lots' is not a size"), e.message());
    }

    @Test
    void aVmOnTwoHostsAndAnUnknownColumnAreReported() throws Exception {
        Files.writeString(dir.resolve("fleet.csv"), "host,vm,disk,size,churn\nhv1,vm1,os,127GiB,0\nhv2,vm1,data,1TiB,0\n");
        ScenarioError e = error(HEAD + "site:\n  uplink: { bandwidth: 1Gbps }\n  inventory: { file: fleet.csv }\n");
        assertTrue(e.message().contains("VM 'vm1' is on host 'hv1' in an earlier row"), e.format());
        Files.writeString(dir.resolve("fleet.csv"), "host,vm,disk,size,churn,color\nhv1,vm1,os,127GiB,0,red\n");
        assertTrue(error(HEAD + "site:\n  uplink: { bandwidth: 1Gbps }\n  inventory: { file: fleet.csv }\n").message()
                .contains("unknown column 'color'"));
    }

    @Test
    void aTemplateThatMakesSeveralNeedsANumberInItsNames() {
        ScenarioError e = error(TEMPLATE.replace("VMS", "2").replace("vmName: \"vm{000}\"", "vmName: \"vm\""));
        assertEquals("site.fleet[0].vmName", e.fieldPath());
        assertTrue(e.message().contains("no number placeholder"), e.message());
    }

    @Test
    void aProblemOfTheMadeDisksIsReportedOnceAtTheTemplate() {
        // every made VM's data disk gets an I/O size larger than its... no: a fixed os size not in whole MiB
        ScenarioException ex = assertThrows(ScenarioException.class,
                () -> load(TEMPLATE.replace("VMS", "4").replace("size: 127GiB", "size: 127GB")));
        assertEquals(1, ex.errors().size(), ex.getMessage());
        ScenarioError e = ex.errors().get(0);
        assertEquals("site.fleet[0].disks[0].size", e.fieldPath());
        assertEquals(15, e.line());
        assertTrue(e.message().contains("not a whole number of MiB"), e.message());
    }

    @Test
    void sitesHaveNamesAndTheirOwnHostsAndTheFaultsThatNameThem() throws Exception {
        String two = HEAD + """
                sites:
                  - name: paris
                    uplink: { bandwidth: 1Gbps }
                    hosts: [ { name: hv1, vms: [ { name: a, disks: [ { size: 1GiB } ] } ] } ]
                  - name: lyon
                    uplink: { bandwidth: 100Mbps }
                    hosts: [ { name: hv2, vms: [ { name: b, disks: [ { size: 1GiB } ] } ] } ]
                faults:
                  - { at: 10m, kind: network-outage, site: lyon, for: 5m }
                """;
        Scenario s = load(two);
        assertEquals(List.of("paris", "lyon"), s.effectiveSites().stream().map(Site::effectiveName).toList());
        assertEquals("sites[1].name", error(two.replace("name: lyon", "name: paris")).fieldPath());
        ScenarioError noSite = error(two.replace("site: lyon", "site: nice"));
        assertEquals("faults[0].site", noSite.fieldPath());
        ScenarioError sameHost = error(two.replace("name: hv2", "name: hv1"));
        assertEquals("sites[1].hosts[0].name", sameHost.fieldPath());
        assertTrue(sameHost.message().contains("host 'hv1' is declared twice"));
        ScenarioError both = error(two + "site: { uplink: { bandwidth: 1Gbps }, hosts: [] }\n");
        assertTrue(both.message().contains("either one site or a list of sites"), both.format());
    }

    @Test
    void anchorsAndAliasesRepeatATemplateAndItsProblemsAreStillLocated() throws Exception {
        String text = HEAD + """
                sites:
                  - name: a
                    uplink: { bandwidth: 1Gbps }
                    fleet:
                      - hosts: 2
                        hostName: "a-hv{0}"
                        vmsPerHost: 2
                        vmName: "a-vm{0}"
                        disks: &disks
                          - { name: os, size: 127GiB, churn: { rate: 64KiB/s, hourly: &day [1,1,1,1,1,1,1,1,2,2,2,2,2,2,2,2,2,2,1,1,1,1,1,1] } }
                          - { name: data, size: 1TiB, churn: { rate: 1MiB/s, hourly: *day } }
                  - { name: b, uplink: { bandwidth: 1Gbps }, fleet: [ { hosts: 1, hostName: "b-hv{0}", vmsPerHost: 3, vmName: "b-vm{0}", disks: *disks } ] }
                """;
        Scenario s = load(text);
        assertEquals(7, vms(s).size());
        Site.Vm b = s.effectiveSites().get(1).hosts().get(0).vms().get(2);
        assertEquals("b-vm3", b.name());
        assertEquals(1L << 40, b.disks().get(1).size().bytes());
        assertEquals(24, b.disks().get(1).churn().hourly().size());
        ScenarioError e = error(text.replace("size: 1TiB", "size: lots"));
        assertEquals("sites[0].fleet[0].disks[1].size", e.fieldPath());
        assertEquals(16, e.line(), e.format());
        assertTrue(e.message().contains("'lots' is not a size"), e.message());
    }

    @Test
    void aFleetOfManySitesMayAliasItsTemplateOncePerSiteButAliasesCannotExplode() throws Exception {
        StringBuilder many = new StringBuilder(HEAD + """
                sites:
                  - name: s0
                    uplink: { bandwidth: 1Gbps }
                    fleet: [ { hosts: 1, hostName: "s0-hv{0}", vmsPerHost: 1, vmName: "s0-vm{0}",
                               disks: &disks [ { name: os, size: 127GiB, churn: { rate: 64KiB/s } } ] } ]
                """);
        for (int i = 1; i < 80; i++) {
            many.append("  - { name: s").append(i).append(", uplink: { bandwidth: 1Gbps }, fleet: [ { hosts: 1, hostName: \"s")
                    .append(i).append("-hv{0}\", vmsPerHost: 1, vmName: \"s").append(i).append("-vm{0}\", disks: *disks } ] }\n");
        }
        assertEquals(80, vms(load(many.toString())).size(), "80 aliases of one template");
        ScenarioError located = error(many.toString().replace("size: 127GiB", "size: lots"));
        assertEquals("sites[0].fleet[0].disks[0].size", located.fieldPath());
        assertTrue(located.line() > 0, located.format());

        StringBuilder laughs = new StringBuilder(HEAD + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 8; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                laughs.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            laughs.append("]\n");
        }
        ScenarioError bomb = error(laughs.toString());
        assertTrue(bomb.message().contains("aliases expand to more than 1000000 values"), bomb.format());
    }
}
