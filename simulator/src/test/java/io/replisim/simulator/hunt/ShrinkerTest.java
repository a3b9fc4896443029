package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.scenario.FaultSpec;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.scenario.Site;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shrinking a deliberately failing case, and the minimal scenario's way back from YAML. */
class ShrinkerTest {

    /** "Fails" whenever a vm-reverted fault struck: the responsible fault is known. */
    static final TraceChecker FAILS_ON_REVERT = run -> {
        for (TraceLine l : run.trace()) {
            if (l.is("fault.injected") && "vm-reverted".equals(l.str("kind"))) {
                return List.of(new Violation("test-no-revert", l.seq(), l.vm() + " was reverted"));
            }
        }
        return List.of();
    };

    private static final Scenario NOISY = Tiny.twoVms("2h", """
            faults:
              - { at: 20m, kind: network-outage, for: 10m }
              - { at: 40m, kind: low-memory, for: 5m, host: hv01 }
              - { at: 50m, kind: vm-reverted, vm: app02 }
              - { at: 70m, kind: storage-unavailable, for: 5m }
            actions:
              - { at: 100m, do: resume }
            """);

    @Test
    void shrinkingKeepsOnlyTheResponsibleFaultItsVmAndAShorterDuration() {
        CheckedRun failing = CheckedRun.of(NOISY, 5, FAILS_ON_REVERT);
        assertEquals(1, failing.violations().size(), failing.violations().toString());
        List<String> steps = new ArrayList<>();
        Shrinker.Result r = new Shrinker(FAILS_ON_REVERT, (step, kept, current) -> steps.add(step + (kept ? " (kept)" : "")))
                .shrink(failing, failing.violations().get(0));
        Scenario minimal = r.minimal().scenario();
        assertEquals(1, minimal.faults().size(), steps.toString());
        FaultSpec fault = minimal.faults().get(0);
        assertEquals("vm-reverted", fault.kind());
        assertEquals("app02", fault.vm());
        assertEquals(List.of(), minimal.actions());
        assertEquals(Duration.ofHours(1), minimal.duration(), "halved while the fault at 50m still fits");
        assertEquals(List.of("app02"), minimal.site().hosts().stream().flatMap(h -> h.vms().stream()).map(Site.Vm::name).toList());
        assertEquals("test-no-revert", r.violation().invariant());
        assertEquals(5, r.minimal().seed());
        assertTrue(r.runs() <= 20, r.runs() + " runs: " + steps);
    }

    @Test
    void theMinimalScenarioWrittenAsYamlLoadsBackAndFailsTheSameWay() throws Exception {
        Scenario minimal = Tiny.oneVm("1h").withSeed(5);
        minimal = new Scenario(minimal.name(), minimal.seed(), minimal.start(), minimal.timeZone(), minimal.duration(),
                minimal.fidelity(), minimal.policy(), minimal.site(), minimal.resync(),
                List.of(new FaultSpec(Duration.ofMinutes(25), "vm-reverted", null, null, "app01", null, null),
                        new FaultSpec(Duration.ofSeconds(1234), "network-outage", Duration.ofSeconds(321), null, null, null, null)),
                List.of(), List.of());
        CheckedRun before = CheckedRun.of(minimal, 5, FAILS_ON_REVERT);
        assertNotNull(before.first("test-no-revert"));

        String yaml = ScenarioYaml.write(minimal, List.of("a minimal failing scenario", "reproduce: ./replisim run it --seed 5"));
        assertTrue(yaml.startsWith("# a minimal failing scenario\n# reproduce"), yaml);
        assertTrue(yaml.contains("at: 20m34s"), yaml);
        assertTrue(yaml.contains("rate: 256KiB/min"), yaml);
        assertTrue(yaml.contains("size: 16MiB"), yaml);
        Scenario loaded = new ScenarioLoader().parse(Path.of("minimal.yaml"), yaml);
        assertEquals(minimal, loaded);

        CheckedRun after = CheckedRun.of(loaded, loaded.effectiveSeed(), FAILS_ON_REVERT);
        assertEquals(before.violations(), after.violations());
        assertEquals(before.trace().stream().map(TraceLine::text).toList(), after.trace().stream().map(TraceLine::text).toList(),
                "the same scenario and seed give the same trace");
    }

    @Test
    void aCrashIsTheSameFailureOnlyWhenTheSameExceptionComesFromTheSamePlace() {
        Violation crash = new Violation(CheckedRun.CRASHED, 70, "the run threw a.B: no memory for vm1 (at x.Y.z(Y.java:3))");
        assertTrue(Shrinker.sameFailure(crash, new Violation(CheckedRun.CRASHED, 9, "the run threw a.B: no memory for vm2 (at x.Y.z(Y.java:3))")));
        assertFalse(Shrinker.sameFailure(crash, new Violation(CheckedRun.CRASHED, 9, "the run threw a.C: no memory for vm1 (at x.Y.z(Y.java:3))")));
        assertFalse(Shrinker.sameFailure(crash, new Violation(CheckedRun.CRASHED, 9, "the run threw a.B: no memory for vm1 (at x.Y.q(Y.java:8))")));
        assertTrue(Shrinker.sameFailure(new Violation("retry-ladder", 3, "one"), new Violation("retry-ladder", 5, "another")));
        assertFalse(Shrinker.sameFailure(new Violation("retry-ladder", 3, "one"), new Violation("no-data-loss", 3, "one")));
    }

