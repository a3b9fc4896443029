package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a scenario's faults strike, and when they end: the site's uplink, one VM, the disks named. */
class FaultStrikeTest {

    private static List<String> at(RunFixture run, List<JsonNode> events, String field) {
        return events.stream().map(e -> run.at(e) + " " + e.get(field).asText()).toList();
    }

    @Test
    void overlappingOutagesKeepTheLinkDownUntilTheLastEnds() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 30m, kind: network-outage, for: 20m }
                  - { at: 40m, kind: network-outage, for: 20m }
                """));
        assertEquals(List.of("PT0S start", "PT30M outage", "PT40M outage", "PT1H restored"),
                at(run, run.ofType("uplink.capacity"), "reason"));
        assertEquals(List.of("PT50M network-outage", "PT1H network-outage"), at(run, run.ofType("fault.cleared"), "kind"));
        assertEquals(20_000_000, run.ofType("uplink.capacity").get(3).get("bitsPerSecond").asLong());
    }

    @Test
    void aRevertOfAVmThatIsGoneCannotStrikeAndClearsAtOnce() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("2h", """
                faults:
                  - { at: 30m, kind: vm-not-found, vm: vm1, for: 20m }
                  - { at: 35m, kind: vm-reverted, vm: vm1 }
                """));
        assertEquals(List.of("PT35M vm-reverted", "PT50M vm-not-found"), at(run, run.ofType("fault.cleared"), "kind"));
    }

    @Test
    void aVhdChangedOfflineChangesTheDisksItNames() throws Exception {
        // no disk: every disk of the VM; bytes alone: the VM's first disk; a disk: that one; bytes: that much
        RunFixture run = RunFixture.run(RunFixture.withVms(RunFixture.small("2h", """
                faults:
                  - { at: 30m, kind: vhd-changed-offline, vm: vm2 }
                  - { at: 30m, kind: vhd-changed-offline, vm: vm3, bytes: 2MiB }
                  - { at: 30m, kind: vhd-changed-offline, vm: vm4, disk: data, bytes: 64KiB }
                """), """
                - name: vm2
                  disks:
                    - { name: sys, size: 16MiB }
                    - { name: scratch, size: 16MiB }
                - name: vm3
                  disks:
                    - { name: boot, size: 16MiB }
                    - { name: logs, size: 16MiB }
                - name: vm4
                  disks:
                    - { name: os, size: 16MiB }
                    - { name: data, size: 16MiB }
                """));
        assertEquals(List.of("resync/vm2/sys", "resync/vm2/scratch", "resync/vm3/boot", "resync/vm4/data"),
                run.ofType("transfer.started").stream().filter(t -> t.get("kind").asText().equals("resync"))
                        .map(t -> t.get("transfer").asText()).toList());
        assertEquals(Duration.ofMinutes(30), run.at(run.ofType("resync.started").get(0)));
        JsonNode vm4 = run.ofType("resync.finished").stream().filter(r -> r.get("vm").asText().equals("vm4")).findFirst().orElseThrow();
        assertEquals(1, vm4.get("blocksSent").asInt(), "one 64 KiB write changes one block, not the default 1 MiB: " + vm4);
        run.record.vms().forEach(vm -> vm.disks().forEach(d -> assertEquals(true, d.matches(), vm.vm() + " " + d)));
    }
}
