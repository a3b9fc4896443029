package io.replisim.simulator.fault;

import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.BlobStorageException;
import io.replisim.azure.storage.ForwardingBlobStorage;

/**
 * Puts storage faults in front of a {@link BlobStorage}: while a fault is active every call
 * answers as Azure would (503 ServerBusy, 403 AuthenticationFailed). Used with the in-memory
 * backend; the Azurite backend can inject the same answers on the wire.
 */
public final class FaultyBlobStorage {
    private FaultyBlobStorage() {}

    /** A switch the scenario's faults turn; {@code null} means healthy. */
    public static final class Switch {
        private FaultKind active;

        public void set(FaultKind kind) {
            active = kind;
        }

        public void clear(FaultKind kind) {
            if (active == kind) {
                active = null;
            }
        }

        public void clearAll() {
            active = null;
        }
    }

    public static BlobStorage wrap(BlobStorage target, Switch faults) {
        return new ForwardingBlobStorage(target) {
            @Override
            protected void before(String operation) {
                if (faults.active != null) {
                    throw answer(faults.active, operation);
                }
            }
        };
    }

    private static BlobStorageException answer(FaultKind kind, String operation) {
        return switch (kind) {
            case STORAGE_UNAVAILABLE -> new BlobStorageException("ServerBusy", 503,
                    "The server is busy (" + operation + ")");
            case AUTHENTICATION_FAILURE -> new BlobStorageException("AuthenticationFailed", 403,
                    "Server failed to authenticate the request (" + operation + ")");
            default -> throw new IllegalStateException(kind + " is not a storage fault");
        };
    }
}
