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
        // the copy's own figures: the used bytes (the whole disk here), its duration, and initial replication's
        assertEquals(total, run.ofType("ir.started").get(0).get("diskBytes").asLong());
        assertEquals(run.at(finished).minus(run.at(started)), Duration.parse(finished.get("duration").asText()));
        JsonNode ir = run.ofType("ir.finished").get(0);
        assertEquals(total, ir.get("bytesSent").asLong());
        assertEquals(run.at(ir).minus(run.at(run.ofType("ir.started").get(0))), Duration.parse(ir.get("duration").asText()));
        // it ends as the checkpoint merges: Replicating, with the first recovery point, at once
        JsonNode merged = run.ofType("checkpoint.merged").get(0);
        assertEquals(run.ofType("checkpoint.created").get(0).get("checkpoint"), merged.get("checkpoint"));
        JsonNode replicating = run.ofType("vm.state").stream().filter(v -> v.get("to").asText().equals("Replicating")).findFirst().orElseThrow();
        JsonNode point = run.ofType("recovery-point.created").get(0);
        assertEquals(List.of(run.at(ir), run.at(ir), run.at(ir)), List.of(run.at(merged), run.at(replicating), run.at(point)));
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
