package io.replisim.hyperv;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Read access to a virtual disk: the live disk, or its replication checkpoint. Bytes through
 * {@link #read} and {@link #sha256()}; content versions through {@link #contentVersions()} and
 * {@link #contentFingerprint()}, which both fidelities compute identically for the same writes.
 */
public interface DiskView {

    /** The virtual size in bytes. */
    long sizeBytes();

    /** Reads {@code length} bytes at {@code offset}; both multiples of 512, within the disk. */
    void read(long offset, byte[] dst, int dstOffset, int length) throws IOException;

    /**
     * Which version of content each sector holds (see {@link ExtentMap}): an independent copy.
     * A replica built from this map plus the {@link SealedLog#writes()} logged since has the
     * same {@link ExtentMap#fingerprint()} as the disk exactly when it is up to date.
     */
    ExtentMap contentVersions();

    /** {@link ExtentMap#fingerprint()} of {@link #contentVersions()}: cheap, fidelity-independent. */
    default String contentFingerprint() {
        return contentVersions().fingerprint();
    }

    /**
     * SHA-256 of the whole virtual disk, as lowercase hex; streamed in 1 MiB chunks. In model
     * fidelity it hashes the recomputed content, which takes as long as the disk is large: use
     * {@link #contentFingerprint()} there.
     */
    default String sha256() throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        byte[] chunk = new byte[1024 * 1024];
        for (long at = 0; at < sizeBytes(); at += chunk.length) {
            int n = (int) Math.min(chunk.length, sizeBytes() - at);
            read(at, chunk, 0, n);
            digest.update(chunk, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
