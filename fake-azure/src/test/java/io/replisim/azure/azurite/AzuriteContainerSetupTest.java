package io.replisim.azure.azurite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.HostConfig;
import io.replisim.azure.azurite.AzuriteServer.Config;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The container the CONTAINER launcher would run, as configured from the environment, inspected
 * without starting it (no Docker engine needed): image, network, command and DNS.
 */
class AzuriteContainerSetupTest {

    /** A create-container command holding only a host configuration, for the container's modifiers to change. */
    private static CreateContainerCmd createCommand() {
        HostConfig[] host = {new HostConfig()};
        return (CreateContainerCmd) Proxy.newProxyInstance(CreateContainerCmd.class.getClassLoader(),
                new Class<?>[] {CreateContainerCmd.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHostConfig" -> host[0];
                    case "withHostConfig" -> {
                        host[0] = (HostConfig) args[0];
                        yield proxy;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static String[] dns(ContainerAzurite.BlobOnlyAzuriteContainer container) {
        CreateContainerCmd cmd = createCommand();
        container.getCreateContainerCmdModifiers().forEach(m -> m.modify(cmd));
        return cmd.getHostConfig().getDns();
    }

    @Test
    void theDefaultContainerMapsTheBlobPortRunsOfflineAndResolvesNoName() {
        ContainerAzurite.BlobOnlyAzuriteContainer container = ContainerAzurite.containerFor(
                Config.fromEnvironment(name -> null, Map.of()));
        container.configure();
        assertEquals(AzuriteServer.DEFAULT_IMAGE, container.imageName.asCanonicalNameString());
        assertNull(container.getNetworkMode());
        assertEquals(List.of(10000), container.getExposedPorts());
        assertEquals(List.of("azurite-blob", "--blobHost", "0.0.0.0", "--blobPort", "10000", "--inMemoryPersistence",
                "--skipApiVersionCheck", "--loose", "--disableTelemetry"), List.of(container.getCommandParts()));
        assertArrayEquals(new String[] {"127.0.0.1"}, dns(container));
    }

    @Test
    void theImageAndHostNetworkComeFromTheEnvironment() {
        ContainerAzurite.BlobOnlyAzuriteContainer container = ContainerAzurite.containerFor(Config.fromEnvironment(
                name -> null, Map.of(AzuriteServer.IMAGE_ENV, "replisim/azurite:local",
                        AzuriteServer.HOST_NETWORK_ENV, "true")));
        container.configure();
        assertEquals("replisim/azurite:local", container.imageName.asCanonicalNameString());
        assertEquals("host", container.getNetworkMode());
        assertTrue(container.getExposedPorts().isEmpty(), "nothing to map on the host's network");
        assertEquals(List.of("azurite-blob", "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence",
                "--skipApiVersionCheck", "--loose", "--disableTelemetry"), List.of(container.getCommandParts()));
        assertArrayEquals(new String[] {"127.0.0.1"}, dns(container));
    }
}
