package io.replisim.azure.storage;

/** The Blob service error codes the emulator produces, with the HTTP status Azure pairs them with. */
public enum BlobErrorCode {
    CONTAINER_NOT_FOUND("ContainerNotFound", 404),
    BLOB_NOT_FOUND("BlobNotFound", 404),
    BLOB_ALREADY_EXISTS("BlobAlreadyExists", 409),
    INVALID_BLOB_TYPE("InvalidBlobType", 409),
    SNAPSHOTS_PRESENT("SnapshotsPresent", 409),
    INVALID_PAGE_RANGE("InvalidPageRange", 416),
    INVALID_RANGE("InvalidRange", 416),
    INVALID_HEADER_VALUE("InvalidHeaderValue", 400),
    INVALID_RESOURCE_NAME("InvalidResourceName", 400),
    INVALID_METADATA("InvalidMetadata", 400),
    INVALID_QUERY_PARAMETER_VALUE("InvalidQueryParameterValue", 400),
    REQUEST_BODY_TOO_LARGE("RequestBodyTooLarge", 413);

    private final String code;
    private final int status;

    BlobErrorCode(String code, int status) {
        this.code = code;
        this.status = status;
    }

    /** The code string as the REST API returns it in {@code x-ms-error-code}. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return code;
    }
}
