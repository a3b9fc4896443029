package io.replisim.simulator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.plan.PlanResult.SiteAnswer;
import io.replisim.simulator.plan.PlanResult.VmAnswer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner against answers known in closed form: one VM with a constant churn on a constant
 * bandwidth (docs/planner.md, "Checked against").
 */
class PlanAnalyticTest {
    private static final double GIB = 1L << 30;

    @TempDir
    Path dir;

    private PlanResult plan(Path file) throws Exception {
        return Planner.plan(PlanLoader.load(file), "plan", new Planner.Options(2, line -> {}));
    }

    @Test
    void initialReplicationTakesTheUsedBytesOverTheBandwidth() throws Exception {
        // 8 GiB used of 64 GiB over 100 Mbps, a trickle of churn: 8 x 2^30 x 8 / 10^8 = 687 s
        PlanResult r = plan(PlanFiles.plan(dir, PlanFiles.oneVm(64, 8, 0.001), "100Mbps", "15m", "1d", 1,
                "initialReplication: { window: 1d }"));
        VmAnswer vm = r.vms().get(0);
        double expected = 8 * GIB * 8 / 100e6;
        double took = vm.irDuration().median();
        // the enable-protection job's steps and the first cycle come on top: at most a few minutes
        assertTrue(took >= expected && took <= expected + 300, "IR took " + took + " s, expected " + expected + " s and a few minutes");
        assertEquals(expected, r.sites().get(0).ruleOfThumbIrSeconds(), 1);
        assertEquals(0, vm.irResyncs().max());
    }

    @Test
    void steadyRpoIsBoundedByTheCopyFrequencyAndTheLogTransfer() throws Exception {
        // 1 MB/s over 20 Mbps: a 5-minute log of 300 MB takes 120 s to send
        PlanResult r = plan(PlanFiles.plan(dir, PlanFiles.oneVm(64, 8, 1), "20Mbps", "15m", "12h", 1, ""));
        VmAnswer vm = r.vms().get(0);
        double transfer = 300e6 * 8 / 20e6;
        assertTrue(vm.rpoMax().max() <= 300 + transfer + 30, "RPO max " + vm.rpoMax().max() + " s");
        assertTrue(vm.rpoMax().max() >= 300 + transfer - 10, "a point is a cycle and a transfer old when the next arrives: "
                + vm.rpoMax().max() + " s");
        assertEquals(1.0, vm.withinTarget().median());
        assertEquals(0, vm.resyncs().max());
    }

    @Test
    void theBandwidthSearchBracketsTheAnalyticThreshold() throws Exception {
        // 1 MB/s (8 Mbps) with copies every 5 minutes and a target of 10: the link must carry the
        // average (below it the backlog grows without end) and send a cycle's log within the 5
        // minutes the target leaves, less what applying and the 10-second samples take
        PlanResult r = plan(PlanFiles.plan(dir, PlanFiles.oneVm(64, 8, 1), "100Mbps", "10m", "6h", 1,
                "search: { precision: 5%, horizon: 6h }"));
        SiteAnswer site = r.sites().get(0);
        double average = 8.0;
        double upper = average * 300 / (300 - 30) * 1.05;
        assertNotNull(site.needed100().median());
        assertTrue(site.needed100().median() >= average && site.needed100().median() <= upper,
                "needed " + site.needed100().median() + " Mbps, expected between " + average + " and " + upper);
        assertTrue(site.needed90().median() <= site.needed95().median() && site.needed95().median() <= site.needed100().median());
        assertEquals(8.0, site.ruleOfThumbMbps(), 1e-9);
    }

    @Test
    void aTargetNotAboveTheCopyFrequencyIsNeverMetAllOfTheTime() throws Exception {
        // a point is a whole interval old when the next arrives: 100% is out of reach at any bandwidth
        PlanResult r = plan(PlanFiles.plan(dir, PlanFiles.oneVm(64, 8, 1), "100Mbps", "5m", "6h", 1, ""));
        SiteAnswer site = r.sites().get(0);
        assertEquals(null, site.needed100().median());
        assertNotNull(site.needed90().median(), "most of the time it is within: the RPO is under 5 minutes between arrivals");
        assertTrue(site.why().contains("not above the copy frequency"), site.why());
    }

