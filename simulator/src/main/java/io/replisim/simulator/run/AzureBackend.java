package io.replisim.simulator.run;

import io.replisim.azure.azurite.AzuriteServer;
import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.MemoryBlobStorage;
import java.time.InstantSource;
import java.util.Locale;

/**
 * The storage account a run replicates to: {@code memory} (deterministic, fast) or
 * {@code azurite} (the official Azure Storage SDK against an Azurite that this run starts and
 * stops, as {@link AzuriteServer.Config#fromEnvironment()} says: by default a container when
 * one starts, else the npm package the build installed).
 */
final class AzureBackend implements AutoCloseable {
    private final BlobStorage storage;
    private final AzuriteServer azurite;

    private AzureBackend(BlobStorage storage, AzuriteServer azurite) {
        this.storage = storage;
        this.azurite = azurite;
    }

    /** Starts the backend; which Azurite serves goes to {@code progress} as a note. */
    static AzureBackend start(Backend backend, InstantSource clock, ProgressListener progress) {
        return switch (backend) {
            case MEMORY -> new AzureBackend(new MemoryBlobStorage(clock), null);
            case AZURITE -> {
                AzuriteServer server;
                try {
                    server = AzuriteServer.start();
                } catch (IllegalStateException e) {
                    throw new BackendUnavailableException("the Azurite backend could not start: " + e.getMessage(), e);
                }
                progress.note("azurite: " + server.description());
                yield new AzureBackend(server.newBlobStorage(), server);
            }
        };
    }

    BlobStorage storage() {
        return storage;
    }

    /** The Azurite launcher that serves ({@code npm} or {@code container}); null on memory. */
    String azuriteLauncher() {
        return azurite == null ? null : azurite.launcher().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        if (azurite != null) {
            azurite.close();
        }
    }
}
