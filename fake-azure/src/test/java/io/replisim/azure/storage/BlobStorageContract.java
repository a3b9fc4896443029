package io.replisim.azure.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The {@link BlobStorage} contract, run against every backend by a subclass per backend. Tests
 * use small blobs (Azurite is real HTTP) and a fresh container each, and never assert
 * backend-generated values such as snapshot ids, only their order and effect.
 */
abstract class BlobStorageContract {
    private static final AtomicInteger CONTAINERS = new AtomicInteger();
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    private static final UUID DISK = UUID.fromString("6a1c0a4e-3d2b-4f5e-9c8d-7b6a5f4e3d2c");

    /** The backend under test; the same instance for every test of a class is fine. */
    abstract BlobStorage storage();

    /** A time for the VHD footer; backends do not look at it. */
    Instant now() {
        return Instant.parse("2026-01-05T07:00:00Z");
    }

    String c;
    BlobStorage s;

    @BeforeEach
    void freshContainer() {
        s = storage();
        c = "contract-" + CONTAINERS.incrementAndGet();
        s.createContainer(c);
    }

    static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 31 + (i >> 9));
        }
        return b;
    }

    static void assertError(BlobErrorCode code, Executable call) {
        BlobStorageException e = assertThrows(BlobStorageException.class, call);
        assertEquals(code.code(), e.errorCode(), e.getMessage());
        assertEquals(code.status(), e.statusCode(), e.getMessage());
    }

    // --- containers and listing ---------------------------------------------------------------

    @Test
    void containersAreCreatedIdempotentlyAndDeletedWithTheirBlobs() {
        s.uploadBlockBlob(c, "a", new byte[] {1});
        s.createContainer(c);
        assertTrue(s.exists(c, "a"));
        assertTrue(s.containerExists(c));
        s.deleteContainer(c);
        assertFalse(s.containerExists(c));
        assertFalse(s.exists(c, "a"));
        assertError(BlobErrorCode.CONTAINER_NOT_FOUND, () -> s.deleteContainer(c));
    }

    @Test
    void containerNamesFollowAzureRules() {
        for (String bad : List.of("ab", "Replica", "-replica", "rep--lica", "rep_lica")) {
            assertError(BlobErrorCode.INVALID_RESOURCE_NAME, () -> s.createContainer(bad));
            assertFalse(s.containerExists(bad));
        }
    }

    @Test
    void missingContainersAndBlobsAreNotFound() {
        assertError(BlobErrorCode.CONTAINER_NOT_FOUND, () -> s.createPageBlob("no-such-container", "b", 512));
        assertError(BlobErrorCode.CONTAINER_NOT_FOUND, () -> s.listBlobs("no-such-container", null));
        assertError(BlobErrorCode.CONTAINER_NOT_FOUND, () -> s.blobSize("no-such-container", "b"));
        assertError(BlobErrorCode.CONTAINER_NOT_FOUND, () -> s.uploadPages("no-such-container", "b", 0, new byte[512], 0,
                512));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> s.uploadPages(c, "missing", 0, new byte[512], 0, 512));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> s.getPageRanges(c, "missing"));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> s.downloadRange(c, "missing", 0, 1));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> s.getMetadata(c, "missing"));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> s.blobSize(c, "missing"));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> s.deleteBlob(c, "missing"));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> s.listSnapshots(c, "missing"));
        assertFalse(s.exists("no-such-container", "b"));
        assertFalse(s.exists(c, "missing"));
    }

    @Test
    void blobsAreListedSortedByNameAndFilteredByPrefix() {
        s.uploadBlockBlob(c, "logs/vm1/2", new byte[3]);
        s.createPageBlob(c, "disks/b.vhd", 1024);
        s.uploadBlockBlob(c, "logs/vm1/1", new byte[2]);
        s.createPageBlob(c, "disks/a.vhd", 512);
        s.createSnapshot(c, "disks/a.vhd"); // snapshots are not listed as blobs
        assertEquals(List.of(new BlobItem("disks/a.vhd", BlobType.PAGE_BLOB, 512),
                new BlobItem("disks/b.vhd", BlobType.PAGE_BLOB, 1024), new BlobItem("logs/vm1/1", BlobType.BLOCK_BLOB, 2),
                new BlobItem("logs/vm1/2", BlobType.BLOCK_BLOB, 3)), s.listBlobs(c, ""));
        assertEquals(List.of("logs/vm1/1", "logs/vm1/2"), s.listBlobs(c, "logs/").stream().map(BlobItem::name).toList());
    }

    // --- page blobs -----------------------------------------------------------------------------

    @Test
    void pageBlobSizesAreMultiplesOf512AndBlobsAreNotReplaced() {
        assertError(BlobErrorCode.INVALID_HEADER_VALUE, () -> s.createPageBlob(c, "b", 1000));
        assertError(BlobErrorCode.INVALID_HEADER_VALUE, () -> s.createPageBlob(c, "b", -512));
        s.createPageBlob(c, "b", 4096);
        assertEquals(4096, s.blobSize(c, "b"));
        assertEquals(BlobType.PAGE_BLOB, s.blobType(c, "b"));
        assertError(BlobErrorCode.BLOB_ALREADY_EXISTS, () -> s.createPageBlob(c, "b", 1024));
        assertEquals(4096, s.blobSize(c, "b"));
    }

    @Test
    void writtenPagesReadBackAndUnwrittenOnesReadAsZeros() {
        s.createPageBlob(c, "b", 256 * KIB);
        byte[] data = pattern(8 * KIB, 5);
        s.uploadPages(c, "b", 64 * KIB, data, 0, data.length);
        byte[] expected = new byte[16 * KIB];
        System.arraycopy(data, 0, expected, 4 * KIB, data.length);
        assertArrayEquals(expected, s.downloadRange(c, "b", 60 * KIB, 16 * KIB));
        assertArrayEquals(new byte[1000], s.downloadRange(c, "b", 0, 1000));
        byte[] part = pattern(2048, 9);
        s.uploadPages(c, "b", 0, part, 512, 1024); // an offset into the caller's array
        assertArrayEquals(Arrays.copyOfRange(part, 512, 1536), s.downloadRange(c, "b", 0, 1024));
    }

    @Test
    void misalignedOutOfRangeAndOversizedPutPagesAreRejected() {
        s.createPageBlob(c, "b", 4096);
        byte[] data = new byte[1024];
        assertError(BlobErrorCode.INVALID_PAGE_RANGE, () -> s.uploadPages(c, "b", 100, data, 0, 512));
        assertError(BlobErrorCode.INVALID_PAGE_RANGE, () -> s.uploadPages(c, "b", 0, data, 0, 100));
        assertError(BlobErrorCode.INVALID_PAGE_RANGE, () -> s.uploadPages(c, "b", 3584, data, 0, 1024));
        assertError(BlobErrorCode.INVALID_PAGE_RANGE, () -> s.clearPages(c, "b", 512, 100));
        assertEquals(List.of(), s.getPageRanges(c, "b"));
        s.deleteBlob(c, "b");
        s.createPageBlob(c, "b", 8 * MIB);
        byte[] big = new byte[4 * MIB + 512];
        assertError(BlobErrorCode.REQUEST_BODY_TOO_LARGE, () -> s.uploadPages(c, "b", 0, big, 0, big.length));
        s.uploadPages(c, "b", 0, big, 0, 4 * MIB);
        assertEquals(List.of(new PageRange(0, 4 * MIB - 1)), s.getPageRanges(c, "b"));
    }

    @Test
    void pageRangesAreMergedSortedAndClearedPagesLeaveThem() {
        s.createPageBlob(c, "b", 64 * KIB);
        s.uploadPages(c, "b", 8192, filled(512, 1), 0, 512);
        s.uploadPages(c, "b", 0, filled(1024, 2), 0, 1024);
        s.uploadPages(c, "b", 1024, filled(512, 3), 0, 512); // touches [0,1024): merges
        s.uploadPages(c, "b", 7680, filled(1024, 4), 0, 1024); // overlaps [8192,8704)
        assertEquals(List.of(new PageRange(0, 1535), new PageRange(7680, 8703)), s.getPageRanges(c, "b"));
        s.clearPages(c, "b", 512, 512);
        assertEquals(List.of(new PageRange(0, 511), new PageRange(1024, 1535), new PageRange(7680, 8703)),
                s.getPageRanges(c, "b"));
        assertArrayEquals(new byte[512], s.downloadRange(c, "b", 512, 512));
        s.clearPages(c, "b", 0, 64 * KIB);
        assertEquals(List.of(), s.getPageRanges(c, "b"));
        assertArrayEquals(new byte[16 * KIB], s.downloadRange(c, "b", 0, 16 * KIB));
    }

    @Test
    void rangesPastTheEndAreCutAndRangesStartingPastItFail() {
        s.createPageBlob(c, "b", 1024);
        s.uploadPages(c, "b", 512, filled(512, 3), 0, 512);
        assertArrayEquals(filled(512, 3), s.downloadRange(c, "b", 512, 4096));
        assertArrayEquals(new byte[0], s.downloadRange(c, "b", 1024, 0));
        assertError(BlobErrorCode.INVALID_RANGE, () -> s.downloadRange(c, "b", 1024, 1));
        assertError(BlobErrorCode.INVALID_RANGE, () -> s.downloadRange(c, "b", 4096, 1));
        assertError(BlobErrorCode.INVALID_RANGE, () -> s.downloadRange(c, "b", -1, 1));
    }

    @Test
    void pageOperationsOnABlockBlobFailWithInvalidBlobType() {
        s.uploadBlockBlob(c, "log", new byte[512]);
        assertError(BlobErrorCode.INVALID_BLOB_TYPE, () -> s.uploadPages(c, "log", 0, new byte[512], 0, 512));
        assertError(BlobErrorCode.INVALID_BLOB_TYPE, () -> s.getPageRanges(c, "log"));
    }

    // --- block blobs and metadata -----------------------------------------------------------------

    @Test
    void blockBlobsReadBackAndAreReplacedByAnUploadWithoutTheirMetadata() {
        byte[] data = {1, 2, 3, 4, 5};
        s.uploadBlockBlob(c, "log", data);
        data[0] = 99; // the store keeps its own copy
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, s.download(c, "log"));
        assertArrayEquals(new byte[] {2, 3}, s.downloadRange(c, "log", 1, 2));
        s.setMetadata(c, "log", new TreeMap<>(Map.of("a", "1")));
        s.uploadBlockBlob(c, "log", new byte[] {7});
        assertArrayEquals(new byte[] {7}, s.download(c, "log"));
        assertEquals(Map.of(), s.getMetadata(c, "log"));
        assertEquals(BlobType.BLOCK_BLOB, s.blobType(c, "log"));
        s.uploadBlockBlob(c, "empty", new byte[0]);
        assertArrayEquals(new byte[0], s.download(c, "empty"));
    }

    @Test
    void metadataIsReplacedWholeReturnedSortedAndChecked() {
        s.createPageBlob(c, "b", 512);
        s.setMetadata(c, "b", new TreeMap<>(Map.of("zeta", "1", "alpha", "2")));
        assertEquals(List.of("alpha", "zeta"), List.copyOf(s.getMetadata(c, "b").keySet()));
        s.setMetadata(c, "b", new TreeMap<>(Map.of("beta", "3")));
        assertEquals(Map.of("beta", "3"), s.getMetadata(c, "b"));
        assertError(BlobErrorCode.INVALID_METADATA, () -> s.setMetadata(c, "b", new TreeMap<>(Map.of("1x", "v"))));
        assertError(BlobErrorCode.INVALID_METADATA, () -> s.setMetadata(c, "b", new TreeMap<>(Map.of("x", "a\nb"))));
        s.setMetadata(c, "b", new TreeMap<>());
        assertEquals(Map.of(), s.getMetadata(c, "b"));
    }

    // --- snapshots ------------------------------------------------------------------------------

    @Test
    void snapshotsAreIsolatedFromLaterWritesAndClears() {
        s.createPageBlob(c, "b", 192 * KIB);
        s.uploadPages(c, "b", 0, filled(65 * KIB, 1), 0, 65 * KIB);
        String snap = s.createSnapshot(c, "b");
        s.uploadPages(c, "b", 512, filled(512, 2), 0, 512);
        s.clearPages(c, "b", 64 * KIB, KIB);
        s.uploadPages(c, "b", 128 * KIB, filled(512, 3), 0, 512);

        assertArrayEquals(filled(65 * KIB, 1), s.downloadRange(c, "b", snap, 0, 65 * KIB));
        assertArrayEquals(new byte[512], s.downloadRange(c, "b", snap, 128 * KIB, 512));
        assertEquals(List.of(new PageRange(0, 65 * KIB - 1)), s.getPageRanges(c, "b", snap));
        assertArrayEquals(filled(512, 2), s.downloadRange(c, "b", 512, 512));
        assertEquals(List.of(new PageRange(0, 64 * KIB - 1), new PageRange(128 * KIB, 128 * KIB + 511)),
                s.getPageRanges(c, "b"));
    }

    @Test
    void snapshotsAreListedOldestFirstAndKeepTheBlobsMetadataUnlessGivenTheirOwn() {
        s.createPageBlob(c, "b", 512);
        s.setMetadata(c, "b", new TreeMap<>(Map.of("seq", "4")));
        String plain = s.createSnapshot(c, "b");
        String own = s.createSnapshot(c, "b", new TreeMap<>(Map.of("kind", "app")));
        String empty = s.createSnapshot(c, "b", new TreeMap<>());
        s.setMetadata(c, "b", new TreeMap<>(Map.of("seq", "5")));
        assertEquals(Map.of("seq", "4"), s.getMetadata(c, "b", plain));
        assertEquals(Map.of("kind", "app"), s.getMetadata(c, "b", own));
        assertEquals(Map.of("seq", "4"), s.getMetadata(c, "b", empty), "REST cannot send an empty metadata set");
        assertEquals(Map.of("seq", "5"), s.getMetadata(c, "b"));
        assertEquals(List.of(plain, own, empty), s.listSnapshots(c, "b"));
        assertTrue(SnapshotIds.parse(plain).isBefore(SnapshotIds.parse(own)), plain + " then " + own);
    }

    @Test
    void aBlobWithSnapshotsIsDeletedOnlyWithThem() {
        s.createPageBlob(c, "b", 512);
        String snap = s.createSnapshot(c, "b");
        assertError(BlobErrorCode.SNAPSHOTS_PRESENT, () -> s.deleteBlob(c, "b"));
        s.deleteSnapshot(c, "b", snap);
        assertEquals(List.of(), s.listSnapshots(c, "b"));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> s.deleteSnapshot(c, "b", snap));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> s.downloadRange(c, "b", snap, 0, 512));
        assertError(BlobErrorCode.INVALID_QUERY_PARAMETER_VALUE, () -> s.downloadRange(c, "b", "yesterday", 0, 1));
        s.createSnapshot(c, "b");
        s.deleteBlobAndSnapshots(c, "b");
        assertFalse(s.exists(c, "b"));
    }

    // --- copy -----------------------------------------------------------------------------------

    @Test
    void aCopyOfASnapshotIsANewBlobWithItsContentRangesAndMetadata() {
        s.createPageBlob(c, "b", 64 * KIB);
        s.uploadPages(c, "b", 4096, pattern(8192, 1), 0, 8192);
        String snap = s.createSnapshot(c, "b", new TreeMap<>(Map.of("kind", "crash")));
        s.uploadPages(c, "b", 0, filled(512, 9), 0, 512);
        s.createContainer("contract-copies");
        String target = "copy-of-" + c;
        s.copyBlob(c, "b", snap, "contract-copies", target);

        assertEquals(64 * KIB, s.blobSize("contract-copies", target));
        assertEquals(BlobType.PAGE_BLOB, s.blobType("contract-copies", target));
        assertEquals(List.of(new PageRange(4096, 4096 + 8191)), s.getPageRanges("contract-copies", target));
        assertArrayEquals(s.downloadRange(c, "b", snap, 0, 64 * KIB), s.downloadRange("contract-copies", target, 0,
                64 * KIB));
        assertEquals(Map.of("kind", "crash"), s.getMetadata("contract-copies", target));
        s.uploadPages("contract-copies", target, 4096, filled(512, 7), 0, 512); // the copy is independent
        assertArrayEquals(pattern(512, 1), s.downloadRange(c, "b", snap, 4096, 512));

        assertError(BlobErrorCode.BLOB_ALREADY_EXISTS, () -> s.copyBlob(c, "b", snap, "contract-copies", target));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> s.copyBlob(c, "missing", null, c, "x"));
        assertError(BlobErrorCode.CONTAINER_NOT_FOUND, () -> s.copyBlob(c, "b", null, "no-such-container", "x"));
        s.copyBlob(c, "b", null, c, "base-copy");
        assertArrayEquals(filled(512, 9), s.downloadRange(c, "base-copy", 0, 512));
        s.deleteBlob("contract-copies", target);
    }

    // --- replica disks ----------------------------------------------------------------------------

    private ReplicaDisk replica(long size) {
        return ReplicaDisk.create(s, c, "vm01/disk0.vhd", DISK, size, now());
    }

    @Test
    void aReplicaIsAFixedVhdPageBlobThatReopens() {
        ReplicaDisk disk = replica(2 * MIB);
        assertEquals(2 * MIB + 512, s.blobSize(c, "vm01/disk0.vhd"));
        assertEquals(List.of(new PageRange(2 * MIB, 2 * MIB + 511)), s.getPageRanges(c, "vm01/disk0.vhd"));
        ReplicaDisk reopened = ReplicaDisk.open(s, c, "vm01/disk0.vhd");
        assertEquals(disk.footer(), reopened.footer());
        assertEquals(DISK, reopened.diskId());
    }

    @Test
    void replicaWritesOfAnyAlignmentAndSizeReadBackAndHashAsTheModel() {
        long size = 6 * MIB;
        ReplicaDisk disk = replica(size);
        byte[] model = new byte[(int) size];
        byte[] large = pattern(4 * MIB + 1536, 3); // more than one Put Page
        disk.writeData(700, large);
        System.arraycopy(large, 0, model, 700, large.length);
        byte[] tail = pattern(10, 4);
        disk.writeData(size - 10, tail);
        System.arraycopy(tail, 0, model, (int) size - 10, 10);
        assertArrayEquals(model, disk.readData(0, (int) size));
        assertEquals(sha256(model), disk.sha256());
    }

    @Test
    void recoveryPointsAreIsolatedAndLogsApplyIdempotently() {
        ReplicaDisk disk = replica(MIB);
        assertTrue(disk.applyLog(1, List.of(new PageWrite(0, filled(1024, 1)))));
        DiskRecoveryPoint first = disk.createRecoveryPoint(false);
        assertTrue(disk.applyLog(2, List.of(new PageWrite(512, filled(100, 2)), new PageWrite(4096, filled(512, 3)))));
        assertFalse(disk.applyLog(2, List.of(new PageWrite(0, filled(512, 9)))), "a redelivered log is ignored");
        assertFalse(disk.applyLog(1, List.of(new PageWrite(0, filled(512, 9)))), "a stale log is ignored");
        DiskRecoveryPoint second = disk.createRecoveryPoint(true);
        disk.writeData(0, filled(512, 8));

        assertEquals(OptionalLong.of(2), disk.lastAppliedLogSequence());
        assertEquals(List.of(first, second), disk.recoveryPoints());
        assertEquals(OptionalLong.of(1), first.lastAppliedLog());
        assertFalse(first.appConsistent());
        assertTrue(second.appConsistent());
        assertArrayEquals(filled(1024, 1), disk.readData(first, 0, 1024));
        byte[] atSecond = disk.readData(second, 0, 1024);
        assertArrayEquals(filled(100, 2), Arrays.copyOfRange(atSecond, 512, 612));
        assertArrayEquals(filled(512, 8), disk.readData(0, 512));
        assertNotEquals(disk.sha256(first), disk.sha256(second));

        disk.deleteRecoveryPoint(first);
        assertEquals(List.of(second), disk.recoveryPoints());
        ReplicaDisk copy = disk.copyRecoveryPoint(second, c, "failover/disk0.vhd");
        assertEquals(disk.sha256(second), copy.sha256());
        assertEquals(disk.footer(), copy.footer());
    }

    static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
