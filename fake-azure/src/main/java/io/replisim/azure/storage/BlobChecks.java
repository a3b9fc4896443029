package io.replisim.azure.storage;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Azure's naming and argument rules, checked by every backend before a request is sent, so that
 * backends agree on errors even where an emulator is laxer than Azure.
 */
final class BlobChecks {
    static final int MAX_BLOB_NAME_LENGTH = 1024;
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");

    private BlobChecks() {
    }

    static boolean isContainerName(String container) {
        return container != null && CONTAINER_NAME.matcher(container).matches();
    }

    static void containerName(String container) {
        if (!isContainerName(container)) {
            throw new BlobStorageException(BlobErrorCode.INVALID_RESOURCE_NAME,
                    "The specified resource name contains invalid characters: container '" + container
                            + "' must be 3-63 lowercase letters, digits and single hyphens, starting and"
                            + " ending with a letter or digit");
        }
    }

    static void blobName(String blob) {
        if (blob == null || blob.isEmpty() || blob.length() > MAX_BLOB_NAME_LENGTH) {
            throw new BlobStorageException(BlobErrorCode.INVALID_RESOURCE_NAME,
                    "The specified resource name length is not within the permissible limits: blob '" + blob
                            + "' must be 1-1024 characters");
        }
    }

    static void pageBlobSize(String container, String blob, long sizeBytes) {
        if (sizeBytes < 0 || sizeBytes % BlobStorage.PAGE_SIZE != 0 || sizeBytes > BlobStorage.MAX_PAGE_BLOB_BYTES) {
            throw new BlobStorageException(BlobErrorCode.INVALID_HEADER_VALUE,
                    "x-ms-blob-content-length " + sizeBytes
                            + " must be a multiple of 512 between 0 and 8 TiB: " + container + "/" + blob);
        }
    }

    /** Alignment of a Put Page; whether the range lies inside the blob is the service's check. */
    static void pageAlignment(String container, String blob, long offset, long length) {
        if (offset < 0 || length <= 0 || offset % BlobStorage.PAGE_SIZE != 0 || length % BlobStorage.PAGE_SIZE != 0) {
            throw invalidPageRange(container, blob, offset, length, -1);
        }
    }

    static BlobStorageException invalidPageRange(String container, String blob, long offset, long length, long size) {
        return new BlobStorageException(BlobErrorCode.INVALID_PAGE_RANGE,
                "The page range specified is invalid: offset " + offset + " length " + length
                        + " (both must be positive multiples of 512"
                        + (size >= 0 ? " within the blob's " + size + " bytes" : " within the blob") + ") in "
                        + container + "/" + blob);
    }

    static void putPageBodySize(String container, String blob, long length) {
        if (length > BlobStorage.MAX_PUT_PAGE_BYTES) {
            throw new BlobStorageException(BlobErrorCode.REQUEST_BODY_TOO_LARGE,
                    "Put Page body of " + length + " bytes exceeds the 4 MiB limit: " + container + "/" + blob);
        }
    }

    static TreeMap<String, String> metadata(Map<String, String> metadata) {
        TreeMap<String, String> checked = new TreeMap<>();
        if (metadata == null) {
            return checked;
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (!identifier(name)) {
                throw new BlobStorageException(BlobErrorCode.INVALID_METADATA,
                        "The metadata specified is invalid: name '" + name + "' is not a C# identifier");
            }
            if (!printableAscii(value)) {
                throw new BlobStorageException(BlobErrorCode.INVALID_METADATA,
                        "The metadata specified is invalid: value of '" + name + "' must be printable ASCII");
            }
            checked.put(name, value);
        }
        return checked;
    }

    /** {@code [A-Za-z_][A-Za-z0-9_]*}, checked by hand: every recovery point's snapshot passes here. */
    private static boolean identifier(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean printableAscii(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < 0x20 || value.charAt(i) >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    static BlobStorageException invalidRange(String container, String blob, long offset, long length, long size) {
        return new BlobStorageException(BlobErrorCode.INVALID_RANGE,
                "The range specified is invalid for the current size of the resource: offset " + offset
                        + " length " + length + " of " + size + " bytes in " + container + "/" + blob);
    }

    static BlobStorageException containerNotFound(String container) {
        return new BlobStorageException(BlobErrorCode.CONTAINER_NOT_FOUND,
                "The specified container does not exist: " + container);
    }

    static BlobStorageException blobNotFound(String container, String blob) {
        return new BlobStorageException(BlobErrorCode.BLOB_NOT_FOUND,
                "The specified blob does not exist: " + container + "/" + blob);
    }

    static BlobStorageException blobAlreadyExists(String container, String blob) {
        return new BlobStorageException(BlobErrorCode.BLOB_ALREADY_EXISTS,
                "The specified blob already exists: " + container + "/" + blob);
    }
}
