package io.replisim.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.scenario.ChurnCsv;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.scenario.Site;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A disk's churn replayed from a recorded profile: the loader reads it relative to the scenario
 * (once, however many disks share it), the validator keeps it apart from rate and hourly, and a
 * run writes its integral, looping, in model and flow fidelity alike.
 */
class ChurnProfileRunTest {
    private static final String SCENARIO = """
            name: churn-profile
            seed: 3
            start: 2026-01-05T08:00:00+01:00
            duration: 2h
            fidelity: FIDELITY
            policy: { copyFrequency: 5m, retention: 1h, appConsistentEvery: 0h }
            site:
              uplink: { bandwidth: 100Mbps }
              hosts:
                - name: hv01
                  volume: 64GiB
                  vms:
                    - name: vm1
                      disks:
                        - { name: data, size: 1GiB, churn: CHURN }
            """;
    /** 10 kB/s for 20 minutes, 40 kB/s for 10, nothing for 10 (the last row holds as long as the interval before it). */
    private static final String OFFSETS = "time,MBps\n0s,0.01\n20m,0.04\n30m,0\n";
    /** The same recorded a week and more before, on a Monday from 08:00: moved to the start. */
    private static final String DATE_TIMES = "Timestamp,MB/s\n2025-12-22 08:00,0.01\n2025-12-22 08:20,0.04\n2025-12-22T07:30:00Z,0\n";
    /** Per 40-minute loop: 20 min x 10 kB/s + 10 min x 40 kB/s. */
    private static final long LOOP_BYTES = 1200 * 10_000L + 600 * 40_000L;
    private static final long IO = 4096;

    @TempDir
    Path dir;

    private Scenario load(String churn, String fidelity) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, SCENARIO.replace("FIDELITY", fidelity).replace("CHURN", churn));
        return new ScenarioLoader().load(file);
    }

    private static long bytesWritten(Scenario s) throws Exception {
        StringWriter trace = new StringWriter();
        Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).trace(trace));
        ObjectMapper json = new ObjectMapper();
        for (String line : trace.toString().lines().toList()) {
            JsonNode e = json.readTree(line);
            if (e.get("type").asText().equals("workload.stopped")) {
                return e.get("bytesWritten").asLong();
            }
        }
        throw new AssertionError("no workload.stopped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"model", "flow"})
    void aRunWritesTheProfilesIntegralLoopingInWholeIos(String fidelity) throws Exception {
        Files.writeString(dir.resolve("offsets.csv"), OFFSETS);
        Files.writeString(dir.resolve("dated.csv"), DATE_TIMES);
        long due = 3 * LOOP_BYTES; // two hours: three loops
        long expected = due / IO * IO;
        assertEquals(expected, bytesWritten(load("{ profile: offsets.csv, ioSize: 4KiB }", fidelity)));
        assertEquals(expected, bytesWritten(load("{ profile: dated.csv, ioSize: 4KiB }", fidelity)), "date-times moved to the start");
        // a burst adds to the profile: 08:50-09:00 at 600kB a minute
        long withBurst = (due + 600 * 10_000L) / IO * IO;
        assertEquals(withBurst, bytesWritten(load("{ profile: offsets.csv, ioSize: 4KiB, bursts: [{ name: b, at: \"08:50\","
                + " for: 10m, rate: 600kB/min }] }", fidelity)));
    }

    @Test
    void fleetDisksShareOneReadingOfTheirProfile() throws Exception {
        Files.writeString(dir.resolve("offsets.csv"), OFFSETS);
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, withoutHosts() + """
                  fleet:
                    - { hosts: 2, hostName: "hv{0}", vmsPerHost: 3, vmName: "vm{00}",
                        disks: [{ name: data, size: 1GiB, churn: { profile: offsets.csv, ioSize: 4KiB } }] }
                """);
        Scenario s = new ScenarioLoader().load(file);
        List<Site.Disk> disks = s.site().hosts().stream().flatMap(h -> h.vms().stream()).flatMap(v -> v.disks().stream()).toList();
        assertEquals(6, disks.size());
        ChurnCsv.Series first = disks.get(0).churn().series();
        assertNotNull(first);
        for (Site.Disk d : disks) {
            assertSame(first, d.churn().series(), "read once");
        }
        assertEquals(6 * (3 * LOOP_BYTES / IO * IO), bytesWritten(s));
    }

    @Test
    void aProfileGoesWithoutRateOrHourlyAndIsReadRelativeToTheScenario() throws Exception {
        Files.writeString(dir.resolve("offsets.csv"), OFFSETS);
        assertEquals(List.of("site.hosts[0].vms[0].disks[0].churn.rate: give either a rate or a profile, not both"),
                messages("{ profile: offsets.csv, rate: 1MiB/min }"));
        assertEquals(List.of("site.hosts[0].vms[0].disks[0].churn.hourly: give either hourly or a profile, not both:"
                + " the profile is the rate hour by hour"), messages("{ profile: offsets.csv, hourly: [" + "1, ".repeat(23) + "1] }"));
        assertEquals(List.of("site.hosts[0].vms[0].disks[0].churn.rate: missing; expected a data rate such as 512KiB/s,"
                + " 2MiB/min or 20GiB/h, or a profile (a CSV file of the rate over time)"), messages("{ ioSize: 4KiB }"));
        Files.writeString(dir.resolve("bad.csv"), "time,MBps\n0s,1\n10m,x\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> load("{ profile: bad.csv }", "model"));
        assertEquals(dir.resolve("bad.csv") + ":3:5: field 'MBps': 'x' is not a number of MB/s (10^6 bytes a second) such as 2.5",
                e.errors().get(0).format());
    }

    @Test
    void aFleetTemplatesProfileAndRateAreReportedAtTheTemplateAndAnInventoryTakesNoProfile() throws Exception {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, withoutHosts() + """
                  fleet:
                    - { hosts: 1, hostName: "hv{0}", vmsPerHost: 2, vmName: "vm{0}",
                        disks: [{ name: data, size: 1GiB, churn: { profile: offsets.csv, rate: 1MiB/min } }] }
                """);
        ScenarioException e = assertThrows(ScenarioException.class, () -> new ScenarioLoader().load(file));
        assertEquals(List.of("site.fleet[0].disks[0].churn.rate: give either a rate or a profile, not both"),
                e.errors().stream().map(ChurnProfileRunTest::pathAndMessage).toList());
        Files.writeString(dir.resolve("inventory.csv"), "host,vm,disk,size,churn\nhv1,vm1,os,1GiB,1\n");
        Files.writeString(file, withoutHosts() + "  inventory: { file: inventory.csv, churn: { profile: offsets.csv } }\n");
        e = assertThrows(ScenarioException.class, () -> new ScenarioLoader().load(file));
        assertTrue(e.getMessage().contains("site.inventory.churn.profile: each row gives its own rate"), e.getMessage());
    }

    /** The scenario in flow fidelity up to its hosts: what a fleet or an inventory adds to. */
    private static String withoutHosts() {
        String s = SCENARIO.replace("FIDELITY", "flow");
        return s.substring(0, s.indexOf("  hosts:"));
    }

    private List<String> messages(String churn) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> load(churn, "model"));
        return e.errors().stream().map(ChurnProfileRunTest::pathAndMessage).toList();
    }

    private static String pathAndMessage(ScenarioError e) {
        return e.fieldPath() + ": " + e.message();
    }
}
