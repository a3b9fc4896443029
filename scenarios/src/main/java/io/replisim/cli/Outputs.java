package io.replisim.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** An output folder checked before a long run, and file-system errors in words (exit code 4, no stack trace). */
final class Outputs {
    private Outputs() {}

    /** Creates {@code dir} and checks that files can be written in it; null when they can, else why not. */
    static String prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".replisim-", ".probe");
            Files.delete(probe);
            return null;
        } catch (IOException e) {
            return "cannot write there: " + describe(e);
        }
    }

    /** An I/O error as a user can act on it: the file and the reason. */
    static String describe(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or folder";
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (reason.contains("No space left on device")) {
            return (e instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "") + "the disk is full";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
        }
        return reason;
    }
}
