package io.replisim.azure.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.azure.ManualClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MemoryBlobStorageTest {
    private static final String C = "replica";
    private final ManualClock clock = ManualClock.at("2026-01-05T07:00:00Z");
    private MemoryBlobStorage storage;

    @BeforeEach
    void setUp() {
        storage = new MemoryBlobStorage(clock);
        storage.createContainer(C);
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static void assertError(BlobErrorCode code, Executable call) {
        BlobStorageException e = assertThrows(BlobStorageException.class, call);
        assertEquals(code.code(), e.errorCode(), e.getMessage());
        assertEquals(code.status(), e.statusCode());
    }

    @Test
    void creatingAContainerTwiceIsHarmless() {
        storage.uploadBlockBlob(C, "a", new byte[] {1});
        storage.createContainer(C);
        assertTrue(storage.exists(C, "a"));
    }

    @Test
    void containerNamesFollowAzureRules() {
        for (String bad : List.of("ab", "Replica", "-replica", "replica-", "rep--lica", "rep_lica", "a".repeat(64))) {
            assertError(BlobErrorCode.INVALID_RESOURCE_NAME, () -> storage.createContainer(bad));
        }
        storage.createContainer("a1-b2");
        storage.createContainer("a".repeat(63));
    }

    @Test
    void operationsOnAMissingContainerOrBlobFailWithNotFound() {
        assertError(BlobErrorCode.CONTAINER_NOT_FOUND, () -> storage.createPageBlob("nope", "b", 512));
        assertError(BlobErrorCode.CONTAINER_NOT_FOUND, () -> storage.listBlobs("nope", null));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> storage.downloadRange(C, "missing", 0, 1));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> storage.getMetadata(C, "missing"));
        assertFalse(storage.exists("nope", "b"));
        assertFalse(storage.exists(C, "missing"));
    }

    @Test
    void blobsAreListedSortedByNameAndFilteredByPrefix() {
        storage.uploadBlockBlob(C, "logs/vm1/2", new byte[3]);
        storage.createPageBlob(C, "disks/b.vhd", 1024);
        storage.uploadBlockBlob(C, "logs/vm1/1", new byte[2]);
        storage.createPageBlob(C, "disks/a.vhd", 512);
        assertEquals(List.of(new BlobItem("disks/a.vhd", BlobType.PAGE_BLOB, 512),
                new BlobItem("disks/b.vhd", BlobType.PAGE_BLOB, 1024), new BlobItem("logs/vm1/1", BlobType.BLOCK_BLOB, 2),
                new BlobItem("logs/vm1/2", BlobType.BLOCK_BLOB, 3)), storage.listBlobs(C, ""));
        assertEquals(List.of("logs/vm1/1", "logs/vm1/2"),
                storage.listBlobs(C, "logs/").stream().map(BlobItem::name).toList());
    }

    @Test
    void pageBlobSizeMustBeAMultipleOf512() {
        assertError(BlobErrorCode.INVALID_HEADER_VALUE, () -> storage.createPageBlob(C, "b", 1000));
        assertError(BlobErrorCode.INVALID_HEADER_VALUE, () -> storage.createPageBlob(C, "b", -512));
        assertError(BlobErrorCode.INVALID_HEADER_VALUE,
                () -> storage.createPageBlob(C, "b", BlobStorage.MAX_PAGE_BLOB_BYTES + 512));
    }

    @Test
    void creatingAnExistingPageBlobFails() {
        storage.createPageBlob(C, "b", 512);
        assertError(BlobErrorCode.BLOB_ALREADY_EXISTS, () -> storage.createPageBlob(C, "b", 1024));
    }

    @Test
    void misalignedOrOutOfRangePageWritesAreRejected() {
        storage.createPageBlob(C, "b", 4096);
        byte[] data = new byte[1024];
        assertError(BlobErrorCode.INVALID_PAGE_RANGE, () -> storage.uploadPages(C, "b", 100, data, 0, 512));
        assertError(BlobErrorCode.INVALID_PAGE_RANGE, () -> storage.uploadPages(C, "b", 0, data, 0, 100));
        assertError(BlobErrorCode.INVALID_PAGE_RANGE, () -> storage.uploadPages(C, "b", 0, data, 0, 0));
        assertError(BlobErrorCode.INVALID_PAGE_RANGE, () -> storage.uploadPages(C, "b", 3584, data, 0, 1024));
        assertError(BlobErrorCode.INVALID_PAGE_RANGE, () -> storage.uploadPages(C, "b", -512, data, 0, 512));
        assertError(BlobErrorCode.INVALID_PAGE_RANGE, () -> storage.clearPages(C, "b", 512, 100));
        assertEquals(List.of(), storage.getPageRanges(C, "b"));
    }

    @Test
    void aPutPageBodyIsAtMost4MiB() {
        int fourMiB = 4 * 1024 * 1024;
        storage.createPageBlob(C, "b", 2L * fourMiB);
        byte[] data = new byte[fourMiB + 512];
        assertError(BlobErrorCode.REQUEST_BODY_TOO_LARGE, () -> storage.uploadPages(C, "b", 0, data, 0, data.length));
        storage.uploadPages(C, "b", 0, data, 0, fourMiB);
    }

    @Test
    void unwrittenPagesReadAsZeros() {
        storage.createPageBlob(C, "b", 3 * 65536);
        storage.uploadPages(C, "b", 65536, filled(512, 7), 0, 512);
        byte[] read = storage.downloadRange(C, "b", 65536 - 512, 1536);
        byte[] expected = new byte[1536];
        Arrays.fill(expected, 512, 1024, (byte) 7);
        assertArrayEquals(expected, read);
        assertArrayEquals(new byte[1000], storage.downloadRange(C, "b", 0, 1000));
    }

    @Test
    void pageRangesAreMergedAndSorted() {
        storage.createPageBlob(C, "b", 1 << 20);
        storage.uploadPages(C, "b", 8192, new byte[512], 0, 512);
        storage.uploadPages(C, "b", 0, new byte[1024], 0, 1024);
        storage.uploadPages(C, "b", 1024, new byte[512], 0, 512); // touches [0,1024): merges
        storage.uploadPages(C, "b", 7680, new byte[1024], 0, 1024); // overlaps [8192,8704)
        assertEquals(List.of(new PageRange(0, 1535), new PageRange(7680, 8703)), storage.getPageRanges(C, "b"));
        storage.uploadPages(C, "b", 1536, new byte[6144], 0, 6144); // fills the gap exactly
        assertEquals(List.of(new PageRange(0, 8703)), storage.getPageRanges(C, "b"));
    }

    @Test
    void clearingPagesSplitsRangesAndReadsZeros() {
        storage.createPageBlob(C, "b", 1 << 20);
        storage.uploadPages(C, "b", 0, filled(4096, 9), 0, 4096);
        storage.clearPages(C, "b", 1024, 1024);
        assertEquals(List.of(new PageRange(0, 1023), new PageRange(2048, 4095)), storage.getPageRanges(C, "b"));
        byte[] expected = filled(4096, 9);
        Arrays.fill(expected, 1024, 2048, (byte) 0);
        assertArrayEquals(expected, storage.downloadRange(C, "b", 0, 4096));
        storage.clearPages(C, "b", 0, 1 << 20);
        assertEquals(List.of(), storage.getPageRanges(C, "b"));
        assertEquals(0, storage.chunkCount(C, "b"));
    }

    @Test
    void writtenZerosStillCountAsWrittenPages() {
        storage.createPageBlob(C, "b", 4096);
        storage.uploadPages(C, "b", 512, new byte[512], 0, 512);
        assertEquals(List.of(new PageRange(512, 1023)), storage.getPageRanges(C, "b"));
    }

    @Test
    void aHugePageBlobWithFewWrittenPagesStaysSmall() {
        long fourTiB = 4L << 40;
        storage.createPageBlob(C, "big", fourTiB);
        storage.uploadPages(C, "big", fourTiB - 512, filled(512, 1), 0, 512);
        storage.uploadPages(C, "big", 1L << 40, filled(512, 2), 0, 512);
        assertEquals(2, storage.chunkCount(C, "big"));
        assertEquals(fourTiB, storage.blobSize(C, "big"));
        assertArrayEquals(filled(512, 1), storage.downloadRange(C, "big", fourTiB - 512, 512));
    }

    @Test
    void rangesPastTheEndAreCutAndRangesStartingPastItFail() {
        storage.createPageBlob(C, "b", 1024);
        storage.uploadPages(C, "b", 512, filled(512, 3), 0, 512);
        assertArrayEquals(filled(512, 3), storage.downloadRange(C, "b", 512, 4096));
        assertError(BlobErrorCode.INVALID_RANGE, () -> storage.downloadRange(C, "b", 1024, 1));
        assertError(BlobErrorCode.INVALID_RANGE, () -> storage.downloadRange(C, "b", -1, 1));
    }

    @Test
    void pageOperationsOnABlockBlobFailWithInvalidBlobType() {
        storage.uploadBlockBlob(C, "log", new byte[512]);
        assertError(BlobErrorCode.INVALID_BLOB_TYPE, () -> storage.uploadPages(C, "log", 0, new byte[512], 0, 512));
        assertError(BlobErrorCode.INVALID_BLOB_TYPE, () -> storage.getPageRanges(C, "log"));
    }

    @Test
    void blockBlobsReadBackAndAreReplacedByAnUpload() {
        byte[] data = {1, 2, 3, 4, 5};
        storage.uploadBlockBlob(C, "log", data);
        data[0] = 99; // the store keeps its own copy
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, storage.download(C, "log"));
        assertArrayEquals(new byte[] {2, 3}, storage.downloadRange(C, "log", 1, 2));
        storage.setMetadata(C, "log", new TreeMap<>(Map.of("a", "1")));
        storage.uploadBlockBlob(C, "log", new byte[] {7});
        assertArrayEquals(new byte[] {7}, storage.download(C, "log"));
        assertEquals(Map.of(), storage.getMetadata(C, "log"));
        assertEquals(BlobType.BLOCK_BLOB, storage.blobType(C, "log"));
    }

    @Test
    void metadataIsReplacedWholeAndReturnedSorted() {
        storage.createPageBlob(C, "b", 512);
        storage.setMetadata(C, "b", new TreeMap<>(Map.of("zeta", "1", "alpha", "2")));
        assertEquals(List.of("alpha", "zeta"), List.copyOf(storage.getMetadata(C, "b").keySet()));
        storage.setMetadata(C, "b", new TreeMap<>(Map.of("beta", "3")));
        assertEquals(Map.of("beta", "3"), storage.getMetadata(C, "b"));
        for (String name : List.of("1x", "a-b", "", "x y", "é")) {
            assertError(BlobErrorCode.INVALID_METADATA, () -> storage.setMetadata(C, "b", new TreeMap<>(Map.of(name, "v"))));
        }
        assertError(BlobErrorCode.INVALID_METADATA,
                () -> storage.setMetadata(C, "b", new TreeMap<>(Map.of("x", "line\nbreak"))));
        storage.setMetadata(C, "b", new TreeMap<>(Map.of("_Disk9", "printable ~ ASCII")));
        assertEquals(Map.of("_Disk9", "printable ~ ASCII"), storage.getMetadata(C, "b"));
    }

    @Test
    void snapshotsAreIsolatedFromLaterWritesAndClears() {
        storage.createPageBlob(C, "b", 3 * 65536);
        storage.uploadPages(C, "b", 0, filled(65536 + 1024, 1), 0, 65536 + 1024);
        String snap = storage.createSnapshot(C, "b");
        storage.uploadPages(C, "b", 512, filled(512, 2), 0, 512);
        storage.clearPages(C, "b", 65536, 1024);
        storage.uploadPages(C, "b", 2 * 65536, filled(512, 3), 0, 512);

        assertArrayEquals(filled(65536 + 1024, 1), storage.downloadRange(C, "b", snap, 0, 65536 + 1024));
        assertArrayEquals(new byte[512], storage.downloadRange(C, "b", snap, 2 * 65536, 512));
        assertEquals(List.of(new PageRange(0, 65536 + 1023)), storage.getPageRanges(C, "b", snap));
        assertArrayEquals(filled(512, 2), storage.downloadRange(C, "b", 512, 512));
        assertEquals(List.of(new PageRange(0, 65535), new PageRange(2 * 65536, 2 * 65536 + 511)),
                storage.getPageRanges(C, "b"));
    }

    @Test
    void snapshotsTakenWithoutWritesBetweenShareNothingThatLaterWritesOrCopiesChange() {
        storage.createPageBlob(C, "b", 2 * 65536);
        storage.uploadPages(C, "b", 0, filled(1024, 1), 0, 1024);
        String first = storage.createSnapshot(C, "b");
        clock.advance(Duration.ofSeconds(1));
        String second = storage.createSnapshot(C, "b");
        storage.copyBlob(C, "b", second, C, "copy");
        storage.uploadPages(C, "copy", 512, filled(512, 4), 0, 512);
        storage.uploadPages(C, "b", 65536, filled(512, 2), 0, 512);
        storage.clearPages(C, "b", 0, 512);
        clock.advance(Duration.ofSeconds(1));
        String third = storage.createSnapshot(C, "b");
        storage.uploadPages(C, "b", 0, filled(512, 3), 0, 512);

        for (String snap : List.of(first, second)) {
            assertArrayEquals(filled(1024, 1), storage.downloadRange(C, "b", snap, 0, 1024), snap);
            assertEquals(List.of(new PageRange(0, 1023)), storage.getPageRanges(C, "b", snap), snap);
        }
        assertEquals(List.of(new PageRange(512, 1023), new PageRange(65536, 65536 + 511)), storage.getPageRanges(C, "b", third));
        assertArrayEquals(new byte[512], storage.downloadRange(C, "b", third, 0, 512));
        assertArrayEquals(filled(512, 3), storage.downloadRange(C, "b", 0, 512));
        assertArrayEquals(filled(512, 1), storage.downloadRange(C, "copy", 0, 512));
        assertArrayEquals(filled(512, 4), storage.downloadRange(C, "copy", 512, 512));
        assertEquals(List.of(new PageRange(0, 1023)), storage.getPageRanges(C, "copy"));
    }

    @Test
    void snapshotIdsComeFromTheClockAndStayUniqueWithinOneTick() {
        storage.createPageBlob(C, "b", 512);
        String first = storage.createSnapshot(C, "b");
        String second = storage.createSnapshot(C, "b");
        clock.advance(Duration.ofMillis(1500));
        String third = storage.createSnapshot(C, "b");
        assertEquals("2026-01-05T07:00:00.0000000Z", first);
        assertEquals("2026-01-05T07:00:00.0000001Z", second);
        assertEquals("2026-01-05T07:00:01.5000000Z", third);
        assertEquals(List.of(first, second, third), storage.listSnapshots(C, "b"));
    }

    @Test
    void snapshotsKeepTheBlobsMetadataUnlessGivenTheirOwn() {
        storage.createPageBlob(C, "b", 512);
        storage.setMetadata(C, "b", new TreeMap<>(Map.of("seq", "4")));
        String plain = storage.createSnapshot(C, "b");
        clock.advance(Duration.ofSeconds(1));
        String own = storage.createSnapshot(C, "b", new TreeMap<>(Map.of("kind", "app")));
        storage.setMetadata(C, "b", new TreeMap<>(Map.of("seq", "5")));
        assertEquals(Map.of("seq", "4"), storage.getMetadata(C, "b", plain));
        assertEquals(Map.of("kind", "app"), storage.getMetadata(C, "b", own));
    }

    @Test
    void aBlobWithSnapshotsIsDeletedOnlyWithThem() {
        storage.createPageBlob(C, "b", 512);
        String snap = storage.createSnapshot(C, "b");
        assertError(BlobErrorCode.SNAPSHOTS_PRESENT, () -> storage.deleteBlob(C, "b"));
        storage.deleteSnapshot(C, "b", snap);
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> storage.deleteSnapshot(C, "b", snap));
        assertError(BlobErrorCode.BLOB_NOT_FOUND, () -> storage.downloadRange(C, "b", snap, 0, 512));
        assertError(BlobErrorCode.INVALID_QUERY_PARAMETER_VALUE, () -> storage.downloadRange(C, "b", "yesterday", 0, 1));
        storage.createSnapshot(C, "b");
        storage.deleteBlobAndSnapshots(C, "b");
        assertFalse(storage.exists(C, "b"));
    }

    @Test
    void deletingAContainerDeletesItsBlobs() {
        storage.createPageBlob(C, "b", 512);
        storage.deleteContainer(C);
        assertFalse(storage.containerExists(C));
        assertError(BlobErrorCode.CONTAINER_NOT_FOUND, () -> storage.deleteContainer(C));
    }
}
