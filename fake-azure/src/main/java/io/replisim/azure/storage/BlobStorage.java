package io.replisim.azure.storage;

import java.util.List;
import java.util.SortedMap;

/**
 * One storage account's Blob service, as replication uses it. Operations are named after the Blob
 * REST API (and the Azure Storage SDK's methods for them) so that the in-memory emulator and an
 * Azurite backend driven by the SDK implement the same contract. Every failure is a
 * {@link BlobStorageException} carrying Azure's error code and HTTP status.
 *
 * <p>A {@code snapshot} argument is a snapshot id as returned by {@link #createSnapshot}
 * (the REST API's {@code snapshot} query parameter, a DateTime such as
 * {@code 2026-01-05T08:00:00.0000000Z}).
 */
public interface BlobStorage {

    /** Page size of page blobs: offsets and lengths of page operations are multiples of it. */
    int PAGE_SIZE = 512;

    /** Largest body a single Put Page request may carry (4 MiB). */
    int MAX_PUT_PAGE_BYTES = 4 * 1024 * 1024;

    /** Largest page blob Azure allows (8 TiB). */
    long MAX_PAGE_BLOB_BYTES = 8L * 1024 * 1024 * 1024 * 1024;

    /** The storage account's name. */
    String accountName();

    // --- containers -------------------------------------------------------------------------

    /** Create Container; does nothing if it exists (the SDK's {@code createIfNotExists}). */
    void createContainer(String container);

    boolean containerExists(String container);

    /** Delete Container, with every blob and snapshot in it. */
    void deleteContainer(String container);

    /** List Blobs: base blobs whose name starts with {@code prefix} (null or empty: all), sorted by name. */
    List<BlobItem> listBlobs(String container, String prefix);

    // --- page blobs ---------------------------------------------------------------------------

    /**
     * Put Blob of a page blob of {@code sizeBytes} (a multiple of 512, at most 8 TiB), all pages
     * clear. Fails with {@code BlobAlreadyExists} if the blob exists, as the SDK's
     * {@code create(size)} does, so a replica is never replaced by accident.
     */
    void createPageBlob(String container, String blob, long sizeBytes);

    /**
     * Put Page (update): writes {@code data[off, off+len)} at {@code offset}. Offset and length
     * must be multiples of 512, within the blob, and {@code len} at most 4 MiB.
     */
    void uploadPages(String container, String blob, long offset, byte[] data, int off, int len);

    /** Put Page (clear): the pages read as zeros again and leave the page ranges. */
    void clearPages(String container, String blob, long offset, long length);

    /** Get Page Ranges: the written pages, merged into maximal ranges, sorted. */
    List<PageRange> getPageRanges(String container, String blob);

    List<PageRange> getPageRanges(String container, String blob, String snapshot);

    // --- block blobs --------------------------------------------------------------------------

    /** Put Blob of a block blob; replaces an existing blob like the REST API does by default. */
    void uploadBlockBlob(String container, String blob, byte[] data);

    // --- any blob -----------------------------------------------------------------------------

    /** Get Blob of the whole blob (at most 2 GiB). */
    byte[] download(String container, String blob);

    /**
     * Get Blob with a range. Unwritten pages read as zeros. {@code offset} must be inside the blob
     * ({@code InvalidRange} otherwise); a range running past the end is cut at the end, as HTTP
     * range requests are.
     */
    byte[] downloadRange(String container, String blob, long offset, int length);

    byte[] downloadRange(String container, String blob, String snapshot, long offset, int length);

    /** Content length from Get Blob Properties. */
    long blobSize(String container, String blob);

    BlobType blobType(String container, String blob);

    /** Whether the blob exists; false also when the container does not. */
    boolean exists(String container, String blob);

    /** Delete Blob; fails with {@code SnapshotsPresent} if the blob has snapshots. */
    void deleteBlob(String container, String blob);

    /** Delete Blob with {@code x-ms-delete-snapshots: include}. */
    void deleteBlobAndSnapshots(String container, String blob);

    /** Get Blob Metadata, sorted by name. */
    SortedMap<String, String> getMetadata(String container, String blob);

    SortedMap<String, String> getMetadata(String container, String blob, String snapshot);

    /**
     * Set Blob Metadata: replaces all metadata. Names are C# identifiers, values printable ASCII
     * ({@code InvalidMetadata} otherwise).
     */
    void setMetadata(String container, String blob, SortedMap<String, String> metadata);

    // --- snapshots ----------------------------------------------------------------------------

    /** Snapshot Blob: a read-only copy of the blob as it is now, with the blob's metadata. */
    String createSnapshot(String container, String blob);

    /**
     * Snapshot Blob with metadata of its own, replacing the blob's (as the REST API does). An empty
     * map keeps the blob's metadata: the REST API cannot send an empty set.
     */
    String createSnapshot(String container, String blob, SortedMap<String, String> metadata);

    /** The blob's snapshot ids, oldest first. */
    List<String> listSnapshots(String container, String blob);

    /** Delete Blob on one snapshot. */
    void deleteSnapshot(String container, String blob, String snapshot);

    // --- copy -----------------------------------------------------------------------------------

    /**
     * Copy Blob within the account, returning once the copy has completed: the target becomes a
     * new blob with the source's type, size, content, page ranges and metadata. The source is the
     * base blob, or one of its snapshots if {@code sourceSnapshot} is not null. The target's
     * container must exist; a target that exists fails with {@code BlobAlreadyExists}, so a copy
     * never replaces a blob by accident.
     */
    void copyBlob(String sourceContainer, String sourceBlob, String sourceSnapshot, String targetContainer,
            String targetBlob);
}