    @Test
    void logsReachTheThresholdAfterHalfTheDiskOverTheChurn() {
        // 20 GiB at 2 MB/s in 64 KiB writes: logs grow by 2 MB/s x (1 + 20/65536) to half of 20 GiB
        double[] growth = new double[Analytics.MINUTES];
        java.util.Arrays.fill(growth, 2e6 * (1 + 20.0 / 65536));
        double expected = 10 * GIB / (2e6 * (1 + 20.0 / 65536));
        assertEquals(expected, Analytics.timeToThreshold(growth, 0, (long) (10 * GIB)), 1);
    }

    @Test
    void aVmSurvivesTheOutagesThatEndBeforeItsLastRetryInTime() throws Exception {
        // with a cycle's 600 MB pending, 20 GiB at 2 MB/s reaches its threshold after 5,068 s (84 min);
        // the VM sends again at its retries, 1, 3, 7, 15, 25, 55 and 85 minutes after the failure:
        // it survives an outage that ends within 55 minutes, not one that needs the retry at 85
        PlanResult planned = plan(PlanFiles.plan(dir, PlanFiles.oneVm(20, 4, 2), "100Mbps", "15m", "4h", 1, ""));
        assertEquals(55 * 60, planned.vms().get(0).outageToleranceSeconds());
        Path shorter = dir.resolve("shorter");
        Path longer = dir.resolve("longer");
        java.nio.file.Files.createDirectories(shorter);
        java.nio.file.Files.createDirectories(longer);
        PlanResult ok = plan(PlanFiles.plan(shorter, PlanFiles.oneVm(20, 4, 2), "100Mbps", "15m", "4h", 1,
                "outages: [ { for: 50m, at: 1h } ]"));
        PlanResult resync = plan(PlanFiles.plan(longer, PlanFiles.oneVm(20, 4, 2), "100Mbps", "15m", "4h", 1,
                "outages: [ { for: 60m, at: 1h } ]"));
        assertEquals(0, ok.vms().get(0).resyncs().max());
        assertEquals(1, resync.vms().get(0).resyncs().max());
    }

    @Test
    void peakPendingLogsAreACyclesWritesWhenTheLinkKeepsUp() throws Exception {
        PlanResult r = plan(PlanFiles.plan(dir, PlanFiles.oneVm(64, 8, 1), "100Mbps", "15m", "6h", 1, ""));
        double cycle = 1e6 * 300;
        double pending = r.vms().get(0).peakPendingLogBytes().max();
        assertTrue(pending >= cycle && pending <= cycle * 1.1, "peak pending " + pending + " B, a cycle writes " + cycle);
        assertEquals((long) (32 * GIB), r.vms().get(0).thresholdBytes());
    }

    @Test
    void aWhatIfChangesOnlyWhatItSays() throws Exception {
        Path file = PlanFiles.plan(dir, PlanFiles.oneVm(64, 8, 1), "20Mbps", "15m", "6h", 1, "");
        PlanInput input = PlanLoader.load(file);
        PlanInput faster = WhatIf.parse("bandwidth=x2").apply(input);
        PlanResult base = Planner.plan(input, "plan", new Planner.Options(2, l -> {}));
        PlanResult twice = Planner.plan(faster, "bandwidth=x2", new Planner.Options(2, l -> {}));
        assertTrue(twice.vms().get(0).rpoMax().max() < base.vms().get(0).rpoMax().max());
        assertEquals(base.sites().get(0).needed100(), twice.sites().get(0).needed100(),
                "the search probes constant bandwidths: the plan's uplink does not change its answer");
        assertEquals(List.of("bandwidth", "copyFrequency", "throttle", "outage"), WhatIf.KEYS);
    }
}
