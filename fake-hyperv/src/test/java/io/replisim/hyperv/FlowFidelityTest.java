package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Flow fidelity counts what model fidelity places: the same writes, the same log sizes and
 * record counts; and its locality model's distinct blocks stand close to the blocks model
 * fidelity's placed writes really touch.
 */
class FlowFidelityTest {
    private final TestClock clock = new TestClock();

    @Test
    void flowLogsTheSameSizesAndRecordsAsModelForTheSameSteps() throws IOException {
        WorkloadSpec spec = WorkloadSpec.builder().setChurnBytesPerSecond(300_000).setIoSizeBytes(64 * 1024).build();
        try (HyperVHost model = Fixtures.host(clock, 512 * MIB, Fidelity.MODEL);
             HyperVHost flow = Fixtures.host(clock, 512 * MIB, Fidelity.FLOW)) {
            VirtualMachine m = Fixtures.replicatingVm(model, 64 * MIB);
            VirtualMachine f = Fixtures.replicatingVm(flow, 64 * MIB);
            Workload wm = new Workload(m.disks().get(0), spec, new SplittableRandom(5), 1);
            Workload wf = new Workload(f.disks().get(0), spec, new SplittableRandom(5), 1);
            SplittableRandom steps = new SplittableRandom(9);
            for (int i = 0; i < 60; i++) {
                long elapsed = steps.nextLong(1, 30_000_000_000L);
                assertEquals(wm.advance(elapsed), wf.advance(elapsed), "bytes written in step " + i);
                assertEquals(m.replicationTracker().pendingLogBytes(), f.replicationTracker().pendingLogBytes(), "step " + i);
                if (i % 7 == 6) {
                    List<SealedLog> a = m.replicationTracker().switchLogs();
                    List<SealedLog> b = f.replicationTracker().switchLogs();
                    assertEquals(a.get(0).sizeBytes(), b.get(0).sizeBytes());
                    assertEquals(a.get(0).recordCount(), b.get(0).recordCount());
                    assertEquals(a.get(0).payloadBytes(), b.get(0).payloadBytes());
                    assertEquals(List.of(), b.get(0).writes(), "a flow log holds counts, not writes");
                    assertEquals(f.disks().get(0).generation(), b.get(0).lastVersion(), "what applying it brings a replica to");
                }
            }
            assertEquals(wm.bytesWritten() / (64 * 1024), f.disks().get(0).generation(), "the disk's version counts its writes");
            assertEquals(model.volumes().get(0).usedBytes(), flow.volumes().get(0).usedBytes() + vhdxGrowth(m),
                    "logs are booked alike; flow does not grow the VHDX");
        }
    }

    private static long vhdxGrowth(VirtualMachine m) {
        VirtualDisk d = m.disks().get(0);
        return d.fileSizeBytes() - io.replisim.hyperv.vhdx.Vhdx.emptyFileSize(d.sizeBytes(), (int) MIB, false);
    }

    @ParameterizedTest(name = "{0} writes, {1}")
    @CsvSource({
        "200, hotspot", "3000, hotspot", "30000, hotspot",
        "200, zipf", "3000, zipf", "30000, zipf",
    })
    void theLocalityModelCountsWhatPlacedWritesTouch(int writes, String locality) throws IOException {
        WorkloadSpec.Builder b = WorkloadSpec.builder().setChurnBytesPerSecond(64 * 1024).setIoSizeBytes(64 * 1024);
        WorkloadSpec spec = (locality.equals("zipf") ? b.setZipf(1.0, 1 << 20) : b.setHotSpotFraction(0.1).setHotSpotShare(0.9)).build();
        try (HyperVHost model = Fixtures.host(clock, 8192 * MIB, Fidelity.MODEL);
             HyperVHost flow = Fixtures.host(clock, 64 * MIB, Fidelity.FLOW)) {
            VirtualMachine m = Fixtures.replicatingVm(model, 1024 * MIB);
            VirtualMachine f = Fixtures.replicatingVm(flow, 1024 * MIB);
            Workload placed = new Workload(m.disks().get(0), spec, new SplittableRandom(3), 1);
            Workload counted = new Workload(f.disks().get(0), spec, new SplittableRandom(3), 1);
            placed.advance(writes * 1_000_000_000L); // one 64 KiB write a second
            for (long block : new long[] {4096, 2 * MIB}) {
                long touched = m.disks().get(0).contentVersions().countDifferingBlocks(new ExtentMap(1024 * MIB), block);
                long modelled = counted.distinctBlocks(writes, block);
                double error = Math.abs(modelled - touched) / (double) touched;
                assertTrue(error < 0.08, block + "-byte blocks: placed writes touched " + touched + ", the model says " + modelled);
            }
        }
    }

    @Test
    void aLogWriteFailureStrikesTheBatchsFirstWriteAndTheRestGoToTheNextLog() throws IOException {
        try (HyperVHost flow = Fixtures.host(clock, 64 * MIB, Fidelity.FLOW)) {
            VirtualMachine vm = Fixtures.replicatingVm(flow, 8 * MIB);
            Workload w = new Workload(vm.disks().get(0),
                    WorkloadSpec.builder().setChurnBytesPerSecond(64 * 1024).setIoSizeBytes(64 * 1024).build(), new SplittableRandom(1), 1);
            flow.inject(HostFault.logWriteFailure("vm1"));
            w.advance(10_000_000_000L); // ten writes
            List<SealedLog> pending = vm.replicationTracker().pendingLogs();
            assertEquals(1, pending.size(), "the failed log was handed over");
            assertEquals(false, pending.get(0).sealedCleanly());
            SealedLog next = vm.replicationTracker().switchLogs().get(0);
            assertEquals(9, next.recordCount(), "nine of the ten writes went on into the next log");
            assertEquals(10, vm.disks().get(0).generation(), "all ten writes happened");
            assertEquals(Optional.of(HostFaultKind.LOG_WRITE_FAILURE), vm.replicationTracker().resynchronizationRequired());
        }
    }
}
