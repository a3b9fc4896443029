package io.replisim.azure;

/**
 * An error returned by an emulated Azure service, shaped like the SDK's {@code HttpResponseException}:
 * a service error code (e.g. {@code BlobNotFound}) and the HTTP status it came with. Callers classify
 * errors as recoverable or not by these two values, so every Azure-side failure carries them.
 */
public class AzureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorCode;
    private final int statusCode;

    public AzureException(String errorCode, int statusCode, String message) {
        super(message);
        this.errorCode = errorCode;
        this.statusCode = statusCode;
    }

    /** The service's error code string, e.g. {@code ContainerNotFound}. */
    public String errorCode() {
        return errorCode;
    }

    /** The HTTP status code of the failed request. */
    public int statusCode() {
        return statusCode;
    }
}
