package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.azure.storage.ReplicaDisk;
import io.replisim.azure.vault.AzureVm;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.run.SiteProbe;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import io.replisim.simulator.trace.TraceEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The probe reads the fakes without disturbing the run, its facts agree with a correct stack, and
 * each invariant that relies on them fails on a deliberately broken stack: a saboteur (test code
 * only) that changes the fakes behind the stack's back at one moment, or a trace double that
 * changes what the stack claims.
 */
class GroundTruthTest {

    private static Scenario library(String name) throws Exception {
        return new ScenarioLoader().load(Path.of("../scenarios/library/" + name + ".yaml"));
    }

    /** A run's evidence: the trace (rewritten line by line by {@code claims}) and what the probe read. */
    private static RunEvidence run(Scenario scenario, Function<SiteProbe.Fakes, SiteProbe> saboteur, UnaryOperator<String> claims)
            throws IOException {
        GroundTruth truth = new GroundTruth();
        SiteProbe.Factory truthProbe = GroundTruthProbe.into(truth, scenario);
        StringWriter out = new StringWriter();
        Simulator.run(scenario, RunOptions.withSeed(scenario.effectiveSeed()).trace(out).probe(fakes -> {
            SiteProbe reads = truthProbe.attach(fakes);
            SiteProbe breaks = saboteur.apply(fakes);
            return r -> { // the probe reads first: what the saboteur does afterwards is the stack's doing
                reads.seen(r);
                breaks.seen(r);
            };
        }));
        StringBuilder text = new StringBuilder();
        out.toString().lines().forEach(l -> text.append(claims.apply(l)).append('\n'));
        return new RunEvidence(scenario, TraceLine.parse(text.toString()), truth);
    }

    private static RunEvidence correct(Scenario scenario) throws IOException {
        return run(scenario, f -> r -> { }, UnaryOperator.identity());
    }

    private static List<Violation> violations(RunEvidence run, String invariant) {
        return Invariants.all().check(run).stream().filter(v -> v.invariant().equals(invariant)).toList();
    }

    private static TraceLine only(RunEvidence run, String type) {
        List<TraceLine> lines = run.trace().stream().filter(l -> l.is(type)).toList();
        assertEquals(1, lines.size(), type);
        return lines.get(0);
    }

