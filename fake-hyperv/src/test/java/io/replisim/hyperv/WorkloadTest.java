package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theSameSeedsGiveTheSameDiskAndDifferentSeedsDiffer() throws IOException {
        String a = diskHashAfterWorkload(42, 7);
        assertEquals(a, diskHashAfterWorkload(42, 7));
        assertNotEquals(a, diskHashAfterWorkload(43, 7), "another random stream");
        assertNotEquals(a, diskHashAfterWorkload(42, 8), "another content seed");
    }

    @Test
    void oneMinuteAtOneMibPerSecondWritesSixtyMibOfWholeIos() throws IOException {
        try (HyperVHost host = Fixtures.host(new TestClock(), 256 * MIB)) {
            VirtualDisk disk = host.createVm("vm1", "C").addDisk("disk0", 64 * MIB);
            Workload w = new Workload(disk, WorkloadSpec.churn(MIB), new SplittableRandom(1), 1);
            assertEquals(60 * MIB, w.advance(Duration.ofMinutes(1).toNanos()));
            assertEquals(60 * MIB, w.bytesWritten());
        }
    }

    @Test
    void churnIsExactAcrossUnevenStepsAndCarriesPartialIos() throws IOException {
        try (HyperVHost host = Fixtures.host(new TestClock(), 64 * MIB)) {
            VirtualDisk disk = host.createVm("vm1", "C").addDisk("disk0", 8 * MIB);
            WorkloadSpec spec = WorkloadSpec.builder().setChurnBytesPerSecond(3000).setIoSizeBytes(4096).build();
            Workload w = new Workload(disk, spec, new SplittableRandom(2), 2);
            long elapsed = 0;
            long written = 0;
            long step = 7_777_777; // not a divisor of a second
            while (elapsed + step <= 60 * SECOND) {
                written += w.advance(step);
                elapsed += step;
                long due = 3000 * elapsed / SECOND; // exact here: no overflow at this scale
                assertEquals(due / 4096 * 4096, written, "after " + elapsed + " ns");
            }
            assertEquals(0, w.advance(0));
        }
    }

    @Test
    void theExpectedContentOfEveryBlockCanBeRecomputed() throws IOException {
        try (HyperVHost host = Fixtures.host(new TestClock(), 64 * MIB)) {
            VirtualDisk disk = host.createVm("vm1", "C").addDisk("disk0", 8 * MIB);
            Workload w = new Workload(disk, WorkloadSpec.churn(4 * MIB), new SplittableRandom(3), 3);
            w.advance(3 * SECOND);
            byte[] expected = new byte[BlockContent.BLOCK_SIZE];
            byte[] actual = new byte[BlockContent.BLOCK_SIZE];
            long written = 0;
            for (long b = 0; b < disk.sizeBytes() / BlockContent.BLOCK_SIZE; b++) {
                w.expectedBlock(b, expected, 0);
                disk.read(b * BlockContent.BLOCK_SIZE, actual, 0, actual.length);
                assertArrayEquals(expected, actual, "block " + b);
                written += w.blockVersion(b) > 0 ? 1 : 0;
            }
            assertTrue(written > 0 && written < disk.sizeBytes() / BlockContent.BLOCK_SIZE,
                    "12 MiB of hot-spot writes cover part of an 8 MiB disk, " + written + " blocks");
        }
    }

    @Test
    void theHotSpotReceivesItsShareOfWrites() throws IOException {
        try (HyperVHost host = Fixtures.host(new TestClock(), 128 * MIB)) {
            VirtualMachine vm = host.createVm("vm1", "C");
            VirtualDisk disk = vm.addDisk("disk0", 32 * MIB);
            host.replicationService().createReplicationRelationship(vm);
            host.replicationService().startReplication(vm);
            WorkloadSpec spec = WorkloadSpec.builder().setChurnBytesPerSecond(MIB).setIoSizeBytes(4096).build();
            Workload w = new Workload(disk, spec, new SplittableRandom(4), 4);
            w.advance(10 * SECOND);
            List<LoggedWrite> writes = vm.replicationTracker().switchLog(disk).writes();
            long hot = writes.stream().filter(x -> x.offset() < disk.sizeBytes() / 5).count();
            assertEquals(2560, writes.size());
            double share = (double) hot / writes.size();
            assertTrue(share > 0.75 && share < 0.85, "hot-spot share " + share);
        }
    }

    @Test
    void blockContentIsAPureFunctionOfItsInputs() {
        UUID id = UUID.nameUUIDFromBytes(new byte[] {1});
        byte[] a = new byte[8192];
        byte[] b = new byte[4096];
        BlockContent.fill(1, id, 2, 3, a, 4096);
        BlockContent.fill(1, id, 2, 3, b, 0);
        assertArrayEquals(b, Arrays.copyOfRange(a, 4096, 8192));
        BlockContent.fill(1, id, 2, 4, b, 0);
        assertFalse(Arrays.equals(b, Arrays.copyOfRange(a, 4096, 8192)), "another version");
    }

    @Test
    void specsValidateAndRoundTrip() {
        WorkloadSpec spec = WorkloadSpec.churn(MIB);
        assertEquals(64 * 1024, spec.ioSizeBytes());
        assertEquals(0.2, spec.hotSpotFraction());
        assertEquals(0.8, spec.hotSpotShare());
        assertEquals(spec, spec.toBuilder().build());
        assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.builder().setIoSizeBytes(4000));
        assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.builder().setHotSpotFraction(0));
        assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.builder().setHotSpotShare(1.5));
        assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.builder().setChurnBytesPerSecond(-1));
    }

    private static String diskHashAfterWorkload(long randomSeed, long contentSeed) throws IOException {
        try (HyperVHost host = Fixtures.host(new TestClock(), 64 * MIB)) {
            VirtualDisk disk = host.createVm("vm1", "C").addDisk("disk0", 8 * MIB);
            Workload w = new Workload(disk, WorkloadSpec.churn(2 * MIB), new SplittableRandom(randomSeed),
                    contentSeed);
            w.advance(2 * SECOND);
            return disk.sha256();
        }
    }
}
