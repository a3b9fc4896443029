package io.replisim.simulator.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.replisim.simulator.hunt.Tiny;
import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    static final String BASE = Tiny.TWO_VMS.formatted("40m").replace("seed: 1", "seed: 5") + """
            expect:
              - { vm: app01, state: Replicating, by: 10m }
            """;

    @TempDir
    Path dir;

    Path sweep(String grid, String seeds) throws Exception {
        Files.writeString(dir.resolve("base.yaml"), BASE);
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, "scenario: base.yaml\ngrid:\n" + grid + (seeds == null ? "" : "seeds: " + seeds + "\n"));
        return file;
    }

    ScenarioError error(String grid, String seeds) throws Exception {
        Path file = sweep(grid, seeds);
        ScenarioException e = assertThrows(ScenarioException.class, () -> Sweep.load(file));
        return e.errors().get(0);
    }

    @Test
    void pointsAreEveryCombinationTheFirstFieldSlowestTimesEverySeed() throws Exception {
        Sweep s = Sweep.load(sweep("  site.uplink.bandwidth: [10Mbps, 50Mbps]\n  policy.copyFrequency: [30s, 5m, 15m]\n", "[7, 9]"));
        assertEquals("sweep", s.name());
        assertEquals(12, s.size());
        List<SweepTask> tasks = s.tasks();
        assertEquals(12, tasks.size());
        assertEquals(List.of("10Mbps", "30s"), tasks.get(0).values());
        assertEquals(7, tasks.get(0).seed());
        assertEquals(9, tasks.get(1).seed());
        assertEquals(List.of("10Mbps", "5m"), tasks.get(2).values());
        assertEquals(List.of("50Mbps", "15m"), tasks.get(11).values());
        for (int i = 0; i < tasks.size(); i++) {
            assertEquals(i, tasks.get(i).index());
        }
        assertTrue(tasks.get(11).scenario().contains("50Mbps") && tasks.get(11).scenario().contains("15m"), tasks.get(11).scenario());
        assertEquals(tasks.get(0).digest(), tasks.get(1).digest(), "two seeds of one point share its scenario");
        assertEquals(List.of(1L, 2L, 3L), Sweep.load(sweep("  policy.copyFrequency: [5m]\n", "3")).seeds(), "a count: seeds 1 to n");
        assertEquals(List.of(5L), Sweep.load(sweep("  policy.copyFrequency: [5m]\n", null)).seeds(), "no seeds: the scenario's");
    }

    @Test
    void fieldsAreSetByPathWithIndexesAndWildcards() throws Exception {
        JsonNode tree = new YAMLMapper().readTree("""
                sites:
                  - { name: a, uplink: { bandwidth: 1Mbps } }
                  - { name: b, uplink: { bandwidth: 2Mbps } }
                faults: [ { at: 1h, for: 1h } ]
                """);
        assertNull(Sweep.set(tree, "sites[*].uplink.bandwidth", TextNode.valueOf("9Mbps")));
        assertEquals("9Mbps", tree.at("/sites/1/uplink/bandwidth").asText());
        assertNull(Sweep.set(tree, "faults[0].for", TextNode.valueOf("3h")));
        assertEquals("3h", tree.at("/faults/0/for").asText());
        assertNull(Sweep.set(tree, "sites[0].uplink.throttle", TextNode.valueOf("x")), "a new field may be set; binding judges it");
        assertEquals("the scenario has no 'site'", Sweep.set(tree, "site.uplink.bandwidth", TextNode.valueOf("1Mbps")));
        assertEquals("'faults' has 1 elements: no [3]", Sweep.set(tree, "faults[3].for", TextNode.valueOf("1h")));
        assertTrue(Sweep.set(tree, "faults[0]", TextNode.valueOf("1h")).contains("names list elements"));
        assertTrue(Sweep.set(tree, "sites.name", TextNode.valueOf("x")).contains("is not a mapping"));
    }

    @Test
    void badSweepsAreLocatedInTheSweepFile() throws Exception {
        ScenarioError value = error("  policy.copyFrequency: [5m, 7m]\n", null);
        assertEquals(3, value.line(), value.format());
        assertEquals("grid.policy.copyFrequency", value.fieldPath());
        assertTrue(value.message().contains("the point 7m is not a valid scenario") && value.message().contains("copyFrequency"),
                value.message());
        ScenarioError path = error("  site.uplinkk.bandwidth: [5Mbps]\n", null);
        assertEquals(3, path.line());
        assertEquals("the scenario has no 'site.uplinkk'", path.message());
        ScenarioError unknown = error("  policy.copyFrequency: [5m]\nrepeat: 3\n", null);
        assertEquals(4, unknown.line());
        assertTrue(unknown.message().startsWith("unknown field"), unknown.message());
        ScenarioError seeds = error("  policy.copyFrequency: [5m]\n", "many");
        assertEquals("seeds", seeds.fieldPath());
        assertTrue(seeds.message().contains("expected a count"), seeds.message());
        ScenarioError empty = error("  policy.copyFrequency: []\n", null);
        assertTrue(empty.message().contains("one or more values"), empty.message());
        Path noBase = dir.resolve("nobase.yaml");
        Files.writeString(noBase, "scenario: missing.yaml\ngrid: { policy.copyFrequency: [5m] }\n");
        List<ScenarioError> missing = assertThrows(ScenarioException.class, () -> Sweep.load(noBase)).errors();
        assertEquals(1, missing.get(0).line());
        assertTrue(missing.get(1).message().contains("file not found"), missing.get(1).format());
    }

    @Test
    void rowsAreTheSameOnAnyNumberOfThreadsAndAResumedSweepRunsOnlyWhatIsMissing() throws Exception {
        Sweep s = Sweep.load(sweep("  site.uplink.bandwidth: [2Mbps, 20Mbps]\n  policy.copyFrequency: [30s, 5m]\n", "2"));
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        List<SweepRow> rows = SweepResults.run(s, one, new LocalEngine(1, null), SweepResults.Progress.NONE);
        SweepResults.run(s, two, new LocalEngine(2, null), SweepResults.Progress.NONE);
        String results = Files.readString(one.resolve(SweepResults.RESULTS));
        assertEquals(results, Files.readString(two.resolve(SweepResults.RESULTS)));
        assertEquals(8, rows.size());
        assertEquals(rows, SweepResults.read(one.resolve(SweepResults.RESULTS), 2), "results.csv reads back as written");
        SweepRow slow = rows.get(0);
        SweepRow fast = rows.get(4);
        assertTrue(slow.irEndSeconds() > fast.irEndSeconds(), "initial replication ends later on 2 Mbps than on 20 Mbps");
        assertTrue(rows.get(2).rpoP95Seconds() > rows.get(0).rpoP95Seconds(), "RPO grows with the copy frequency");
        assertEquals("Replicating:2", slow.finalStates());

        // an interrupted sweep: the last two rows missing, one cut off mid-line
        List<String> lines = new ArrayList<>(Files.readAllLines(one.resolve(SweepResults.RESULTS)));
        Files.write(one.resolve(SweepResults.RESULTS), lines.subList(0, lines.size() - 2));
        Files.writeString(one.resolve(SweepResults.PARTIAL), lines.get(lines.size() - 2).substring(0, 20) + "\n");
        int[] found = {-1};
        List<SweepRow> ran = new ArrayList<>();
        SweepResults.run(s, one, new LocalEngine(2, null), new SweepResults.Progress() {
            @Override
            public void started(int points, int alreadyDone) {
                found[0] = alreadyDone;
            }

            @Override
            public void finished(SweepRow row, int done, int points) {
                ran.add(row);
            }
        });
        assertEquals(6, found[0]);
        assertEquals(2, ran.size());
        assertEquals(results, Files.readString(one.resolve(SweepResults.RESULTS)));
        assertTrue(Files.notExists(one.resolve(SweepResults.PARTIAL)));
    }
}
