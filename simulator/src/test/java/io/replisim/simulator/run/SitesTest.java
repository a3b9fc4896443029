package io.replisim.simulator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.replication.VmSummary;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several sites in one scenario, each on a kernel of its own: the output never depends on the number of threads. */
class SitesTest {
    private static Scenario twoSites() throws Exception {
        return new ScenarioLoader().load(Path.of(SitesTest.class.getResource("/fleet/two-sites.yaml").toURI()));
    }

    private static String trace(Scenario s, int threads) throws Exception {
        StringWriter out = new StringWriter();
        RunRecord r = Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).trace(out).threads(threads));
        assertTrue(r.passed(), r.expectations().toString());
        return out.toString();
    }

    @Test
    void theTraceIsTheSameOnOneThreadAndOnTwo() throws Exception {
        Scenario s = twoSites();
        String one = trace(s, 1);
        String two = trace(s, 2);
        assertEquals(one, two);
        // the merge numbers records in time order across the sites
        List<String> lines = one.lines().toList();
        String previous = "";
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).startsWith("{\"seq\":" + i + ","), lines.get(i));
            String t = lines.get(i).replaceAll(".*?\"t\":\"([^\"]+)\".*", "$1");
            assertTrue(java.time.OffsetDateTime.parse(t).toInstant().compareTo(previous.isEmpty()
                    ? java.time.Instant.MIN : java.time.OffsetDateTime.parse(previous).toInstant()) >= 0, lines.get(i));
            previous = t;
        }
    }

    @Test
    void theSummaryAndTheFleetFiguresAreTheSameOnOneThreadAndOnTwo() throws Exception {
        Scenario s = twoSites();
        var json = io.replisim.simulator.trace.TraceJson.mapper();
        String one = json.writeValueAsString(Simulator.run(s, RunOptions.withSeed(s.effectiveSeed())
                .threads(1).traceLevel(io.replisim.simulator.trace.TraceLevel.NONE)));
        String two = json.writeValueAsString(Simulator.run(s, RunOptions.withSeed(s.effectiveSeed())
                .threads(2).traceLevel(io.replisim.simulator.trace.TraceLevel.NONE)));
        assertEquals(one, two);
        assertTrue(one.contains("\"fleet\":{"), "a run without a trace has the fleet's figures");
        assertTrue(one.contains("\"site\":\"paris\"") && one.contains("\"site\":\"lyon\""), "each site's uplink");
    }

    @Test
    void eachSiteHasItsOwnUplinkAndTheFaultsThatStrikeIt() throws Exception {
        String trace = trace(twoSites(), 2);
        assertTrue(trace.contains("\"site\":\"paris\",\"bitsPerSecond\":50000000,\"reason\":\"start\""), "paris's uplink");
        assertTrue(trace.contains("\"site\":\"lyon\",\"bitsPerSecond\":0,\"reason\":\"outage\""), "lyon's outage");
        assertTrue(!trace.contains("\"site\":\"paris\",\"bitsPerSecond\":0"), "the outage strikes lyon only");
    }

    @Test
    void theVaultIsSharedJobIdsDoNotRepeatAcrossSites() throws Exception {
        Scenario s = twoSites();
        RunRecord r = Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()));
        List<String> ids = r.jobs().stream().map(RunRecord.JobRow::job).toList();
        assertEquals(ids.size(), ids.stream().distinct().count());
        // 6 VMs in Paris from the template, 1 listed and 3 from the inventory in Lyon
        assertEquals(List.of("par-vm01", "par-vm02", "par-vm03", "par-vm04", "par-vm05", "par-vm06", "lyo-db", "lyo-web1",
                "lyo-web2", "lyo-app1"), r.vms().stream().map(VmSummary::vm).toList());
    }
}
