package io.replisim.azure.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.azure.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplicaDiskTest {
    private static final UUID DISK = UUID.fromString("6a1c0a4e-3d2b-4f5e-9c8d-7b6a5f4e3d2c");
    private static final int MIB = 1 << 20;
    private final ManualClock clock = ManualClock.at("2026-01-05T07:00:00Z");
    private final MemoryBlobStorage storage = new MemoryBlobStorage(clock);

    private ReplicaDisk create(long size) {
        return ReplicaDisk.create(storage, "replica", "sql01/disk0.vhd", DISK, size, clock.instant());
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 13 + (i >> 8));
        }
        return b;
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void aNewReplicaIsAPageBlobOfDiskSizePlusAFooterAtTheEnd() {
        ReplicaDisk disk = create(8 * MIB);
        assertEquals(8 * MIB + 512, storage.blobSize("replica", "sql01/disk0.vhd"));
        FixedVhd footer = FixedVhd.parse(storage.downloadRange("replica", "sql01/disk0.vhd", 8 * MIB, 512));
        assertEquals(8 * MIB, footer.currentSize());
        assertEquals(DISK, footer.uniqueId());
        assertEquals(List.of(new PageRange(8 * MIB, 8 * MIB + 511)), storage.getPageRanges("replica", "sql01/disk0.vhd"));
        ReplicaDisk reopened = ReplicaDisk.open(storage, "replica", "sql01/disk0.vhd");
        assertEquals(disk.footer(), reopened.footer());
    }

    @Test
    void unalignedWritesReadBackAndLeaveNeighboursIntact() throws Exception {
        ReplicaDisk disk = create(MIB);
        byte[] model = new byte[MIB];
        byte[] first = pattern(3000, 1);
        disk.writeData(100, first, 0, first.length);
        System.arraycopy(first, 0, model, 100, first.length);
        byte[] second = pattern(700, 2);
        disk.writeData(2000, second, 50, 600);
        System.arraycopy(second, 50, model, 2000, 600);
        byte[] tail = pattern(10, 3);
        disk.writeData(MIB - 10, tail);
        System.arraycopy(tail, 0, model, MIB - 10, 10);

        assertArrayEquals(model, disk.readData(0, MIB));
        assertEquals(sha256(model), disk.sha256());
        assertThrows(IndexOutOfBoundsException.class, () -> disk.writeData(MIB - 5, new byte[10]));
        assertThrows(IndexOutOfBoundsException.class, () -> disk.readData(MIB, 1));
    }

    @Test
    void theHashOfAnEmptyDiskIsTheHashOfZeros() throws Exception {
        assertEquals(sha256(new byte[4 * MIB]), create(4 * MIB).sha256());
    }

    @Test
    void largeWritesAreSentAsPutPagesOfAtMost4MiB() {
        List<Integer> putLengths = new ArrayList<>();
        BlobStorage spy = (BlobStorage) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BlobStorage.class}, (proxy, method, args) -> {
                    if (method.getName().equals("uploadPages")) {
                        putLengths.add((Integer) args[5]);
                    }
                    try {
                        return method.invoke(storage, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ReplicaDisk disk = ReplicaDisk.create(spy, "replica", "big.vhd", DISK, 16 * MIB, clock.instant());
        putLengths.clear();
        byte[] data = pattern(10 * MIB + 512, 4);
        disk.writeData(512, data);
        assertEquals(List.of(4 * MIB, 4 * MIB, 2 * MIB + 512), putLengths);
        assertArrayEquals(data, disk.readData(512, data.length));
    }

    @Test
    void applyingTheSameLogTwiceChangesNothing() {
        ReplicaDisk disk = create(MIB);
        assertEquals(OptionalLong.empty(), disk.lastAppliedLogSequence());
        List<PageWrite> log = List.of(new PageWrite(0, pattern(1024, 1)), new PageWrite(512, pattern(512, 2)));
        assertTrue(disk.applyLog(1, log));
        String after = disk.sha256();
        assertFalse(disk.applyLog(1, List.of(new PageWrite(0, pattern(4096, 9)))));
        assertEquals(after, disk.sha256());
        assertEquals(OptionalLong.of(1), disk.lastAppliedLogSequence());
        byte[] expected = pattern(1024, 1);
        System.arraycopy(pattern(512, 2), 0, expected, 512, 512); // later writes in a log win
        assertArrayEquals(expected, disk.readData(0, 1024));
    }

    @Test
    void anOlderLogAfterANewerOneLeavesTheReplicaUnchanged() {
        ReplicaDisk disk = create(MIB);
        assertTrue(disk.applyLog(6, List.of(new PageWrite(4096, pattern(512, 6)))));
        assertTrue(disk.applyLog(7, List.of(new PageWrite(4096, pattern(512, 7)))));
        String after = disk.sha256();
        assertFalse(disk.applyLog(5, List.of(new PageWrite(4096, pattern(512, 5)))));
        assertFalse(disk.applyLog(6, List.of(new PageWrite(4096, pattern(512, 6)))));
        assertEquals(after, disk.sha256());
        assertArrayEquals(pattern(512, 7), disk.readData(4096, 512));
        assertEquals(OptionalLong.of(7), ReplicaDisk.open(storage, "replica", "sql01/disk0.vhd").lastAppliedLogSequence());
    }

    @Test
    void recoveryPointsKeepTheDiskAsItWasWhenTaken() {
        ReplicaDisk disk = create(MIB);
        disk.applyLog(1, List.of(new PageWrite(0, pattern(2048, 1))));
        DiskRecoveryPoint crash = disk.createRecoveryPoint(false);
        String hashAtCrash = disk.sha256();
        clock.advance(Duration.ofMinutes(5));
        disk.applyLog(2, List.of(new PageWrite(1024, pattern(2048, 2))));
        DiskRecoveryPoint app = disk.createRecoveryPoint(true);
        disk.applyLog(3, List.of(new PageWrite(0, pattern(MIB, 3))));

        assertEquals(List.of(crash, app), disk.recoveryPoints());
        assertEquals(OptionalLong.of(1), crash.lastAppliedLog());
        assertFalse(crash.appConsistent());
        assertTrue(app.appConsistent());
        assertEquals(clock.instant(), app.time());
        assertEquals(hashAtCrash, disk.sha256(crash));
        assertArrayEquals(pattern(2048, 1), disk.readData(crash, 0, 2048));
        assertArrayEquals(pattern(MIB, 3), disk.readData(0, MIB));

        disk.deleteRecoveryPoint(crash);
        assertEquals(List.of(app), disk.recoveryPoints());
    }

    @Test
    void anExportedReplicaIsTheDiskFollowedByItsFooter() throws IOException {
        ReplicaDisk disk = create(MIB);
        disk.writeData(512, pattern(512, 8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        disk.exportVhd(out);
        byte[] file = out.toByteArray();
        assertEquals(MIB + 512, file.length);
        assertArrayEquals(pattern(512, 8), Arrays.copyOfRange(file, 512, 1024));
        assertEquals(disk.footer(), FixedVhd.parse(Arrays.copyOfRange(file, MIB, MIB + 512)));
    }

    @Test
    void diskSizesMustBeWholePages() {
        assertThrows(IllegalArgumentException.class, () -> create(1000));
        assertThrows(IllegalArgumentException.class, () -> create(0));
    }
}
