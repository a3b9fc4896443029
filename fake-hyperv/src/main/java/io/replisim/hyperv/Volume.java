package io.replisim.hyperv;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host volume: its own Jimfs file system whose size is capped at the volume's capacity, so a
 * write beyond it fails as it would on NTFS.
 *
 * <p>The file system uses Jimfs's Unix configuration: paths are {@code /<vm>/Virtual Hard
 * Disks/<disk>.vhdx}, rooted at {@code /} whatever the volume's name. Windows paths would tie
 * volume names to drive letters, which cluster shared volumes and mount points are not. Path
 * strings are deterministic; a path's URI is not (Jimfs names the file system randomly so
 * concurrent runs in one JVM never collide), so never render paths with {@code toUri()}.
 */
public final class Volume {

    /** The message Jimfs's heap disk throws when it cannot allocate a block. */
    private static final String JIMFS_OUT_OF_SPACE = "out of disk space";

    private final VolumeConfig config;
    private final FileSystem fileSystem;
    private final Path root;
    private final FileStore store;

    Volume(VolumeConfig config) {
        this.config = config;
        this.fileSystem = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setBlockSize(VolumeConfig.CLUSTER_SIZE)
                .setMaxSize(config.capacityBytes())
                .setAttributeViews("basic")
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

    /** Bytes allocated to files, in whole 4 KiB clusters. */
    public long usedBytes() {
        return capacityBytes() - freeBytes();
    }

    public long freeBytes() {
        try {
            return store.getUnallocatedSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
