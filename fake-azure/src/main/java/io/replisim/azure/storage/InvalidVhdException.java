package io.replisim.azure.storage;

/** Bytes that are not a valid fixed VHD footer. */
public class InvalidVhdException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidVhdException(String message) {
        super(message);
    }
}