    @Test
    void theStepsRemoveOneThingAtATime() {
        List<Shrinker.Step> steps = Shrinker.steps(NOISY);
        assertEquals(4 + 1 + 1 + 2 + 2, steps.size(), steps.stream().map(Shrinker.Step::description).toList().toString());
        // app01 writes 256 KiB/min of the 384: without it, a third of the 20 Mbps link
        Scenario withoutItsShare = Shrinker.withoutVmAndItsShare(NOISY, "app01");
        assertEquals(6_665_000, withoutItsShare.site().uplink().bandwidth().bitsPerSecond());
        assertEquals(List.of("app02"), withoutItsShare.site().hosts().get(0).vms().stream().map(Site.Vm::name).toList());
        Scenario withoutApp02 = Shrinker.withoutVm(NOISY, "app02");
        assertEquals(3, withoutApp02.faults().size(), "the fault on app02 goes with it");
        assertEquals(1, withoutApp02.actions().size());
    }

    /** "Fails" whenever a log of a disk named data was switched: the failure needs that disk and nothing else of the shape. */
    static final TraceChecker FAILS_ON_DATA_DISK = trace -> {
        for (TraceLine l : trace.trace()) {
            if (l.is("log.switched") && "data".equals(l.str("disk"))) {
                return List.of(new Violation("test-no-data-disk", l.seq(), l.vm() + "/data logged"));
            }
        }
        return List.of();
    };

    private static final Scenario BIG_SHAPE = Tiny.parse("""
            name: big-shape
            seed: 1
            start: 2026-01-05T08:00:00+01:00
            duration: 2h
            fidelity: model
            policy: { copyFrequency: 5m }
            site:
              kind: vmm-cloud
              name: cloud1
              uplink: { bandwidth: 20Mbps, throttle: { workHours: "Mon-Fri 09:00-18:00", workHoursBandwidth: 4Mbps } }
              hosts:
                - name: hv01
                  volume: 1GiB
                  vms:
                    - name: vm01
                      disks: [ { name: os, size: 16MiB, churn: { rate: 256KiB/min, zipf: { exponent: 1.2 } } } ]
                    - name: vm02
                      disks:
                        - { name: os, size: 16MiB, churn: { rate: 128KiB/min } }
                        - name: data
                          size: 32MiB
                          churn:
                            rate: 512KiB/min
                            hotspot: 0.1
                            hotShare: 0.9
                            hourly: [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]
                            bursts: [ { name: backup, at: "08:30", for: 20m, rate: 2MiB/min } ]
                        - { name: logs, size: 8MiB, churn: { rate: 64KiB/min, hotspot: 1.0 } }
                - name: hv02
                  volume: 1GiB
                  vms:
                    - name: vm03
                      disks: [ { name: os, size: 24MiB, used: 4MiB, churn: { rate: 256KiB/min } } ]
            faults:
              - { at: 30m, kind: network-outage, for: 10m }
              - { at: 50m, kind: vhd-changed-offline, vm: vm02, disk: logs }
            """);

    @Test
    void shrinkingReducesTheShapeToTheHostVmDiskAndPlainWorkloadTheFailureNeeds() {
        CheckedRun failing = CheckedRun.of(BIG_SHAPE, 3, FAILS_ON_DATA_DISK);
        assertEquals(1, failing.violations().size(), failing.violations().toString());
        List<String> steps = new ArrayList<>();
        Shrinker.Result r = new Shrinker(FAILS_ON_DATA_DISK, (step, kept, current) -> steps.add(step + (kept ? " (kept)" : "")))
                .shrink(failing, failing.violations().get(0));
        Scenario minimal = r.minimal().scenario();
        assertEquals(List.of(), minimal.faults(), steps.toString());
        assertEquals(1, minimal.site().hosts().size(), steps.toString());
        Site.Vm vm = minimal.site().hosts().get(0).vms().get(0);
        assertEquals(1, minimal.site().hosts().get(0).vms().size(), steps.toString());
        assertEquals("vm02", vm.name());
        assertEquals(List.of("data"), vm.disks().stream().map(Site.Disk::name).toList(), steps.toString());
        Site.Churn churn = vm.disks().get(0).churn();
        assertEquals(List.of(), churn.bursts(), steps.toString());
        assertEquals(List.of(), churn.hourly(), steps.toString());
        assertEquals(null, churn.hotspot(), steps.toString());
        assertEquals(null, minimal.site().uplink().throttle(), steps.toString());
        assertEquals(Site.Kind.VMM_CLOUD, minimal.site().kind(), "the site's kind is not a size to shrink");
        assertTrue(minimal.duration().compareTo(Duration.ofMinutes(30)) <= 0, minimal.duration() + ": " + steps);
        assertTrue(steps.contains("remove host hv02 with its VMs (kept)"), steps.toString());
    }

    @Test
    void removingADiskTakesTheFaultsOnItAlong() {
        List<Shrinker.Step> steps = Shrinker.steps(BIG_SHAPE);
        Scenario withoutLogs = steps.stream().filter(st -> st.description().equals("remove disk logs of vm02")).findFirst()
                .orElseThrow().scenario();
        assertEquals(1, withoutLogs.faults().size(), "the vhd-changed-offline of vm02/logs goes with the disk");
        assertEquals("network-outage", withoutLogs.faults().get(0).kind());
        assertTrue(steps.stream().noneMatch(st -> st.description().startsWith("remove disk os of vm01")), "a VM keeps one disk");
        Scenario allocated = steps.stream().filter(st -> st.description().equals("allocate all of vm03/os (no used)")).findFirst()
                .orElseThrow().scenario();
        assertEquals(null, allocated.site().hosts().get(1).vms().get(0).disks().get(0).used());
    }
}
