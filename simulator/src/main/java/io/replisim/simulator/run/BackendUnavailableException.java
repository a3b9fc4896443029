package io.replisim.simulator.run;

/** The chosen Azure backend cannot be used on this machine (Azurite not installed, Docker not answering). */
public final class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
