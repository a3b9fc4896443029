package io.replisim.azure.storage;

import io.replisim.azure.ManualClock;

/** The contract on the {@code memory} backend. */
class MemoryBlobStorageContractTest extends BlobStorageContract {
    private final ManualClock clock = ManualClock.at("2026-01-05T07:00:00Z");
    private final MemoryBlobStorage storage = new MemoryBlobStorage(clock);

    @Override
    BlobStorage storage() {
        return storage;
    }
}
