package io.replisim.azure.wire;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.request;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

/** The Blob REST operations a wire fault can target, recognised by method, query and headers. */
public enum BlobOperation {
    /** Every request. */
    ANY,
    CREATE_CONTAINER,
    DELETE_CONTAINER,
    LIST_BLOBS,
    /** Put Blob: creating a page blob or uploading a block blob. */
    PUT_BLOB,
    /** Put Page, update or clear. */
    PUT_PAGE,
    GET_PAGE_RANGES,
    /** Get Blob, whole or a range. */
    GET_BLOB,
    /** Get Blob Properties (size, type, metadata, exists). */
    GET_BLOB_PROPERTIES,
    SET_BLOB_METADATA,
    SNAPSHOT_BLOB,
    COPY_BLOB,
    /** Delete Blob, of a blob or of a snapshot. */
    DELETE_BLOB;

    /** A new stub request pattern for this operation (WireMock builders are not reusable). */
    MappingBuilder newMapping() {
        return switch (this) {
            case ANY -> any(anyUrl());
            case CREATE_CONTAINER -> request("PUT", anyUrl()).withQueryParam("restype", equalTo("container"))
                    .withQueryParam("comp", absent());
            case DELETE_CONTAINER -> request("DELETE", anyUrl()).withQueryParam("restype", equalTo("container"));
            case LIST_BLOBS -> request("GET", anyUrl()).withQueryParam("restype", equalTo("container"))
                    .withQueryParam("comp", equalTo("list"));
            case PUT_BLOB -> blob("PUT").withQueryParam("comp", absent()).withHeader("x-ms-blob-type", matching(".+"))
                    .withHeader("x-ms-copy-source", absent());
            case PUT_PAGE -> blob("PUT").withQueryParam("comp", equalTo("page"));
            case GET_PAGE_RANGES -> blob("GET").withQueryParam("comp", equalTo("pagelist"));
            case GET_BLOB -> blob("GET").withQueryParam("comp", absent());
            case GET_BLOB_PROPERTIES -> blob("HEAD").withQueryParam("comp", absent());
            case SET_BLOB_METADATA -> blob("PUT").withQueryParam("comp", equalTo("metadata"));
            case SNAPSHOT_BLOB -> blob("PUT").withQueryParam("comp", equalTo("snapshot"));
            case COPY_BLOB -> blob("PUT").withQueryParam("comp", absent()).withHeader("x-ms-copy-source", matching(".+"));
            case DELETE_BLOB -> blob("DELETE");
        };
    }

    private static MappingBuilder blob(String method) {
        return request(method, anyUrl()).withQueryParam("restype", absent());
    }
}
