package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recovery points (docs/domain.md): one per cycle, app-consistent on the policy's schedule, pruned by retention. */
class RecoveryPointTest {
    /** 5-minute copies, 2 hours of retention, an app-consistent point every hour, for 5 hours. */
    private static final String FIVE_HOURS = RunFixture.small("5h", "");

    private static OffsetDateTime pointInTime(JsonNode created) {
        return OffsetDateTime.parse(created.get("pointInTime").asText());
    }

    @Test
    void pointsOlderThanTheRetentionGoWhenTheNextIsMadeAndNoneYounger() throws Exception {
        RunFixture run = RunFixture.run(FIVE_HOURS);
        Duration retention = Duration.ofHours(2);
        Map<String, OffsetDateTime> alive = new LinkedHashMap<>();
        int pruned = 0;
        List<JsonNode> events = run.events.stream().filter(e -> e.get("type").asText().startsWith("recovery-point.")).toList();
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            OffsetDateTime now = OffsetDateTime.parse(e.get("t").asText());
            String id = e.get("recoveryPoint").asText();
            if (e.get("type").asText().equals("recovery-point.created")) {
                alive.put(id, pointInTime(e));
            } else {
                OffsetDateTime time = alive.remove(id);
                assertTrue(Duration.between(time, now).compareTo(retention) > 0, id + " pruned within the retention, at " + now);
                pruned++;
            }
            boolean lastAtThisTime = i + 1 == events.size() || !events.get(i + 1).get("t").asText().equals(e.get("t").asText());
            if (lastAtThisTime) {
                assertFalse(alive.isEmpty(), "the newest point is always kept");
                List<OffsetDateTime> times = List.copyOf(alive.values());
                for (OffsetDateTime t : times.subList(0, times.size() - 1)) {
                    assertTrue(Duration.between(t, now).compareTo(retention) <= 0, "a point of " + t + " outlived the retention at " + now);
                }
            }
        }
        // 5-minute points from the end of initial replication: every one older than 2 hours is gone by the end
        assertTrue(pruned >= 24, pruned + " points pruned");
    }

    @Test
    void thePointAnHourOrMoreAfterTheLastAppConsistentOneIsAppConsistent() throws Exception {
        RunFixture run = RunFixture.run(FIVE_HOURS);
        List<JsonNode> created = run.ofType("recovery-point.created");
        assertEquals("app", created.get(0).get("consistency").asText(), "the first point is app-consistent");
        OffsetDateTime lastApp = pointInTime(created.get(0));
        int apps = 1;
        for (JsonNode c : created.subList(1, created.size())) {
            boolean due = Duration.between(lastApp, pointInTime(c)).compareTo(Duration.ofHours(1)) >= 0;
            assertEquals(due ? "app" : "crash", c.get("consistency").asText(), c.toString());
            if (due) {
                lastApp = pointInTime(c);
                apps++;
            }
        }
        assertTrue(apps >= 4, apps + " app-consistent points in 5 hours");
    }

    @Test
    void theVaultAndTheReplicaHoldExactlyThePointsNotPrunedAndTheSummaryCountsEveryPointMade() throws Exception {
        // 4 hours of 5-minute points with a retention of 2 hours: the older ones are pruned from the vault's
        // protected item and from the replica's snapshots alike, read from the fakes, not from the trace
        java.util.concurrent.atomic.AtomicReference<io.replisim.simulator.run.SiteProbe.Fakes> fakes =
                new java.util.concurrent.atomic.AtomicReference<>();
        RunFixture run = RunFixture.run(RunFixture.small("4h", ""), f -> {
            fakes.set(f);
            return record -> { };
        });
        int created = run.ofType("recovery-point.created").size();
        int pruned = run.ofType("recovery-point.pruned").size();
        assertTrue(created > 40 && pruned > 10, created + " made, " + pruned + " pruned");
        assertEquals(created, run.record.vms().get(0).recoveryPoints());
        var vault = fakes.get().vault();
        assertEquals(created - pruned, vault.protectedItems().get(0).recoveryPoints().size(), "the vault's points");
        var storage = fakes.get().storage();
        List<String> blobs = storage.listBlobs(ProtectedVm.REPLICA_CONTAINER, "").stream().map(b -> b.name()).toList();
        assertEquals(1, blobs.size(), blobs.toString());
        assertEquals(created - pruned, storage.listSnapshots(ProtectedVm.REPLICA_CONTAINER, blobs.get(0)).size(), "the replica's snapshots");
    }
}
