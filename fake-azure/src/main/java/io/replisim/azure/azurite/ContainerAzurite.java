package io.replisim.azure.azurite;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.HostConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.azure.AzuriteContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Azurite in a container through Testcontainers. Bridge network: Azurite listens on the
 * container's port 10000, mapped to a free host port. Host network: no mapping at all, Azurite
 * binds a free port on the host's 127.0.0.1 and we read it from its log. Either way the
 * container's DNS is loopback and Azurite's telemetry off, so it reaches nothing outside.
 */
final class ContainerAzurite implements AzuriteServer.Instance {

    private static final String IMAGE_NAME = "mcr.microsoft.com/azure-storage/azurite";
    private static final int BLOB_PORT = 10000;
    /** The container's only name server: nothing answers there, so no name outside resolves. */
    static final String DNS = "127.0.0.1";

    private final BlobOnlyAzuriteContainer container;
    private final String host;
    private final int port;
    private final Thread shutdownHook;

    private ContainerAzurite(BlobOnlyAzuriteContainer container, String host, int port, Thread shutdownHook) {
        this.container = container;
        this.host = host;
        this.port = port;
        this.shutdownHook = shutdownHook;
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** The container that {@link #start} runs for this configuration, not started. */
    static BlobOnlyAzuriteContainer containerFor(AzuriteServer.Config config) {
        // a mirror's or a locally built image stands in for Microsoft's
        DockerImageName name = DockerImageName.parse(config.image()).asCompatibleSubstituteFor(IMAGE_NAME);
        BlobOnlyAzuriteContainer container = new BlobOnlyAzuriteContainer(name, config.hostNetwork());
        container.withStartupTimeout(config.startTimeout());
        return container;
    }

    static ContainerAzurite start(AzuriteServer.Config config) {
        if (!dockerAvailable()) {
            throw new IllegalStateException("no Docker engine answered");
        }
        BlobOnlyAzuriteContainer container = containerFor(config);
        boolean hostNetwork = config.hostNetwork();
        // Ryuk removes the container if this JVM dies; the hook stops it on an orderly exit without close()
        Thread hook = new Thread(container::stop, "azurite-container-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            container.start();
            String host;
            int port;
            if (hostNetwork) {
                host = "127.0.0.1";
                Matcher m = NpmAzurite.LISTENING.matcher(container.getLogs());
                if (!m.find()) {
                    throw new IllegalStateException("Azurite container logged no listening port:\n" + container.getLogs());
                }
                port = Integer.parseInt(m.group(2));
            } else {
                host = container.getHost();
                port = container.getMappedPort(BLOB_PORT);
            }
            return new ContainerAzurite(container, host, port, hook);
        } catch (RuntimeException e) {
            container.stop();
            removeHook(hook);
            throw new IllegalStateException("the Azurite container " + config.image() + " did not start: "
                    + AzuriteServer.causes(e), e);
        }
    }

    BlobOnlyAzuriteContainer container() {
        return container;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public boolean isAlive() {
        return container.isRunning();
    }

    @Override
    public void stop() {
        container.stop();
        removeHook(shutdownHook);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }

    @Override
    public String toString() {
        return "Azurite container " + container.imageName + (container.hostNetwork ? " (host network)" : "")
                + " on " + host + ":" + port;
    }

    /** AzuriteContainer running only the blob service, with replisim's flags. */
    static final class BlobOnlyAzuriteContainer extends AzuriteContainer {
        final DockerImageName imageName;
        private final boolean hostNetwork;

        BlobOnlyAzuriteContainer(DockerImageName image, boolean hostNetwork) {
            super(image);
            this.imageName = image;
            this.hostNetwork = hostNetwork;
            if (hostNetwork) {
                withNetworkMode("host");
                setExposedPorts(List.of()); // nothing to map on the host's own network
            } else {
                setExposedPorts(List.of(BLOB_PORT));
            }
            waitingFor(Wait.forLogMessage(".*Blob service successfully listens on.*", 1));
            withCreateContainerCmdModifier(BlobOnlyAzuriteContainer::loopbackDns);
            withLogConsumer(frame -> {
                if (frame.getType() != OutputFrame.OutputType.END) {
                    AzuriteServer.logOutput(frame.getUtf8StringWithoutLineEnding());
                }
            });
        }

        static void loopbackDns(CreateContainerCmd cmd) {
            HostConfig host = cmd.getHostConfig() != null ? cmd.getHostConfig() : new HostConfig();
            cmd.withHostConfig(host.withDns(DNS));
        }

        /**
         * Replaces AzuriteContainer's configuration, which sets its own command and copies TLS
         * files we do not use (and resolves the image, which needs an engine).
         */
        @Override
        protected void configure() {
            withCommand(command(hostNetwork).toArray(String[]::new));
        }

        static List<String> command(boolean hostNetwork) {
            List<String> command = new ArrayList<>(List.of("azurite-blob",
                    "--blobHost", hostNetwork ? "127.0.0.1" : "0.0.0.0",
                    "--blobPort", hostNetwork ? "0" : Integer.toString(BLOB_PORT)));
            command.addAll(List.of(AzuriteServer.FLAGS));
            return command;
        }
    }
}
