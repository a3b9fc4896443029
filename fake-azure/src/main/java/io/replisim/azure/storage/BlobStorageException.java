package io.replisim.azure.storage;

import io.replisim.azure.AzureException;

/**
 * A failed Blob service request. Backends other than the in-memory one may report codes not in
 * {@link BlobErrorCode}, hence the code is kept as a string.
 */
public class BlobStorageException extends AzureException {
    private static final long serialVersionUID = 1L;

    public BlobStorageException(String errorCode, int statusCode, String message) {
        super(errorCode, statusCode, message);
    }

    public BlobStorageException(BlobErrorCode code, String message) {
        this(code.code(), code.status(), message);
    }

    /** Whether this error carries the given code. */
    public boolean is(BlobErrorCode code) {
        return code.code().equals(errorCode());
    }
}
