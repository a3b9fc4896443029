package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replisim.simulator.scenario.DataRate;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.calendar.WeeklyHours;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Scenarios written back as YAML load as the same values. */
class ScenarioYamlTest {
    private static final Path LIBRARY = Path.of("../scenarios/library");

    @TestFactory
    Stream<DynamicTest> everyLibraryScenarioRoundTrips() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(LIBRARY)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ScenarioLoader loader = new ScenarioLoader();
            Scenario original = loader.load(file);
            String yaml = ScenarioYaml.write(original, List.of());
            Scenario back = loader.parse(file, yaml); // the same path: a CSV profile resolves alike
            assertEquals(original, back, yaml);
        }));
    }

    @Test
    void ratesAreWrittenInHumanUnitsThatReadBackExactly() {
        for (String text : new String[] {"1MiB/min", "512KiB/min", "256KiB/min", "2MiB/min", "20GiB/h", "1MiB/s", "100KiB/s"}) {
            DataRate rate = DataRate.parse(text);
            String written = ScenarioYaml.rate(rate);
            assertEquals(rate, DataRate.parse(written), text + " written as " + written);
            assertEquals(text, written);
        }
        assertEquals("25KiB/h", ScenarioYaml.rate(new DataRate(7)), "7 B/s: 25KiB/h reads back as 7 B/s");
        for (long bps = 0; bps < 5000; bps += 7) {
            assertEquals(bps, DataRate.parse(ScenarioYaml.rate(new DataRate(bps))).bytesPerSecond());
        }
    }

    @Test
    void everyFieldOfAHandWrittenScenarioRoundTrips() throws Exception {
        String text = """
                name: all-fields
                seed: 9
                start: 2026-01-05T08:00:00+01:00
                timeZone: Europe/Amsterdam
                duration: 1d2h
                fidelity: model
                policy: { copyFrequency: 30s, retention: 4h, appConsistentEvery: 2h, initialReplicationStart: "22:00" }
                resync: { officeHours: "Mon-Fri 08:00-17:00", blockSize: 512KiB, automatic: false }
                site:
                  kind: vmm-cloud
                  name: cloud1
                  uplink:
                    bandwidth: 50Mbps
                    schedule: [ { hours: "Sat,Sun 00:00-24:00", bandwidth: 100Mbps } ]
                    throttle: { workHours: "Mon-Fri 09:00-18:00", workHoursBandwidth: 10Mbps, offHoursBandwidth: 1023Mbps }
                    latency: 20ms
                    uploadThreads: 8
                  hosts:
                    - name: hv01
                      volume: 8GiB
                      memory: 4GiB
                      vms:
                        - name: sql01
                          disks:
                            - { name: data, size: 2GiB, churn: { rate: 2MiB/min, ioSize: 8KiB, hotspot: 0.1, hotShare: 0.9 } }
                            - { size: 1GiB }
                faults:
                  - { at: 6h, kind: network-outage, for: 3h }
                  - { at: 7h, kind: low-disk-space, for: 1h, host: hv01, bytes: 16MiB }
                  - { at: 8h, kind: vhd-changed-offline, vm: sql01, disk: data, bytes: 1MiB }
                  - { at: 9h, kind: storage-unavailable, requests: 5 }
                actions:
                  - { at: 1d, do: test-failover, vm: sql01, recoveryPoint: latest-app }
                  - { at: 1d1h, do: resume }
                expect:
                  - { vm: sql01, state: Replicating, after: 1h, by: 2h }
                  - { vm: sql01, health: Normal, at: 25h }
                  - { replicaMatchesSource: true }
                  - { vm: sql01, resyncs: 0 }
                  - { retries: { atLeast: 1, atMost: 9 } }
                  - { errors: { atMost: 3 } }
                  - { vm: sql01, rpo: { p50: 1m, p95: 5m, p99: 10m, max: 3h } }
                  - { noDataLoss: true }
                  - { vm: sql01, maxDataLoss: 6m }
                  - { maxBytesSent: 10GiB }
                """;
        ScenarioLoader loader = new ScenarioLoader();
        Scenario original = loader.parse(Path.of("all.yaml"), text);
        String yaml = ScenarioYaml.write(original, List.of());
        assertEquals(original, loader.parse(Path.of("all.yaml"), yaml), yaml);
    }

    @Test
    void weeklyHoursAreWrittenWithDayRanges() {
        assertEquals("Mon-Fri 09:00-18:00", ScenarioYaml.hours(WeeklyHours.parse("Mon-Fri 09:00-18:00")));
        assertEquals("Mon,Tue,Sat,Sun 22:00-06:00", ScenarioYaml.hours(WeeklyHours.parse("Sat,Sun,Mon,Tue 22:00-06:00")));
        assertEquals("Wed 00:00-24:00", ScenarioYaml.hours(WeeklyHours.parse("Wed 00:00-24:00")));
    }
}
