package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.replisim.simulator.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The .hrl logs on their way to Azure: uploaded once, applied disk by disk in sequence, then gone. */
class LogShippingTest {

    /** One VM, a busy os disk and an idle data disk: each cycle seals a log of each. */
    private static final String TWO_DISKS = RunFixture.small("2h", "").replace(
            "- { name: os, size: 16MiB, churn: { rate: 256KiB/min } }\n",
            "- { name: os, size: 16MiB, churn: { rate: 256KiB/min } }\n            - { name: data, size: 16MiB }\n");

    @Test
    void aLogThatArrivedIsNotSentAgainWhenItsBatchFails() throws Exception {
        // the cycle of 8:31:13.42 sends os/7 (1.3 MB, half a second) and data/7 (76 bytes, at once); the outage
        // comes between, and lasts over the first retry, whose logs of sequence 8 fail too
        RunFixture run = RunFixture.run(TWO_DISKS + """
                faults:
                  - { at: 31m13500ms, kind: network-outage, for: 2m }
                """);
        List<JsonNode> failed = run.ofType("transfer.failed");
        assertEquals(List.of("log/vm1/os/7 NetworkError", "log/vm1/os/7 NetworkError", "log/vm1/os/8 NetworkError",
                        "log/vm1/data/8 NetworkError"),
                failed.stream().map(f -> f.get("transfer").asText() + " " + f.get("reason").asText()).toList());
        Map<String, Long> arrived = run.ofType("transfer.finished").stream().filter(t -> t.get("kind").asText().equals("log"))
                .collect(Collectors.groupingBy(t -> t.get("transfer").asText(), TreeMap::new, Collectors.counting()));
        assertTrue(arrived.containsKey("log/vm1/data/7"));
        assertTrue(arrived.values().stream().allMatch(n -> n == 1), "each log arrives once: " + arrived);
        // the retry's batch holds two logs of each disk: applied disk by disk, each disk's in sequence
        List<String> applied = run.ofType("log.applied").stream()
                .filter(a -> a.get("sequence").asInt() == 7 || a.get("sequence").asInt() == 8)
                .map(a -> a.get("disk").asText() + "/" + a.get("sequence").asText()).toList();
        assertEquals(List.of("os/7", "os/8", "data/7", "data/8"), applied);
        assertTrue(run.record.vms().get(0).disks().stream().allMatch(d -> d.matches()));
    }

    @Test
    void theSummaryCountsEveryLogShippedAndItsBytes() throws Exception {
        RunFixture run = RunFixture.run(TWO_DISKS);
        List<JsonNode> shipped = run.ofType("transfer.finished").stream().filter(t -> t.get("kind").asText().equals("log")).toList();
        assertTrue(shipped.size() > 40, "two logs a cycle");
        assertEquals(shipped.size(), run.record.vms().get(0).logsShipped());
        assertEquals(shipped.stream().mapToLong(t -> t.get("bytes").asLong()).sum(), run.record.vms().get(0).logBytesShipped());
    }

    @Test
    void anAppliedLogLeavesNothingInTheLogContainer() throws Exception {
        // at every recovery point, the cycle's logs are applied: their blobs must be gone
        List<String> left = new ArrayList<>();
        int[] points = new int[1];
        RunFixture.run(TWO_DISKS, fakes -> r -> {
            if (r.event() instanceof TraceEvent.RecoveryPointCreated) {
                points[0]++;
                fakes.storage().listBlobs(LogShipping.LOG_CONTAINER, "").forEach(b -> left.add(b.name()));
            }
        });
        assertTrue(points[0] > 20, "a point a cycle");
        assertEquals(List.of(), left);
    }

