package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Long transfers tell their progress: a transfer.progress each time they cross tenths of their bytes. */
class TransferProgressTest {

    @Test
    void anInitialCopyToldItsProgressAsItCrossedTenthsAndItsRate() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("30m", "").replace("size: 16MiB", "size: 64MiB"));
        JsonNode started = run.ofType("transfer.started").stream().filter(t -> t.get("kind").asText().equals("initial"))
                .findFirst().orElseThrow();
        JsonNode finished = run.ofType("transfer.finished").stream().filter(t -> t.get("kind").asText().equals("initial"))
                .findFirst().orElseThrow();
        List<JsonNode> progress = run.ofType("transfer.progress");
        long total = 64L << 20;
        // 16 pieces of 4 MiB, four at a time: four instants, the last of which is the whole (transfer.finished)
        assertEquals(3, progress.size(), progress.toString());
        long previousTenth = 0;
        for (JsonNode p : progress) {
            assertEquals("ir/vm1/os", p.get("transfer").asText());
            assertEquals(total, p.get("bytes").asLong());
            long tenth = p.get("bytesDone").asLong() * 10 / total;
            assertTrue(tenth > previousTenth && tenth < 10, p.toString());
            previousTenth = tenth;
            assertTrue(run.at(p).compareTo(run.at(started)) > 0 && run.at(p).compareTo(run.at(finished)) <= 0);
        }
        assertEquals(List.of(16L << 20, 32L << 20, 48L << 20), progress.stream().map(p -> p.get("bytesDone").asLong()).toList());
        // the rate between the first and the last told: the uplink's 20 Mbps, shared with nothing
        JsonNode first = progress.get(0);
        JsonNode last = progress.get(progress.size() - 1);
        double seconds = run.at(last).minus(run.at(first)).toNanos() / 1e9;
        double mbps = (last.get("bytesDone").asLong() - first.get("bytesDone").asLong()) * 8 / seconds / 1e6;
        assertEquals(20.0, mbps, 0.01);
    }

    @Test
    void aResyncToldItsProgressToo() throws Exception {
        RunFixture run = RunFixture.run(RunFixture.small("3h", """
                resync: { officeHours: "Sat 00:00-01:00", blockSize: 64KiB }
                faults:
                  - { at: 1h, kind: vm-reverted, vm: vm1 }
                """).replace("size: 16MiB", "size: 64MiB"));
        List<JsonNode> progress = run.ofType("transfer.progress").stream()
                .filter(p -> p.get("kind").asText().equals("resync")).toList();
        assertTrue(!progress.isEmpty() && progress.size() <= 9, progress.toString());
        assertTrue(run.at(progress.get(0)).compareTo(Duration.ofHours(1)) > 0);
    }
}
