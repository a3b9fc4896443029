package io.replisim.azure.storage;

import java.util.List;
import java.util.SortedMap;

/**
 * A {@link BlobStorage} that hands every call to another after {@link #before} has seen it: the
 * base of wrappers that fail or count calls. Written out rather than a reflective proxy, since a
 * fleet makes millions of calls.
 */
public abstract class ForwardingBlobStorage implements BlobStorage {
    private final BlobStorage target;

    protected ForwardingBlobStorage(BlobStorage target) {
        this.target = target;
    }

    /** Called before each operation with its name (as the interface spells it); may throw to answer instead. */
    protected abstract void before(String operation);

    @Override
    public String accountName() {
        before("accountName");
        return target.accountName();
    }

    @Override
    public void createContainer(String container) {
        before("createContainer");
        target.createContainer(container);
    }

    @Override
    public boolean containerExists(String container) {
        before("containerExists");
        return target.containerExists(container);
    }

    @Override
    public void deleteContainer(String container) {
        before("deleteContainer");
        target.deleteContainer(container);
    }

    @Override
    public List<BlobItem> listBlobs(String container, String prefix) {
        before("listBlobs");
        return target.listBlobs(container, prefix);
    }

    @Override
    public void createPageBlob(String container, String blob, long sizeBytes) {
        before("createPageBlob");
        target.createPageBlob(container, blob, sizeBytes);
    }

    @Override
    public void uploadPages(String container, String blob, long offset, byte[] data, int off, int len) {
        before("uploadPages");
        target.uploadPages(container, blob, offset, data, off, len);
    }

    @Override
    public void clearPages(String container, String blob, long offset, long length) {
        before("clearPages");
        target.clearPages(container, blob, offset, length);
    }

    @Override
    public List<PageRange> getPageRanges(String container, String blob) {
        before("getPageRanges");
        return target.getPageRanges(container, blob);
    }

    @Override
    public List<PageRange> getPageRanges(String container, String blob, String snapshot) {
        before("getPageRanges");
        return target.getPageRanges(container, blob, snapshot);
    }

    @Override
    public void uploadBlockBlob(String container, String blob, byte[] data) {
        before("uploadBlockBlob");
        target.uploadBlockBlob(container, blob, data);
    }

    @Override
    public byte[] download(String container, String blob) {
        before("download");
        return target.download(container, blob);
    }

    @Override
    public byte[] downloadRange(String container, String blob, long offset, int length) {
        before("downloadRange");
        return target.downloadRange(container, blob, offset, length);
    }

    @Override
    public byte[] downloadRange(String container, String blob, String snapshot, long offset, int length) {
        before("downloadRange");
        return target.downloadRange(container, blob, snapshot, offset, length);
    }

    @Override
    public long blobSize(String container, String blob) {
        before("blobSize");
        return target.blobSize(container, blob);
    }

    @Override
    public BlobType blobType(String container, String blob) {
        before("blobType");
        return target.blobType(container, blob);
    }

    @Override
    public boolean exists(String container, String blob) {
        before("exists");
        return target.exists(container, blob);
    }

    @Override
    public void deleteBlob(String container, String blob) {
        before("deleteBlob");
        target.deleteBlob(container, blob);
    }

    @Override
    public void deleteBlobAndSnapshots(String container, String blob) {
        before("deleteBlobAndSnapshots");
        target.deleteBlobAndSnapshots(container, blob);
    }

    @Override
    public SortedMap<String, String> getMetadata(String container, String blob) {
        before("getMetadata");
        return target.getMetadata(container, blob);
    }

    @Override
    public SortedMap<String, String> getMetadata(String container, String blob, String snapshot) {
        before("getMetadata");
        return target.getMetadata(container, blob, snapshot);
    }

    @Override
    public void setMetadata(String container, String blob, SortedMap<String, String> metadata) {
        before("setMetadata");
        target.setMetadata(container, blob, metadata);
    }

    @Override
    public String createSnapshot(String container, String blob) {
        before("createSnapshot");
        return target.createSnapshot(container, blob);
    }

    @Override
    public String createSnapshot(String container, String blob, SortedMap<String, String> metadata) {
        before("createSnapshot");
        return target.createSnapshot(container, blob, metadata);
    }

    @Override
    public List<String> listSnapshots(String container, String blob) {
        before("listSnapshots");
        return target.listSnapshots(container, blob);
    }

    @Override
    public void deleteSnapshot(String container, String blob, String snapshot) {
        before("deleteSnapshot");
        target.deleteSnapshot(container, blob, snapshot);
    }

    @Override
    public void copyBlob(String sourceContainer, String sourceBlob, String sourceSnapshot, String targetContainer,
            String targetBlob) {
        before("copyBlob");
        target.copyBlob(sourceContainer, sourceBlob, sourceSnapshot, targetContainer, targetBlob);
    }
}
