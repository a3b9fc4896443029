package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.FaultSpec;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Policy;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.scenario.Site;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shapes a hunt draws: reproducible, valid, and reaching every kind of every dimension. */
class RandomShapesTest {
    private static final Hunt SHAPES = new Hunt(Invariants.all(), Hunt.DEFAULT_MAX_FAULTS, Hunt.DEFAULT_MAX_ACTIONS, true);

    private static Scenario base() throws Exception {
        return new Hunt.Source(RandomShapes.BASE_FILE, RandomShapes.BASE).load();
    }

    @Test
    void theSameHuntSeedAndRunGiveTheSameShape() throws Exception {
        Scenario base = base();
        for (int run = 0; run < 20; run++) {
            assertEquals(SHAPES.scenarioOfRun(base, 42, run), SHAPES.scenarioOfRun(base, 42, run));
        }
        assertNotEquals(SHAPES.scenarioOfRun(base, 42, 3).site(), SHAPES.scenarioOfRun(base, 42, 4).site());
        assertNotEquals(SHAPES.scenarioOfRun(base, 42, 3).site(), SHAPES.scenarioOfRun(base, 43, 3).site());
    }

    @Test
    void theShapeStreamIsItsOwn() throws Exception {
        // the faults and actions of run i come from their own streams: drawn on the shape, not shifted by it
        Scenario base = base();
        Scenario shaped = SHAPES.scenarioOfRun(base, 9, 5);
        Scenario bare = RandomShapes.draw(base, new io.replisim.simulator.kernel.RandomStreams(9).stream("hunt/shape/5"));
        assertEquals(bare.site(), shaped.site());
        assertEquals(new Hunt().scenarioOfRun(bare, 9, 5), shaped);
    }

    @Test
    void shapesValidateAndRoundTripThroughTheirYaml() throws Exception {
        Scenario base = base();
        ScenarioLoader loader = new ScenarioLoader();
        for (int run = 0; run < 60; run++) {
            Scenario s = SHAPES.scenarioOfRun(base, 11, run);
            loader.revalidate(s);
            Scenario back = loader.parse(Path.of("shape.yaml"), ScenarioYaml.write(s, List.of()));
            assertEquals(s, back, "run " + run);
        }
    }

    @Test
    void shapesReachEveryKindOfEveryDimension() throws Exception {
        Scenario base = base();
        Set<Integer> hosts = new TreeSet<>();
        Set<Integer> vmsPerHost = new TreeSet<>();
        Set<Integer> disksPerVm = new TreeSet<>();
        Set<Integer> vmsPerUplink = new TreeSet<>();
        Set<String> kinds = new TreeSet<>();
        Set<Duration> copyFrequencies = new HashSet<>();
        Set<Long> retentions = new TreeSet<>();
        Set<Long> appConsistent = new TreeSet<>();
        Set<String> starts = new TreeSet<>();
        Set<Fidelity> fidelities = new HashSet<>();
        Set<String> workloads = new TreeSet<>();
        Set<Integer> startHours = new TreeSet<>();
        int scarce = 0;
        int throttled = 0;
        for (int run = 0; run < 400; run++) {
            Scenario s = SHAPES.scenarioOfRun(base, 3, run);
            Site site = s.site();
            hosts.add(site.hosts().size());
            int vms = 0;
            long churn = 0;
            for (Site.Host h : site.hosts()) {
                vmsPerHost.add(h.vms().size());
                vms += h.vms().size();
                for (Site.Vm v : h.vms()) {
                    disksPerVm.add(v.disks().size());
                    assertEquals(v.disks().size(), v.disks().stream().map(Site.Disk::size).distinct().count(),
                            "a VM's disks differ in size: " + v);
                    for (Site.Disk d : v.disks()) {
                        assertTrue(d.size().bytes() <= 64L << 20, "small disks keep runs cheap: " + d);
                        Site.Churn c = d.churn();
                        churn += c.rate().bytesPerSecond();
                        workloads.add(c.zipf() != null ? "zipf" : c.effectiveHotspot() == 1.0 ? "uniform" : "hot-spot");
                        if (!c.hourly().isEmpty()) {
                            workloads.add("hourly");
                        }
                        if (!c.bursts().isEmpty()) {
                            workloads.add("burst");
                        }
                    }
                }
            }
            vmsPerUplink.add(vms);
            kinds.add(site.effectiveKind().name());
            Policy p = s.policy();
            copyFrequencies.add(p.copyFrequency());
            retentions.add(p.retention().toHours());
            appConsistent.add(p.appConsistentEvery().toHours());
            assertTrue(p.appConsistentEvery().compareTo(p.retention()) <= 0, p.toString());
            starts.add(p.initialReplicationStart().contains(":") ? "time of day" : p.initialReplicationStart());
            fidelities.add(s.fidelity());
            startHours.add(s.start().atZoneSameInstant(s.effectiveZone()).getHour());
            assertTrue(s.duration().compareTo(RandomShapes.SHORTEST) >= 0 && s.duration().compareTo(RandomShapes.LONGEST) <= 0);
            if (site.uplink().bandwidth().bitsPerSecond() < churn * 8) {
                scarce++;
            }
            if (site.uplink().throttle() != null) {
                throttled++;
            }
        }
        assertEquals(Set.of(1, 2, 3), hosts);
        assertEquals(Set.of(1, 2, 3, 4), vmsPerHost);
        assertEquals(Set.of(1, 2, 3), disksPerVm);
        assertTrue(vmsPerUplink.containsAll(Set.of(1, 2, 6)) && ((TreeSet<Integer>) vmsPerUplink).last() >= 9,
                "VMs on the one uplink: " + vmsPerUplink);
        assertEquals(Set.of("HYPERV_SITE", "VMM_CLOUD"), kinds);
        assertEquals(Set.of(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(15)), copyFrequencies);
        assertTrue(retentions.contains(0L) && retentions.contains(24L), "retention 0 to 24 h: " + retentions);
        assertTrue(appConsistent.contains(0L) && appConsistent.contains(12L), "app-consistent 0 to 12 h: " + appConsistent);
        assertEquals(Set.of("immediately", "replicated", "time of day"), starts);
        assertEquals(Set.of(Fidelity.BYTES, Fidelity.MODEL), fidelities);
        assertEquals(Set.of("burst", "hot-spot", "hourly", "uniform", "zipf"), workloads);
        assertEquals(24, startHours.size(), "runs start at every hour of the day: " + startHours);
        assertTrue(scarce >= 80 && scarce <= 240, "a scarce link one time in three or so: " + scarce);
        assertTrue(throttled >= 25 && throttled <= 120, "a throttle one time in four, on links of 2 Mbps or more: " + throttled);
    }

