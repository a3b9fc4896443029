package io.replisim.azure.storage;

import java.util.Objects;

/** One entry of a List Blobs result. */
public record BlobItem(String name, BlobType type, long sizeBytes) {
    public BlobItem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
