package io.replisim.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {
    private static final Path FILE = Path.of("broken.yaml");

    static final String VALID = """
            name: tiny
            seed: 7
            start: 2026-01-05T08:00:00+01:00
            duration: 30m
            policy: { copyFrequency: 5m, retention: 2h, appConsistentEvery: 1h }
            site:
              uplink: { bandwidth: 50Mbps }
              hosts:
                - name: hv01
                  volume: 1GiB
                  vms:
                    - name: vm1
                      disks:
                        - { name: os, size: 16MiB, churn: { rate: 1MiB/min } }
            expect:
              - { vm: vm1, state: Replicating, by: 10m }
              - { replicaMatchesSource: true }
            """;

    private final ScenarioLoader loader = new ScenarioLoader();

    @Test
    void aValidFileBindsWithItsUnits() throws ScenarioException {
        Scenario s = loader.parse(FILE, VALID);
        assertEquals("tiny", s.name());
        assertEquals(7L, s.effectiveSeed());
        assertEquals(Duration.ofMinutes(30), s.duration());
        assertEquals(50_000_000L, s.site().uplink().bandwidth().bitsPerSecond());
        assertEquals(16L << 20, s.site().hosts().get(0).vms().get(0).disks().get(0).size().bytes());
        assertEquals((1L << 20) / 60, s.site().hosts().get(0).vms().get(0).disks().get(0).churn().rate().bytesPerSecond());
        assertEquals(Fidelity.BYTES, s.effectiveFidelity());
        assertEquals("+01:00", s.effectiveZone().getId());
    }

    /** Each row: a replacement applied to the valid file, then line, column, field path and words of the message. */
    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                Arguments.of("duration: 30m", "duration: 30 minutes", 4, 11, "duration", "is not a duration such as"),
                Arguments.of("duration: 30m", "durration: 30m", 4, 1, "durration", "unknown field 'durration'; expected one of:"),
                Arguments.of("bandwidth: 50Mbps", "bandwidth: 50MB", 7, 24, "site.uplink.bandwidth", "is not a bandwidth"),
                Arguments.of("size: 16MiB", "size: 16 MiBs", 14, 33, "site.hosts[0].vms[0].disks[0].size", "is not a size"),
                Arguments.of("size: 16MiB", "size: 1000KiB", 14, 33, "site.hosts[0].vms[0].disks[0].size", "whole number of MiB"),
                // the message quotes what the file says and names the nearest valid sizes
                Arguments.of("size: 16MiB", "size: 80GB", 14, 33, "site.hosts[0].vms[0].disks[0].size",
                        "'80GB' is 80000000000 bytes, not a whole number of MiB (Hyper-V sizes VHDX disks in MiB): the nearest are"
                                + " 76293MiB and 76294MiB"),
                Arguments.of("seed: 7", "seed: seven", 2, 7, "seed", "is not a whole number"),
                Arguments.of("copyFrequency: 5m", "copyFrequency: 10m", 5, 26, "policy.copyFrequency", "is not one of 30s, 5m, 15m"),
                Arguments.of("appConsistentEvery: 1h", "appConsistentEvery: 3h", 5, 65, "policy.appConsistentEvery", "exceeds"),
                Arguments.of("state: Replicating", "state: Happy", 16, 23, "expect[0].state", "is not a replication state"),
                Arguments.of("vm: vm1, state", "vm: vm9, state", 16, 11, "expect[0].vm", "no VM named 'vm9'"),
                Arguments.of("by: 10m }", "by: 10m, after: 10m }", 16, 52, "expect[0].after", "must be earlier than 'by' (10m)"),
                Arguments.of("replicaMatchesSource: true }", "replicaMatchesSource: true, after: 5m }", 17, 42, "expect[1].after",
                        "'after' goes with 'state'"),
                Arguments.of("name: hv01", "name: hv 01", 9, 13, "site.hosts[0].name", "is not a name"),
                Arguments.of("start: 2026-01-05T08:00:00+01:00\n", "", 1, 1, "start", "missing"),
                Arguments.of("rate: 1MiB/min", "rate: fast", 14, 55, "site.hosts[0].vms[0].disks[0].churn.rate", "is not a data rate"),
                Arguments.of("hosts:", "hosts: 3\n  hostz:", 8, 10, "site.hosts", "expected a list"),
                Arguments.of("fidelity", "fidelity", 0, 0, "", ""), // placeholder replaced below
                Arguments.of("name: tiny", "name: tiny\nname: again", 2, 5, "", "'name' appears twice in this mapping"),
                // YAML syntax errors in words, not the parser's
                Arguments.of("seed: 7", "  seed: 7", 2, 7, "", "YAML syntax: a ':' where this line cannot have one: indent the line"),
                Arguments.of("name: tiny", "name: \"tiny", 1, 7, "", "YAML syntax: a quoted value is not closed"),
                Arguments.of("  uplink: { bandwidth: 50Mbps }", "  uplink: { bandwidth: 50Mbps ]", 7, 11, "",
                        "YAML syntax: the '{ ... }' opened here is not closed"),
                Arguments.of("  hosts:", "\thosts:", 8, 1, "", "YAML syntax: a tab: YAML indents with spaces only"),
                // a missing CSV profile, at the line that names it
                Arguments.of("uplink: { bandwidth: 50Mbps }", "uplink: { profile: nosuch.csv }", 7, 22, "site.uplink.profile",
                        "'nosuch.csv': no such file (looked for "),
                // a fault or an action that would never happen
                Arguments.of("expect:", "faults: [ { at: 30m, kind: network-outage, for: 5m } ]\nexpect:", 15, 17, "faults[0].at",
                        "'30m' is not before the end of the workload (duration 30m): a fault that starts once the workload has stopped"),
                Arguments.of("expect:", "actions: [ { at: 31d, do: resume, vm: vm1 } ]\nexpect:", 15, 18, "actions[0].at",
                        "is not before the run's latest end (the duration 30m plus the longest drain, 30d)"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("brokenFiles")
    void brokenFilesAreReportedWithLineColumnFieldAndExpectation(String from, String to, int line, int column,
                                                                 String path, String words) {
        if (from.equals("fidelity")) {
            from = "duration: 30m";
            to = "duration: 30m\nfidelity: exact";
            line = 5;
            column = 11;
            path = "fidelity";
            words = "'exact' is not one of: bytes, model, flow";
        }
        String text = VALID.replace(from, to);
        ScenarioException e = assertThrows(ScenarioException.class, () -> loader.parse(FILE, text));
        ScenarioError error = e.errors().get(0);
        String where = error.format();
        assertEquals(FILE, error.file(), where);
        assertEquals(path, error.fieldPath(), where);
        assertTrue(error.message().contains(words), where);
        assertEquals(line, error.line(), where);
        assertEquals(column, error.column(), where);
        assertTrue(where.startsWith("broken.yaml:" + line + ":" + column + ": "), where);
    }

    static Stream<Arguments> requestCounts() {
        return Stream.of(
                Arguments.of("{ at: 5m, kind: storage-unavailable, requests: 0 }", "faults[0].requests", "at least 1"),
                Arguments.of("{ at: 5m, kind: low-memory, host: hv01, requests: 3 }", "faults[0].requests",
                        "'requests' goes with a storage fault (storage-unavailable, authentication-failure,"
                                + " storage-internal-error, storage-connection-reset, storage-slow)"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("requestCounts")
    void aCountOfRequestsGoesWithStorageFaultsOnly(String fault, String path, String words) {
        String text = VALID + "faults:\n  - " + fault + "\n";
        ScenarioException e = assertThrows(ScenarioException.class, () -> loader.parse(FILE, text));
        ScenarioError error = e.errors().get(0);
        assertEquals(path, error.fieldPath(), error.format());
        assertTrue(error.message().contains(words), error.format());
    }

    @Test
    void aBurstOfRequestsBinds() throws ScenarioException {
        Scenario s = loader.parse(FILE, VALID + "faults:\n  - { at: 5m, kind: storage-internal-error, requests: 3 }\n");
        assertEquals(3, s.faults().get(0).requests());
    }

    @Test
    void anEmptyFileSaysWhatIsExpected() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> loader.parse(FILE, ""));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> loader.load(Path.of("no/such/file.yaml")));
        assertEquals("no/such/file.yaml: file not found", e.errors().get(0).format());
    }

    @Test
    void invalidYamlSyntaxIsLocated() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> loader.parse(FILE, "name: a\nsite: { uplink: [ }\n"));
        assertEquals(2, e.errors().get(0).line(), e.getMessage());
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        String text = VALID.replace("size: 16MiB", "size: 3MiB500KiB").replace("state: Replicating", "state: Happy");
        // a unit error stops binding; fix it and two semantic problems remain, both reported
        ScenarioException unit = assertThrows(ScenarioException.class, () -> loader.parse(FILE, text));
        assertEquals(1, unit.errors().size());
        String semantic = VALID.replace("size: 16MiB", "size: 1000KiB").replace("state: Replicating", "state: Happy");
        ScenarioException e = assertThrows(ScenarioException.class, () -> loader.parse(FILE, semantic));
        assertEquals(2, e.errors().size(), e.getMessage());
    }
}