    @Test
    void theProbeChangesNothingInTheRun() throws Exception {
        Scenario s = library("failback-after-resync");
        StringWriter plain = new StringWriter();
        Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).trace(plain));
        StringWriter probed = new StringWriter();
        Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).trace(probed).probe(GroundTruthProbe.into(new GroundTruth(), s)));
        assertEquals(plain.toString(), probed.toString());
    }

    @Test
    void onACorrectStackTheFactsAgreeWithWhatTheStackDidAndEveryInvariantHolds() throws Exception {
        RunEvidence run = correct(library("failback-after-resync"));
        assertEquals(List.of(), Invariants.all().check(run));
        for (String type : List.of("resync.finished", "failback.finished", "reprotect.finished")) {
            TraceLine l = only(run, type);
            GroundTruth.BlockComparison fact = run.truth().comparison("app01", type, 1).orElseThrow();
            assertEquals(256, fact.blocks(), type + ": 64 MiB in blocks of 256 KiB");
            assertEquals(l.num("blocksSent"), fact.differing(), type);
        }
        assertTrue(run.truth().comparison("app01", "resync.finished", 1).orElseThrow().differing() > 0);
        assertTrue(run.truth().comparison("app01", "reprotect.finished", 1).orElseThrow().differing() > 0);
        GroundTruth.FailoverCheck planned = run.truth().failover("app01", 1).orElseThrow();
        assertEquals(new GroundTruth.FailoverCheck("app01", 1, true, true, 0), planned);
        assertTrue(run.truth().finalReplica("app01", "os").orElseThrow().matches());
    }

    @Test
    void anUnplannedFailoversLostBlocksAreCountedFromTheSourceItself() throws Exception {
        RunEvidence run = correct(library("unplanned-failover"));
        TraceLine l = only(run, "failover.finished");
        GroundTruth.FailoverCheck fact = run.truth().failover("app01", 1).orElseThrow();
        assertTrue(fact.pointKnown() && fact.disksMatchPoint());
        assertTrue(fact.blocksChanged() > 0);
        assertEquals(l.num("blocksLost"), fact.blocksChanged());
        assertEquals(List.of(), Invariants.all().check(run));
    }

    /**
     * A resync during initial replication, before the second disk's copy began (the hunt over
     * shapes, runs-found/resync-before-a-disks-copy.yaml): that disk's replica does not exist yet,
     * and the stack compares with the empty page blob it creates, zeros. Only the first disk's
     * block with the workload's writes differs, not the whole second disk.
     */
    @Test
    void aResyncBeforeADisksCopyComparesItWithAnEmptyReplica() throws Exception {
        Scenario s = Tiny.parse("""
                name: resync-during-ir
                seed: 396476932
                start: 2026-01-06T01:43:00+01:00
                duration: 4m58s
                fidelity: bytes
                policy: { copyFrequency: 30s }
                site:
                  uplink: { bandwidth: 16Kbps }
                  hosts:
                    - name: hv01
                      volume: 1GiB
                      vms:
                        - name: vm01
                          disks:
                            - { name: os, size: 3MiB, churn: { rate: 1KiB/s, ioSize: 64KiB } }
                            - { name: data, size: 6MiB }
                faults: [ { at: 2m52s, kind: log-not-closed-cleanly, vm: vm01 } ]
                """);
        RunEvidence run = correct(s);
        TraceLine l = only(run, "resync.finished");
        GroundTruth.BlockComparison fact = run.truth().comparison("vm01", "resync.finished", 1).orElseThrow();
        assertEquals(5, fact.blocks(), "3 MiB and 6 MiB in blocks of 2 MiB");
        assertEquals(1, fact.differing(), "the os disk's first block, written; the data disk is all zeros");
        assertEquals(1, l.num("blocksSent"));
        assertEquals(List.of(), Invariants.all().check(run));
    }

    /**
     * Breaks the first replica block (of the scenario's 256 KiB) that holds the source's bytes, right
     * after the probe compared: the stack then finds one more block differing than there was.
     */
    private static SiteProbe breaksAReplicaBlockAt(SiteProbe.Fakes fakes, String type) {
        return r -> {
            if (!r.event().type().equals(type)) {
                return;
            }
            try {
                var source = fakes.hosts().get(0).vm("app01").orElseThrow().disk("os").orElseThrow();
                ReplicaDisk replica = ReplicaDisk.open(fakes.storage(), GroundTruthProbe.REPLICA_CONTAINER, "hv01/app01/os.vhd");
                int block = 256 * 1024;
                for (long at = 0; at < source.sizeBytes(); at += block) {
                    byte[] mine = new byte[block];
                    source.read(at, mine, 0, block);
                    byte[] theirs = replica.readData(at, block);
                    if (java.util.Arrays.equals(mine, theirs)) {
                        theirs[0] ^= 1;
                        replica.writeData(at, theirs);
                        return;
                    }
                }
                throw new AssertionError("no replica block holds the source's bytes at " + type);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    @Test
    void aResyncThatSendsABlockThatDidNotDifferIsCaught() throws Exception {
        Scenario s = library("failback-after-resync");
        RunEvidence broken = run(s, f -> breaksAReplicaBlockAt(f, "resync.started"), UnaryOperator.identity());
        List<Violation> found = violations(broken, SendsOnlyDifferingBlocks.NAME);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).reason().contains("differed when it began"), found.get(0).reason());
        // the replica ends right: nothing but this invariant can tell
        assertEquals(List.of(), Invariants.all().check(broken).stream()
                .filter(v -> !v.invariant().equals(SendsOnlyDifferingBlocks.NAME)).toList());
    }

    @Test
    void aStackComparingInAnotherBlockSizeThanTheScenariosIsCaught() throws Exception {
        Scenario s = library("failback-after-resync");
        Scenario misread = new ScenarioLoader().parse(Path.of("misread.yaml"),
                java.nio.file.Files.readString(Path.of("../scenarios/library/failback-after-resync.yaml"))
                        .replace("blockSize: 256KiB", "blockSize: 512KiB"));
        GroundTruth truth = new GroundTruth();
        StringWriter out = new StringWriter();
        // the stack runs what it misread; the probe and the invariant go by the scenario as written
        Simulator.run(misread, RunOptions.withSeed(s.effectiveSeed()).trace(out).probe(GroundTruthProbe.into(truth, s)));
        List<Violation> found = violations(new RunEvidence(s, TraceLine.parse(out.toString()), truth), SendsOnlyDifferingBlocks.NAME);
        assertFalse(found.isEmpty());
        assertTrue(found.stream().anyMatch(v -> v.reason().contains("compared 128 blocks, but its disks have 256")), found.toString());
    }

    @Test
    void aFailoverWhoseDisksDifferFromThePointIsCaughtThoughTheStackSaysVerified() throws Exception {
        Scenario s = library("unplanned-failover");
        // the Azure VM's disk changes after the stack verified it and before anyone reads it
        GroundTruth truth = new GroundTruth();
        StringWriter out = new StringWriter();
        Simulator.run(s, RunOptions.withSeed(s.effectiveSeed()).trace(out).probe(fakes -> {
            SiteProbe reads = GroundTruthProbe.into(truth, s).attach(fakes);
            return r -> {
                if (r.event() instanceof TraceEvent.FailoverFinished e) { // corrupts first: the probe reads a broken copy
                    AzureVm vm = fakes.vault().azureVm(e.azureVm()).orElseThrow();
                    AzureVm.Disk disk = vm.disks().values().iterator().next();
                    ReplicaDisk copy = ReplicaDisk.open(fakes.storage(), disk.container(), disk.blob());
                    byte[] data = copy.readData(4096, 512);
                    data[7] ^= 1;
                    copy.writeData(4096, data);
                }
                reads.seen(r);
            };
        }));
        List<Violation> found = violations(new RunEvidence(s, TraceLine.parse(out.toString()), truth), NoDataLoss.NAME);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).reason().contains("differ from the source") && found.get(0).reason().contains("yet the stack says verified"),
                found.get(0).reason());
    }

    @Test
    void aFailoverThatUnderstatesItsLossIsCaught() throws Exception {
        RunEvidence broken = run(library("unplanned-failover"), f -> r -> { },
                l -> l.contains("\"failover.finished\"") ? l.replaceAll("\"blocksLost\":\\d+", "\"blocksLost\":0") : l);
        List<Violation> found = violations(broken, NoDataLoss.NAME);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).reason().contains("says 0 blocks lost, but the source changed"), found.get(0).reason());
    }

    @Test
    void aPlannedFailoverWhoseSourceKeepsWritingAfterTheFinalSyncIsCaught() throws Exception {
        // the guest writes once more after the final synchronization sealed its logs: the shutdown did not hold
        boolean[] failingOver = {false};
        RunEvidence broken = run(library("failback-after-resync"), f -> r -> {
            if (r.event() instanceof TraceEvent.AdminAction a && "planned-failover".equals(a.action())) {
                failingOver[0] = true;
            } else if (failingOver[0] && r.event() instanceof TraceEvent.LogSwitched) {
                failingOver[0] = false;
                try {
                    f.hosts().get(0).vm("app01").orElseThrow().disk("os").orElseThrow().write(8192, new byte[4096], 0, 4096);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, UnaryOperator.identity());
        List<Violation> found = violations(broken, NoDataLoss.NAME);
        assertTrue(found.stream().anyMatch(v -> v.reason().contains("a planned failover must lose nothing")), found.toString());
    }

    @Test
    void aReplicaTheStackCallsMatchingThatDiffersIsCaught() throws Exception {
        RunEvidence broken = run(library("failback-after-resync"), f -> breaksAReplicaBlockAt(f, "workload.stopped"),
                l -> l.contains("\"replica.verified\"") ? l.replace("\"matches\":false", "\"matches\":true") : l);
        List<Violation> found = violations(broken, ReplicaNeverAhead.NAME);
        assertFalse(found.isEmpty());
        assertTrue(found.get(0).reason().contains("differs from its source byte for byte, but the stack's replica.verified says matches: true"),
                found.get(0).reason());
    }

    @Test
    void aThresholdComputedOnOtherDiskSizesIsCaught() throws Exception {
        RunEvidence broken = run(library("multi-disk-threshold"), f -> r -> { },
                l -> l.contains("\"resync.required\"") ? l.replaceAll("\"diskBytes\":(\\d+)", "\"diskBytes\":1$1") : l);
        List<Violation> found = violations(broken, ResyncIffTrigger.NAME);
        assertFalse(found.isEmpty());
        assertTrue(found.get(0).reason().contains("but its host's disks hold"), found.get(0).reason());
    }

    @Test
    void changedBlocksCountsEachFourKibBlockOnce() {
        io.replisim.hyperv.ExtentMap a = new io.replisim.hyperv.ExtentMap(1 << 20);
        io.replisim.hyperv.ExtentMap b = a.copy();
        b.assign(512, 512, 3);        // block 0
        b.assign(3584, 1024, 4);      // blocks 0 and 1
        b.assign(65536, 8192, 5);     // blocks 16 and 17
        assertEquals(4, GroundTruthProbe.changedBlocks(a, b));
        assertEquals(4, GroundTruthProbe.changedBlocks(b, a));
        assertEquals(0, GroundTruthProbe.changedBlocks(b, b.copy()));
    }
}
