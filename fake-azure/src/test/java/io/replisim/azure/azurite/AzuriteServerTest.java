package io.replisim.azure.azurite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.replisim.azure.azurite.AzuriteServer.Config;
import io.replisim.azure.azurite.AzuriteServer.Launcher;
import io.replisim.azure.storage.BlobStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

class AzuriteServerTest {

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void theNpmAzuriteListensOnAFreeLoopbackPortAndLeavesNoProcessBehind() {
        AzuriteServer server = AzuriteServer.start(Config.defaults().toBuilder().launcher(Launcher.NPM).build());
        long pid = server.pid().orElseThrow();
        List<ProcessHandle> tree;
        try {
            assertEquals(Launcher.NPM, server.launcher());
            assertEquals("127.0.0.1", server.endpoint().url().getHost());
            assertTrue(server.endpoint().url().getPort() > 0);
            assertEquals("/devstoreaccount1", server.endpoint().url().getPath());
            assertTrue(server.isRunning());
            tree = ProcessHandle.of(pid).orElseThrow().descendants().toList();

            BlobStorage storage = server.newBlobStorage();
            storage.createContainer("lifecycle");
            storage.uploadBlockBlob("lifecycle", "hello", new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, storage.download("lifecycle", "hello"));
        } finally {
            server.close();
        }
        await("Azurite's process tree to exit").atMost(Duration.ofSeconds(20))
                .until(() -> !alive(pid) && tree.stream().noneMatch(ProcessHandle::isAlive));
        assertFalse(server.isRunning());
        server.close(); // idempotent
        assertTrue(server.toString().contains("stopped"), server.toString());
    }

    @Test
    void aMissingNpmInstallIsExplained(@TempDir Path empty) {
        Config config = Config.defaults().toBuilder().launcher(Launcher.NPM).home(empty).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AzuriteServer.start(config));
        assertTrue(e.getMessage().contains("npm ci"), e.getMessage());
        assertTrue(e.getMessage().contains(AzuriteServer.HOME_PROPERTY), e.getMessage());
    }

    @Test
    void theNpmInstallIsFoundFromTheConfiguredHomeOrTheWorkingDirectory() {
        Path configured = NpmAzurite.locateHome(Config.fromEnvironment().home());
        assertTrue(Files.isRegularFile(NpmAzurite.executable(configured)), configured.toString());
        // surefire runs in fake-azure/, the command line in the repository root: both find fake-azure/azurite
        Path searched = NpmAzurite.locateHome(java.util.Optional.empty());
        assertEquals(Path.of("fake-azure", "azurite"), searched.getParent().getFileName().resolve(searched.getFileName()));
    }

    @Test
    void autoPicksTheNpmPackageWithoutADockerEngine() {
        assumeFalse(DockerClientFactory.instance().isDockerAvailable(), "a Docker engine is available here");
        assertEquals(Launcher.NPM, AzuriteServer.resolve(Launcher.AUTO));
        assertEquals(Launcher.CONTAINER, AzuriteServer.resolve(Launcher.CONTAINER));
    }

    @Test
    void theConfigurationComesFromSystemProperties() {
        String[] keys = {AzuriteServer.LAUNCHER_PROPERTY, AzuriteServer.IMAGE_PROPERTY,
            AzuriteServer.HOST_NETWORK_PROPERTY};
        String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            saved[i] = System.getProperty(keys[i]);
        }
        try {
            System.setProperty(AzuriteServer.LAUNCHER_PROPERTY, "Container");
            System.setProperty(AzuriteServer.IMAGE_PROPERTY, "registry.example/azurite:3.35.0");
            System.setProperty(AzuriteServer.HOST_NETWORK_PROPERTY, "true");
            Config config = Config.fromEnvironment();
            assertEquals(Launcher.CONTAINER, config.launcher());
            assertEquals("registry.example/azurite:3.35.0", config.image());
            assertTrue(config.hostNetwork());
            System.setProperty(AzuriteServer.LAUNCHER_PROPERTY, "podman");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Config::fromEnvironment);
            assertEquals("Azurite launcher 'podman' is not one of auto, npm, container", e.getMessage());
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], saved[i]);
                }
            }
        }
        assertEquals(AzuriteServer.DEFAULT_IMAGE, Config.defaults().image());
        assertEquals(Launcher.AUTO, Config.defaults().launcher());
    }

    @Test
    void theContainerRunsOnlyTheBlobServiceWithTheSameFlags() {
        assertEquals(List.of("azurite-blob", "--blobHost", "0.0.0.0", "--blobPort", "10000", "--inMemoryPersistence",
                "--skipApiVersionCheck", "--loose", "--disableTelemetry"),
                ContainerAzurite.BlobOnlyAzuriteContainer.command(false));
        assertEquals(List.of("azurite-blob", "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence",
                "--skipApiVersionCheck", "--loose", "--disableTelemetry"),
                ContainerAzurite.BlobOnlyAzuriteContainer.command(true));
    }
}
