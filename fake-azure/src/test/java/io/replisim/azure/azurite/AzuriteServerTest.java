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
import java.util.Map;
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
    void withoutADockerEngineAutoStartsTheNpmPackageAndSaysWhy() {
        assumeFalse(DockerClientFactory.instance().isDockerAvailable(), "a Docker engine is available here");
        try (AzuriteServer server = AzuriteServer.start(Config.defaults())) {
            assertEquals(Launcher.NPM, server.launcher());
            assertEquals("no Docker engine answered", server.containerNotUsed().orElseThrow());
            assertTrue(server.description().matches("npm Azurite pid \\d+ on 127\\.0\\.0\\.1:\\d+; not the container: no"
                    + " Docker engine answered"), server.description());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AzuriteServer.start(Config.defaults().toBuilder().launcher(Launcher.CONTAINER).build()));
        assertEquals("no Docker engine answered", e.getMessage());
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
            AzuriteConfigurationException e = assertThrows(AzuriteConfigurationException.class, Config::fromEnvironment);
            assertEquals("system property replisim.azurite.launcher=podman: expected auto, npm or container", e.getMessage());
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

    private static Config fromEnvironment(Map<String, String> environment) {
        return Config.fromEnvironment(property -> null, environment);
    }

    @Test
    void aMistypedLauncherIsAnErrorNamingTheVariableItsValueAndTheChoices() {
        AzuriteConfigurationException e = assertThrows(AzuriteConfigurationException.class,
                () -> fromEnvironment(Map.of(AzuriteServer.LAUNCHER_ENV, "contaner")));
        assertEquals("environment variable REPLISIM_AZURITE_LAUNCHER=contaner: expected auto, npm or container",
                e.getMessage());
        e = assertThrows(AzuriteConfigurationException.class,
                () -> fromEnvironment(Map.of(AzuriteServer.HOST_NETWORK_ENV, "yes")));
        assertEquals("environment variable REPLISIM_AZURITE_HOST_NETWORK=yes: expected true or false", e.getMessage());
        e = assertThrows(AzuriteConfigurationException.class,
                () -> fromEnvironment(Map.of(AzuriteServer.IMAGE_ENV, "replisim/Azurite local")));
        assertTrue(e.getMessage().startsWith("environment variable REPLISIM_AZURITE_IMAGE=replisim/Azurite local: expected"
                + " an image name such as "), e.getMessage());
    }

    @Test
    void theEnvironmentSetsLauncherImageAndHostNetworkAndSystemPropertiesWin() {
        Config config = fromEnvironment(Map.of(AzuriteServer.LAUNCHER_ENV, " Container ",
                AzuriteServer.IMAGE_ENV, "replisim/azurite:local", AzuriteServer.HOST_NETWORK_ENV, "TRUE",
                AzuriteServer.HOME_ENV, "/opt/azurite"));
        assertEquals(Launcher.CONTAINER, config.launcher());
        assertEquals("replisim/azurite:local", config.image());
        assertTrue(config.hostNetwork());
        assertEquals(Path.of("/opt/azurite"), config.home().orElseThrow());

        Config overridden = Config.fromEnvironment(Map.of(AzuriteServer.LAUNCHER_PROPERTY, "npm")::get,
                Map.of(AzuriteServer.LAUNCHER_ENV, "contaner"));
        assertEquals(Launcher.NPM, overridden.launcher());

        Config blank = fromEnvironment(Map.of(AzuriteServer.LAUNCHER_ENV, " ", AzuriteServer.HOST_NETWORK_ENV, ""));
        assertEquals(Launcher.AUTO, blank.launcher());
        assertFalse(blank.hostNetwork());
        assertEquals(AzuriteServer.DEFAULT_IMAGE, blank.image());
    }
}
