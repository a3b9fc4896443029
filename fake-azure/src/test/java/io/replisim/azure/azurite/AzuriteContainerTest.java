package io.replisim.azure.azurite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.replisim.azure.azurite.AzuriteServer.Config;
import io.replisim.azure.azurite.AzuriteServer.Launcher;
import io.replisim.azure.storage.ReplicaDisk;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The container launcher against a real Docker engine; skipped where none answers (as on CI).
 * The image and host networking come from the environment as for the command line
 * ({@code REPLISIM_AZURITE_IMAGE}, {@code REPLISIM_AZURITE_HOST_NETWORK}, or their system
 * properties), so a locally built image or a mirror is what gets tested.
 */
@Testcontainers(disabledWithoutDocker = true)
class AzuriteContainerTest {

    /** The command line's configuration, with the container launcher whatever the launcher setting says. */
    private static Config configured() {
        return Config.fromEnvironment().toBuilder().launcher(Launcher.CONTAINER).build();
    }

    private static void replicaRoundTrip(AzuriteServer server) {
        ReplicaDisk disk = ReplicaDisk.create(server.newBlobStorage(), "container-launcher", "vm/disk.vhd",
                UUID.fromString("00000000-0000-4000-8000-000000000001"), 1024 * 1024, Instant.parse("2026-01-05T00:00:00Z"));
        disk.writeData(1000, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, disk.readData(1000, 3));
    }

    @Test
    void azuriteRunsInTheConfiguredContainer() {
        Config config = configured();
        AzuriteServer server = AzuriteServer.start(config);
        try {
            assertEquals(Launcher.CONTAINER, server.launcher());
            assertFalse(server.pid().isPresent());
            assertTrue(server.description().startsWith("Azurite container " + config.image()), server.description());
            replicaRoundTrip(server);
        } finally {
            server.close();
        }
        assertFalse(server.isRunning());
    }

    @Test
    void theContainerResolvesNamesOnlyThroughLoopback() throws Exception {
        ContainerAzurite container = ContainerAzurite.start(configured());
        try {
            String resolvConf = container.container().execInContainer("cat", "/etc/resolv.conf").getStdout();
            assertTrue(resolvConf.lines().filter(l -> l.startsWith("nameserver")).allMatch(l -> l.equals("nameserver 127.0.0.1")),
                    resolvConf);
        } finally {
            container.stop();
        }
    }

    @Test
    void azuriteRunsOnTheHostNetworkWithoutPortMapping() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "host networking needs a Linux engine");
        try (AzuriteServer server = AzuriteServer.start(configured().toBuilder().hostNetwork(true).build())) {
            assertEquals("127.0.0.1", server.endpoint().url().getHost());
            replicaRoundTrip(server);
        }
    }
}