    @Test
    void faultsAndActionsFallAtArbitrarySecondsNotOnTheCopyFrequencyGrid() throws Exception {
        Scenario base = base();
        int timed = 0;
        int onGrid = 0;
        for (int run = 0; run < 200; run++) {
            Scenario s = SHAPES.scenarioOfRun(base, 5, run);
            long grid = s.policy().copyFrequency().toSeconds();
            for (FaultSpec f : s.faults()) {
                timed++;
                onGrid += f.at().toSeconds() % grid == 0 ? 1 : 0;
            }
            for (ActionSpec a : s.actions()) {
                timed++;
                onGrid += a.at().toSeconds() % grid == 0 ? 1 : 0;
            }
        }
        assertTrue(timed > 500, "timed " + timed);
        // uniform whole seconds: 1 in 30 land on a 30 s grid by chance, fewer on 5 and 15 min
        assertTrue(onGrid < timed / 15, onGrid + " of " + timed + " on the grid");
    }

    @Test
    void aBaseFileKeepsItsCalendarResyncAndFidelity() throws Exception {
        Scenario file = new ScenarioLoader().parse(Path.of("base.yaml"), """
                name: my-base
                seed: 3
                start: 2026-03-02T00:00:00+01:00
                timeZone: Europe/Paris
                duration: 1d
                fidelity: model
                resync: { officeHours: "Mon-Fri 08:00-17:00" }
                policy: { copyFrequency: 15m }
                site:
                  uplink: { bandwidth: 10Mbps }
                  hosts: [ { name: h1, vms: [ { name: v1, disks: [ { size: 8MiB } ] } ] } ]
                faults: [ { at: 1h, kind: network-outage, for: 10m } ]
                """);
        for (int run = 0; run < 30; run++) {
            Scenario s = RandomShapes.draw(file, new io.replisim.simulator.kernel.RandomStreams(1).stream("hunt/shape/" + run));
            assertEquals("my-base", s.name());
            assertEquals(Fidelity.MODEL, s.fidelity());
            assertEquals(file.resync(), s.resync());
            assertEquals(file.timeZone(), s.timeZone());
            assertTrue(!s.start().isBefore(file.start()) && s.start().isBefore(file.start().plusDays(7)), s.start().toString());
            assertEquals(List.of(), s.faults(), "the base's faults name its VMs: they go");
        }
    }
}
