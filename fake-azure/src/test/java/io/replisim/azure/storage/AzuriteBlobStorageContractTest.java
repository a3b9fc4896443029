package io.replisim.azure.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.specialized.PageBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.replisim.azure.azurite.SharedAzurite;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract on the {@code azurite} backend (SDK against an npm Azurite), plus the places where
 * Azurite is known to differ from Azure. Those are outside {@link BlobStorage} on purpose: the
 * tests below pin Azurite's behaviour through the raw SDK so that nobody builds on it, and so that
 * an Azurite upgrade that closes a gap shows up here.
 */
@ExtendWith(SharedAzurite.class)
class AzuriteBlobStorageContractTest extends BlobStorageContract {
    private final AzuriteBlobStorage storage = SharedAzurite.server().newBlobStorage();

    @Override
    BlobStorage storage() {
        return storage;
    }

    private PageBlobClient sdkPageBlob(String container, String blob) {
        BlobEndpoint e = SharedAzurite.server().endpoint();
        return new BlobServiceClientBuilder().endpoint(e.url().toString())
                .credential(new StorageSharedKeyCredential(e.accountName(), e.accountKey())).buildClient()
                .getBlobContainerClient(container).getBlobClient(blob).getPageBlobClient();
    }

    @Test
    @DisplayName("Azurite differs from Azure: Get Page Ranges with prevsnapshot returns every range, not the diff")
    void azuriteGapPageRangeDiffReturnsAllRanges() {
        s.createPageBlob(c, "b", 8192);
        s.uploadPages(c, "b", 0, filled(512, 1), 0, 512);
        String snap = s.createSnapshot(c, "b");
        s.uploadPages(c, "b", 4096, filled(512, 2), 0, 512);
        // Azure would answer only 4096-4607 (changed since the snapshot); Azurite answers both ranges
        List<String> ranges = sdkPageBlob(c, "b").listPageRangesDiff(new BlobRange(0), snap).stream()
                .filter(r -> !r.isClear())
                .map(r -> r.getRange().getOffset() + "-" + (r.getRange().getOffset() + r.getRange().getLength() - 1))
                .toList();
        assertEquals(List.of("0-511", "4096-4607"), ranges);
    }

    @Test
    @DisplayName("Azurite differs from Azure: Incremental Copy Blob answers 501 Not Implemented")
    void azuriteGapIncrementalCopyIsNotImplemented() {
        s.createPageBlob(c, "b", 8192);
        String snap = s.createSnapshot(c, "b");
        PageBlobClient source = sdkPageBlob(c, "b");
        com.azure.storage.blob.models.BlobStorageException e = assertThrows(
                com.azure.storage.blob.models.BlobStorageException.class,
                () -> sdkPageBlob(c, "incremental").copyIncremental(source.getBlobUrl(), snap));
        assertEquals(501, e.getStatusCode());
    }

    @Test
    @DisplayName("Azurite differs from Azure: a Copy Blob shares pages with its source, so writing the copy changes the source")
    void azuriteGapCopyBlobSharesPagesWithItsSource() {
        s.createPageBlob(c, "b", 8192);
        s.uploadPages(c, "b", 0, filled(512, 1), 0, 512);
        String snap = s.createSnapshot(c, "b");
        PageBlobClient copy = sdkPageBlob(c, "server-copy");
        copy.beginCopy(sdkPageBlob(c, "b").getSnapshotClient(snap).getBlobUrl(), java.time.Duration.ofMillis(20))
                .waitForCompletion(java.time.Duration.ofSeconds(30));
        copy.uploadPages(new com.azure.storage.blob.models.PageRange().setStart(0).setEnd(511),
                new java.io.ByteArrayInputStream(filled(512, 7)));
        // Azure would leave the snapshot at 1s; AzuriteBlobStorage.copyBlob copies through the client instead
        assertEquals(7, s.downloadRange(c, "b", snap, 0, 512)[0]);
    }
}
