package io.replisim.reports;

/** A run folder that cannot be read: a file is missing or malformed. The message says which and why. */
public final class RunFolderException extends Exception {
    private static final long serialVersionUID = 1L;

    public RunFolderException(String message) {
        super(message);
    }
}
