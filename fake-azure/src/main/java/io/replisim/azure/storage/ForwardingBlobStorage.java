package io.replisim.azure.storage;

import java.util.List;
import java.util.SortedMap;
import java.util.function.Supplier;

/**
 * A {@link BlobStorage} that hands every call to another between {@link #before} and
 * {@link #after}, and lets {@link #failed} choose what a failure throws: the base of wrappers that
 * fail or count calls. Written out rather than a reflective proxy, since a
 * fleet makes millions of calls.
 */
public abstract class ForwardingBlobStorage implements BlobStorage {
    private final BlobStorage target;

    protected ForwardingBlobStorage(BlobStorage target) {
        this.target = target;
    }

    /** Called before each operation with its name (as the interface spells it); may throw to answer instead. */
    protected abstract void before(String operation);

    /** Called after an operation returned. */
    protected void after(String operation) {
    }

    /** What the caller gets when the target threw {@code failure}: {@code failure} itself unless overridden. */
    protected RuntimeException failed(String operation, RuntimeException failure) {
        return failure;
    }

    private <T> T call(String operation, Supplier<T> body) {
        before(operation);
        T result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            throw failed(operation, e);
        }
        after(operation);
        return result;
    }

    private void run(String operation, Runnable body) {
        call(operation, () -> {
            body.run();
            return null;
        });
    }

    @Override
    public String accountName() {
        return call("accountName", () -> target.accountName());
    }

    @Override
    public void createContainer(String container) {
        run("createContainer", () -> target.createContainer(container));
    }

    @Override
    public boolean containerExists(String container) {
        return call("containerExists", () -> target.containerExists(container));
    }

    @Override
    public void deleteContainer(String container) {
        run("deleteContainer", () -> target.deleteContainer(container));
    }

    @Override
    public List<BlobItem> listBlobs(String container, String prefix) {
        return call("listBlobs", () -> target.listBlobs(container, prefix));
    }

    @Override
    public void createPageBlob(String container, String blob, long sizeBytes) {
        run("createPageBlob", () -> target.createPageBlob(container, blob, sizeBytes));
    }

    @Override
    public void uploadPages(String container, String blob, long offset, byte[] data, int off, int len) {
        run("uploadPages", () -> target.uploadPages(container, blob, offset, data, off, len));
    }

    @Override
    public void clearPages(String container, String blob, long offset, long length) {
        run("clearPages", () -> target.clearPages(container, blob, offset, length));
    }

    @Override
    public List<PageRange> getPageRanges(String container, String blob) {
        return call("getPageRanges", () -> target.getPageRanges(container, blob));
    }

    @Override
    public List<PageRange> getPageRanges(String container, String blob, String snapshot) {
        return call("getPageRanges", () -> target.getPageRanges(container, blob, snapshot));
    }

    @Override
    public void uploadBlockBlob(String container, String blob, byte[] data) {
        run("uploadBlockBlob", () -> target.uploadBlockBlob(container, blob, data));
    }

    @Override
    public byte[] download(String container, String blob) {
        return call("download", () -> target.download(container, blob));
    }

    @Override
    public byte[] downloadRange(String container, String blob, long offset, int length) {
        return call("downloadRange", () -> target.downloadRange(container, blob, offset, length));
    }

    @Override
    public byte[] downloadRange(String container, String blob, String snapshot, long offset, int length) {
        return call("downloadRange", () -> target.downloadRange(container, blob, snapshot, offset, length));
    }

    @Override
    public long blobSize(String container, String blob) {
        return call("blobSize", () -> target.blobSize(container, blob));
    }

    @Override
    public BlobType blobType(String container, String blob) {
        return call("blobType", () -> target.blobType(container, blob));
    }

    @Override
    public boolean exists(String container, String blob) {
        return call("exists", () -> target.exists(container, blob));
    }

    @Override
    public void deleteBlob(String container, String blob) {
        run("deleteBlob", () -> target.deleteBlob(container, blob));
    }

    @Override
    public void deleteBlobAndSnapshots(String container, String blob) {
        run("deleteBlobAndSnapshots", () -> target.deleteBlobAndSnapshots(container, blob));
    }

    @Override
    public SortedMap<String, String> getMetadata(String container, String blob) {
        return call("getMetadata", () -> target.getMetadata(container, blob));
    }

    @Override
    public SortedMap<String, String> getMetadata(String container, String blob, String snapshot) {
        return call("getMetadata", () -> target.getMetadata(container, blob, snapshot));
    }

    @Override
    public void setMetadata(String container, String blob, SortedMap<String, String> metadata) {
        run("setMetadata", () -> target.setMetadata(container, blob, metadata));
    }

    @Override
    public String createSnapshot(String container, String blob) {
        return call("createSnapshot", () -> target.createSnapshot(container, blob));
    }

    @Override
    public String createSnapshot(String container, String blob, SortedMap<String, String> metadata) {
        return call("createSnapshot", () -> target.createSnapshot(container, blob, metadata));
    }

    @Override
    public List<String> listSnapshots(String container, String blob) {
        return call("listSnapshots", () -> target.listSnapshots(container, blob));
    }

    @Override
    public void deleteSnapshot(String container, String blob, String snapshot) {
        run("deleteSnapshot", () -> target.deleteSnapshot(container, blob, snapshot));
    }

    @Override
    public void copyBlob(String sourceContainer, String sourceBlob, String sourceSnapshot, String targetContainer,
            String targetBlob) {
        run("copyBlob", () -> target.copyBlob(sourceContainer, sourceBlob, sourceSnapshot, targetContainer, targetBlob));
    }
}
