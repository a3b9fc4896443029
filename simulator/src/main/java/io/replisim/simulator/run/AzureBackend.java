package io.replisim.simulator.run;

import io.replisim.azure.azurite.AzuriteServer;
import io.replisim.azure.storage.AzuriteBlobStorage;
import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.MemoryBlobStorage;
import io.replisim.azure.storage.SdkRetryPolicy;
import io.replisim.azure.wire.WireFaultProxy;
import io.replisim.simulator.fault.StorageFaults;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;

/**
 * The storage account a run replicates to: {@code memory} (deterministic, fast; storage faults
 * answer in front of it) or {@code azurite} (the official Azure Storage SDK, with its retry
 * policy, against an Azurite that this run starts and stops, as
 * {@link AzuriteServer.Config#fromEnvironment()} says: by default a container when one starts,
 * else the npm package the build installed). A run with storage faults on {@code azurite} reaches
 * Azurite through a {@link WireFaultProxy}, where the faults strike (docs/fake-azure.md, "Two
 * retry layers").
 */
final class AzureBackend implements AutoCloseable {
    /**
     * How long the SDK waits for one try of a request on {@code azurite}: Azurite on loopback answers
     * in milliseconds, so only a {@code storage-slow} fault (held twice as long) reaches it.
     */
    static final Duration TRY_TIMEOUT = Duration.ofSeconds(5);

    private final BlobStorage storage;
    private final StorageFaults storageFaults;
    private final AzuriteServer azurite;
    private final WireFaultProxy proxy;

    private AzureBackend(BlobStorage storage, StorageFaults storageFaults, AzuriteServer azurite, WireFaultProxy proxy) {
        this.storage = storage;
        this.storageFaults = storageFaults;
        this.azurite = azurite;
        this.proxy = proxy;
    }

    /**
     * Starts the backend; {@code storageFaults}: whether the run injects storage faults. Which
     * Azurite serves (and the fault proxy) goes to {@code progress} as a note.
     */
    static AzureBackend start(Backend backend, InstantSource clock, boolean storageFaults, ProgressListener progress) {
        return switch (backend) {
            case MEMORY -> new AzureBackend(new MemoryBlobStorage(clock), StorageFaults.inFront(), null, null);
            case AZURITE -> {
                AzuriteServer server;
                try {
                    server = AzuriteServer.start();
                } catch (IllegalStateException e) {
                    throw new BackendUnavailableException("the Azurite backend could not start: " + e.getMessage(), e);
                }
                if (!storageFaults) {
                    progress.note("azurite: " + server.description());
                    yield new AzureBackend(new AzuriteBlobStorage(server.endpoint(), TRY_TIMEOUT, SdkRetryPolicy.RUNS),
                            StorageFaults.inFront(), server, null);
                }
                WireFaultProxy proxy;
                try {
                    proxy = WireFaultProxy.start(server.endpoint());
                } catch (RuntimeException e) {
                    server.close();
                    throw new BackendUnavailableException("the fault proxy in front of Azurite could not start: "
                            + e.getMessage(), e);
                }
                progress.note("azurite: " + server.description() + "; storage faults on the wire through a fault proxy on"
                        + " 127.0.0.1:" + proxy.port());
                AzuriteBlobStorage client = new AzuriteBlobStorage(proxy.endpoint(), TRY_TIMEOUT, SdkRetryPolicy.RUNS);
                yield new AzureBackend(client, StorageFaults.onTheWire(proxy, client), server, proxy);
            }
        };
    }

    BlobStorage storage() {
        return storage;
    }

    StorageFaults storageFaults() {
        return storageFaults;
    }

    /** The Azurite launcher that serves ({@code npm} or {@code container}); null on memory. */
    String azuriteLauncher() {
        return azurite == null ? null : azurite.launcher().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            if (azurite != null) {
                azurite.close();
            }
        }
    }
}
