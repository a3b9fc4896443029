package io.replisim.azure.storage;

/** The blob types the emulator supports (append blobs are not used by replication). */
public enum BlobType {
    BLOCK_BLOB,
    PAGE_BLOB
}
