package io.replisim.reports;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output file written under a temporary name ({@code <name>.partial}) and moved into place
 * only by {@link #commit()}: Ctrl-C, a full disk or a crash leaves a {@code .partial} file, never
 * a truncated file under the real name that looks complete.
 */
public final class AtomicOutput implements Closeable {
    private final Path target;
    private final Path partial;
    private final Writer writer;
    private boolean committed;

    private AtomicOutput(Path target) throws IOException {
        this.target = target;
        this.partial = target.resolveSibling(target.getFileName() + ".partial");
        this.writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
    }

    /** Starts writing {@code target}; an earlier file of that name stays until {@link #commit()}. */
    public static AtomicOutput open(Path target) throws IOException {
        return new AtomicOutput(target);
    }

    public Writer writer() {
        return writer;
    }

    /** Flushes, closes and moves the file into place. */
    public void commit() throws IOException {
        writer.close();
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Closes without committing unless committed: the {@code .partial} file stays as evidence of an unfinished write. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            writer.close();
        }
    }

    /** Writes {@code target} whole through {@code body}, or leaves only a {@code .partial} file. */
    public static void write(Path target, Body body) throws IOException {
        try (AtomicOutput out = open(target)) {
            body.write(out.writer());
            out.commit();
        }
    }

    /** What writes a file's content. */
    @FunctionalInterface
    public interface Body {
        void write(Writer w) throws IOException;
    }
}