    @Test
    void thePeakOfPendingLogsHoldsAtLeastEveryLogASwitchSealed() throws Exception {
        // what a planner sizes the log volume by: the logs one switch seals stay on the volume until applied
        var scenario = new io.replisim.simulator.scenario.ScenarioLoader().parse(java.nio.file.Path.of("test.yaml"), TWO_DISKS);
        java.io.StringWriter trace = new java.io.StringWriter();
        var run = io.replisim.simulator.run.Simulator.execute(scenario,
                io.replisim.simulator.run.RunOptions.withSeed(scenario.effectiveSeed()).trace(trace));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, Long> sealedAt = new TreeMap<>();
        for (String line : trace.toString().lines().toList()) {
            JsonNode e = json.readTree(line);
            if (e.get("type").asText().equals("log.switched")) {
                sealedAt.merge(e.get("t").asText(), e.get("bytes").asLong(), Long::sum);
            }
        }
        long mostSealedAtOnce = sealedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(mostSealedAtOnce > 1_000_000, "a cycle's logs: " + mostSealedAtOnce);
        long peak = run.outcomes().get(0).peakPendingLogBytes();
        assertTrue(peak >= mostSealedAtOnce, "peak " + peak + " below the " + mostSealedAtOnce + " bytes one switch sealed");
    }

    /** A 256 MiB disk changed offline at 30m: its resync sends blocks until 8:30:19.29, then the log of 64 KiB written meanwhile. */
    private static RunFixture resyncWith(String more) throws Exception {
        return RunFixture.run(RunFixture.small("1h", """
                faults:
                  - { at: 30m, kind: vhd-changed-offline, vm: vm1 }
                """ + more).replace("size: 16MiB", "size: 256MiB"));
    }

    @Test
    void aResyncWhoseLogsArriveOnARetryIsHealthyAgainAtOnce() throws Exception {
        // the outage cuts the resync's log upload: the retry a minute later ships it, and that progress ends the warning
        RunFixture run = resyncWith("""
                  - { at: 30m19300ms, kind: network-outage, for: 30s }
                """);
        assertEquals(List.of("log/vm1/os/8"), run.ofType("transfer.failed").stream().map(f -> f.get("transfer").asText()).toList());
        JsonNode finished = run.ofType("resync.finished").get(0);
        JsonNode normal = run.ofType("vm.health").stream().filter(h -> h.get("to").asText().equals("Normal")).reduce((a, b) -> b).orElseThrow();
        assertEquals(run.at(finished), run.at(normal), "Normal when the resync finished: " + run.ofType("vm.health"));
    }

    @Test
    void aResyncResumedAfterItsLogsWereAppliedFinishesWithNothingToSend() throws Exception {
        // the VM is gone from the moment the resync's log is on its way: the log is applied, the resync cannot end;
        // the administrator's resume finishes it with nothing left to ship
        RunFixture run = resyncWith("""
                  - { at: 30m19300ms, kind: vm-not-found, vm: vm1, for: 2m }
                actions:
                  - { at: 35m, do: resume, vm: vm1 }
                """);
        assertEquals("VmNotFound", run.ofType("error").get(0).get("code").asText());
        assertEquals(java.time.Duration.ofMinutes(35), run.at(run.ofType("resync.finished").get(0)));
        assertEquals(1, run.ofType("transfer.started").stream().filter(t -> t.get("transfer").asText().equals("log/vm1/os/8")).count());
        assertEquals("Replicating", run.record.vms().get(0).finalState());
    }

    @Test
    void aSwitchThatFailsHalfWayTellsTheLogsItSealed() throws Exception {
        // the volume full at the switch of 8:31: the next logs are not opened; the os disk's guest writes reopen
        // its log in the gap; full again at 8:36, the switch seals os's log, then cannot create data's
        RunFixture run = RunFixture.run(TWO_DISKS.replace("duration: 2h", "duration: 1h") + """
                faults:
                  - { at: 30m, kind: low-disk-space, host: hv01, for: 3m }
                  - { at: 35m, kind: low-disk-space, host: hv01, for: 3m }
                """);
        java.time.Duration halfWay = java.time.Duration.parse("PT36M13.4217728S");
        assertEquals(List.of("os/8"), run.ofType("log.switched").stream().filter(l -> run.at(l).equals(halfWay))
                .map(l -> l.get("disk").asText() + "/" + l.get("sequence").asText()).toList());
        assertTrue(run.ofType("error").stream().anyMatch(e -> run.at(e).equals(halfWay) && e.get("code").asText().equals("LowDiskSpace")));
        assertTrue(run.record.vms().get(0).disks().stream().allMatch(d -> d.matches()));
    }
}
