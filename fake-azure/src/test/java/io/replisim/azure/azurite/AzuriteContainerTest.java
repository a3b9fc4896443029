package io.replisim.azure.azurite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.replisim.azure.azurite.AzuriteServer.Config;
import io.replisim.azure.azurite.AzuriteServer.Launcher;
import io.replisim.azure.storage.ReplicaDisk;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The container launcher; skipped where no Docker engine answers (as on CI). */
@Testcontainers(disabledWithoutDocker = true)
class AzuriteContainerTest {

    private static void replicaRoundTrip(AzuriteServer server) {
        ReplicaDisk disk = ReplicaDisk.create(server.newBlobStorage(), "container-launcher", "vm/disk.vhd",
                UUID.fromString("00000000-0000-4000-8000-000000000001"), 1024 * 1024, Instant.parse("2026-01-05T00:00:00Z"));
        disk.writeData(1000, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, disk.readData(1000, 3));
    }

    @Test
    void azuriteRunsInAContainerWithAMappedPort() {
        AzuriteServer server = AzuriteServer.start(Config.defaults().toBuilder().launcher(Launcher.CONTAINER).build());
        try {
            assertEquals(Launcher.CONTAINER, server.launcher());
            assertFalse(server.pid().isPresent());
            replicaRoundTrip(server);
        } finally {
            server.close();
        }
        assertFalse(server.isRunning());
    }

    @Test
    void azuriteRunsOnTheHostNetworkWithoutPortMapping() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "host networking needs a Linux engine");
        try (AzuriteServer server = AzuriteServer.start(Config.defaults().toBuilder().launcher(Launcher.CONTAINER)
                .hostNetwork(true).build())) {
            assertEquals("127.0.0.1", server.endpoint().url().getHost());
            replicaRoundTrip(server);
        }
    }
}
