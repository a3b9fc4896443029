package io.replisim.simulator.run;

import io.replisim.azure.azurite.AzuriteServer;
import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.MemoryBlobStorage;
import java.time.InstantSource;

/**
 * The storage account a run replicates to: {@code memory} (deterministic, fast) or
 * {@code azurite} (the official Azure Storage SDK against an Azurite that this run starts and
 * stops: Testcontainers when Docker answers, else the npm package the build installed).
 */
final class AzureBackend implements AutoCloseable {
    private final BlobStorage storage;
    private final AzuriteServer azurite;

    private AzureBackend(BlobStorage storage, AzuriteServer azurite) {
        this.storage = storage;
        this.azurite = azurite;
    }

    static AzureBackend start(Backend backend, InstantSource clock) {
        return switch (backend) {
            case MEMORY -> new AzureBackend(new MemoryBlobStorage(clock), null);
            case AZURITE -> {
                AzuriteServer server;
                try {
                    server = AzuriteServer.start();
                } catch (IllegalStateException e) {
                    throw new BackendUnavailableException("the Azurite backend could not start: " + e.getMessage(), e);
                }
                yield new AzureBackend(server.newBlobStorage(), server);
            }
        };
    }

    BlobStorage storage() {
        return storage;
    }

    @Override
    public void close() {
        if (azurite != null) {
            azurite.close();
        }
    }
}
