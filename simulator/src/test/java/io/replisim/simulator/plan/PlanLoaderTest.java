package io.replisim.simulator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.scenario.ScenarioException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad plans and inventories are reported with their file, line, column and field. */
class PlanLoaderTest {
    @TempDir
    Path dir;

    private List<String> errors(String inventory, String extra) throws Exception {
        Path plan = PlanFiles.plan(dir, inventory, "100Mbps", "15m", "1d", 1, extra);
        ScenarioException e = assertThrows(ScenarioException.class, () -> PlanLoader.load(plan));
        return e.errors().stream().map(err -> err.format().replace(dir.toString() + "/", "")).toList();
    }

    @Test
    void inventoryCellsAreReportedWithTheirLineAndColumn() throws Exception {
        assertEquals(List.of("inventory.csv:3:25: churn_peak: the peak is below the average (2)"),
                errors(PlanFiles.oneVm(64, 8, 1) + "vm2,hv1,site1,os,64,8,2,1\n", ""));
        assertEquals(List.of("inventory.csv:2:23: used: expected above 0 and at most the provisioned size"),
                errors(PlanFiles.oneVm(64, 80, 1), ""));
        assertEquals(List.of("inventory.csv:2:9: site: site 'paris' is not one of the plan's sites: site1"),
                errors(PlanFiles.oneVm(64, 8, 1).replace("site1,data", "paris,data"), ""));
        assertEquals(List.of("inventory.csv:2:20: provisioned: 'big' is not " + io.replisim.simulator.scenario.Units.SIZE_EXPECTED
                        + ", or a plain number of GiB"),
                errors(PlanFiles.oneVm(64, 8, 1).replace(",64,", ",big,"), ""));
        assertEquals(List.of("inventory.csv:1:4: unknown column 'hots'; expected vm,host,site,disk,provisioned,used and"
                        + " churn_avg,churn_peak or churn_profile, and optionally wave or ir_start"),
                errors(PlanFiles.oneVm(64, 8, 1).replace("host,", "hots,"), ""));
    }

    @Test
    void headerNamesAreAcceptedTheWaysProfilersWriteThem() throws Exception {
        Path plan = PlanFiles.plan(dir, "VM Name,Host,Site,Disk,Provisioned Size,Used Size,Avg Churn,Peak Churn\n"
                + "vm1,hv1,site1,os,127GiB,40GiB,1.5MB/s,3\n", "100Mbps", "15m", "1d", 1, "");
        PlanInventory.PlanDisk d = PlanLoader.load(plan).inventory().vms().get(0).disks().get(0);
        assertEquals(127L << 30, d.provisionedBytes());
        assertEquals(40L << 30, d.usedBytes());
        assertEquals(1_500_000, d.averageBytesPerSecond());
        assertEquals(3_000_000, d.peakBytesPerSecond());
    }

    @Test
    void planFieldsAreReportedWhereTheyAre() throws Exception {
        assertEquals(List.of("plan.yaml:12:18: churn.peakAt: '25:00' is not a time of day such as 10:00"),
                errors(PlanFiles.oneVm(64, 8, 1), "churn: { peakAt: \"25:00\" }"));
        assertEquals(List.of("plan.yaml:12:29: outages[0].site: site 'x' is not one of the plan's sites: site1"),
                errors(PlanFiles.oneVm(64, 8, 1), "outages: [ { for: 1h, site: x } ]"));
        assertEquals(List.of("plan.yaml:12:22: search.precision: '0%' is not a share such as 5% (above 0%, at most 50%)"),
                errors(PlanFiles.oneVm(64, 8, 1), "search: { precision: \"0%\" }"));
        List<String> unknown = errors(PlanFiles.oneVm(64, 8, 1), "bandwith: 5");
        assertTrue(unknown.get(0).startsWith("plan.yaml:12:1: bandwith: unknown field 'bandwith'"), unknown.toString());
    }

    @Test
    void theUplinkAndPolicyAreCheckedByTheScenarioRulesAndLocatedInThePlan() throws Exception {
        Path plan = PlanFiles.plan(dir, PlanFiles.oneVm(64, 8, 1), "100Mbps", "15m", "1d", 1, "");
        Files.writeString(plan, Files.readString(plan).replace("copyFrequency: 5m", "copyFrequency: 7m"));
        ScenarioException e = assertThrows(ScenarioException.class, () -> PlanLoader.load(plan));
        assertEquals("plan.yaml:6:26: policy.copyFrequency: copyFrequency PT7M is not one of 30s, 5m, 15m",
                e.errors().get(0).format().replace(dir.toString() + "/", ""));
    }

    @Test
    void aMissingInventoryIsReportedWhereThePlanNamesIt() throws Exception {
        Path plan = PlanFiles.plan(dir, PlanFiles.oneVm(64, 8, 1), "100Mbps", "15m", "1d", 1, "");
        Files.delete(dir.resolve("inventory.csv"));
        ScenarioException e = assertThrows(ScenarioException.class, () -> PlanLoader.load(plan));
        assertEquals("plan.yaml:5:12: inventory: " + dir.resolve("inventory.csv") + ": file not found",
                e.errors().get(0).format().replace(dir.toString() + "/plan.yaml", "plan.yaml"));
    }
}
