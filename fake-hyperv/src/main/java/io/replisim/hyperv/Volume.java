package io.replisim.hyperv;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.InstantSource;

/**
 * A host volume: its own Jimfs file system whose size is capped at the volume's capacity, so a
 * write beyond it fails as it would on NTFS.
 *
 * <p>The file system uses Jimfs's Unix configuration: paths are {@code /<vm>/Virtual Hard
 * Disks/<disk>.vhdx}, rooted at {@code /} whatever the volume's name. Windows paths would tie
 * volume names to drive letters, which cluster shared volumes and mount points are not. Path
 * strings are deterministic; a path's URI is not (Jimfs names the file system randomly so
 * concurrent runs in one JVM never collide), so never render paths with {@code toUri()}.
 *
 * <p>In {@link Fidelity#MODEL} fidelity the file system holds only folders: disks and logs have
 * no files, and the volume counts the bytes their files would take (in whole 4 KiB clusters,
 * as Jimfs and NTFS allocate) against its capacity instead. Either way every writer asks
 * {@link #grow} before a file grows, which is also where space held by a
 * {@link HostFaultKind#LOW_DISK_SPACE} fault is enforced.
 */
public final class Volume {

    /** The message Jimfs's heap disk throws when it cannot allocate a block. */
    private static final String JIMFS_OUT_OF_SPACE = "out of disk space";
    /** Model volumes hold folders only; this bounds the Jimfs file system behind them. */
    private static final long MODEL_FOLDERS_ONLY_SIZE = 16L * 1024 * 1024;

    private final VolumeConfig config;
    private final Fidelity fidelity;
    private final FileSystem fileSystem;
    private final Path root;
    private final FileStore store;
    /** Model fidelity: the cluster-rounded bytes of the files that would exist. */
    private long modelUsed;
    /** Held by low-disk-space faults, as other programs' files would hold it. */
    private long reserved;

    /**
     * {@code clock} stamps the files' times: a host's files carry simulated times (and runs stay
     * reproducible), never the wall clock Jimfs would otherwise read on every write.
     */
    Volume(VolumeConfig config, Fidelity fidelity, InstantSource clock) {
        this.config = config;
        this.fidelity = fidelity;
        if (fidelity == Fidelity.BYTES && config.capacityBytes() / VolumeConfig.CLUSTER_SIZE > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("volume " + config.name() + " of " + config.capacityBytes()
                    + " bytes is too large for bytes fidelity (at most 8 TiB); use model fidelity");
        }
        this.fileSystem = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setBlockSize(VolumeConfig.CLUSTER_SIZE)
                .setMaxSize(fidelity == Fidelity.BYTES ? config.capacityBytes() : MODEL_FOLDERS_ONLY_SIZE)
                .setAttributeViews("basic")
                .setFileTimeSource(() -> FileTime.from(clock.instant()))
                .build());
        this.root = fileSystem.getPath("/");
        try {
            this.store = Files.getFileStore(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return config.name();
    }

    /** The volume's root directory. */
    public Path root() {
        return root;
    }

    public long capacityBytes() {
        return config.capacityBytes();
    }

    /** Bytes allocated to files (real, or modelled in model fidelity) and held by faults, in whole 4 KiB clusters. */
    public long usedBytes() {
        return capacityBytes() - freeBytes();
    }

    public long freeBytes() {
        if (fidelity != Fidelity.BYTES) {
            return capacityBytes() - modelUsed - reserved;
        }
        try {
            return Math.max(0, store.getUnallocatedSpace() - reserved);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes held by {@link HostFaultKind#LOW_DISK_SPACE} faults, included in {@link #usedBytes()}. */
    public long reservedBytes() {
        return reserved;
    }

    Fidelity fidelity() {
        return fidelity;
    }

    /**
     * A file is about to grow from {@code oldSize} to {@code newSize} bytes: fails, changing
     * nothing, if the clusters it needs are not free; in model fidelity, books them.
     */
    void grow(Path file, long oldSize, long newSize) throws VolumeFullException {
        long growth = clusters(newSize) - clusters(oldSize);
        if (growth <= 0) {
            return;
        }
        long free = freeBytes();
        if (growth > free) {
            throw new VolumeFullException(name(), capacityBytes(), free, file, null);
        }
        if (fidelity != Fidelity.BYTES) {
            modelUsed += growth;
        }
    }

    /** Fails if fewer than {@code bytes} are free; books nothing. */
    void checkFree(Path file, long bytes) throws VolumeFullException {
        long free = freeBytes();
        if (bytes > free) {
            throw new VolumeFullException(name(), capacityBytes(), free, file, null);
        }
    }

    /** A file shrank or was deleted: in model fidelity its clusters are free again. */
    void shrink(long oldSize, long newSize) {
        if (fidelity != Fidelity.BYTES) {
            modelUsed -= Math.max(0, clusters(oldSize) - clusters(newSize));
        }
    }

    /** Holds all free space but {@code leaveFreeBytes} (rounded to clusters); returns the bytes held. */
    long reserve(long leaveFreeBytes) {
        long amount = Math.max(0, freeBytes() - Math.max(0, leaveFreeBytes));
        amount -= amount % VolumeConfig.CLUSTER_SIZE;
        reserved += amount;
        return amount;
    }

    void release(long amount) {
        reserved -= amount;
    }

    static long clusters(long bytes) {
        long c = VolumeConfig.CLUSTER_SIZE;
        return (bytes + c - 1) / c * c;
    }

    /** Turns Jimfs's out-of-space failure into a {@link VolumeFullException}; others pass unchanged. */
    IOException translate(IOException e, Path file) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof VolumeFullException) {
                return (VolumeFullException) t;
            }
            if (t instanceof IOException && JIMFS_OUT_OF_SPACE.equals(t.getMessage())) {
                return new VolumeFullException(name(), capacityBytes(), freeBytes(), file, e);
            }
        }
        return e;
    }

    /** Only the host closes its volumes. */
    void close() throws IOException {
        fileSystem.close();
    }

    @Override
    public String toString() {
        return "Volume " + name() + " (" + capacityBytes() + " bytes)";
    }
}
