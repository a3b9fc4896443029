package io.replisim.azure.azurite;

import io.replisim.azure.storage.AzuriteBlobStorage;
import io.replisim.azure.storage.BlobEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An Azurite Blob service that replisim starts and stops itself, on a free loopback port, with
 * nothing persisted. Two launchers: the {@code azurite} npm package that the Maven build installs
 * into {@code fake-azure/azurite}, or Testcontainers' {@code AzuriteContainer} when a Docker
 * engine is available.
 *
 * <pre>{@code
 * try (AzuriteServer azurite = AzuriteServer.start()) {       // launcher etc. from system properties
 *     BlobStorage storage = azurite.newBlobStorage();
 *     ...
 * }                                                         // stops Azurite
 * }</pre>
 *
 * <p>Starting waits (in wall-clock time) for Azurite to listen; that is the only place wall-clock
 * time is spent. A JVM shutdown hook stops Azurite if {@link #close()} is never called.
 */
public final class AzuriteServer implements AutoCloseable {

    /** How Azurite is started. */
    public enum Launcher {
        /** The container if a Docker engine answers, else the npm package. */
        AUTO,
        /** {@code node_modules/.bin/azurite-blob} of the installed npm package, as a child process. */
        NPM,
        /** Testcontainers' {@code AzuriteContainer}; needs a Docker engine. */
        CONTAINER
    }

    /** System property (or {@link #HOME_ENV}): the folder holding {@code node_modules/.bin/azurite-blob}. */
    public static final String HOME_PROPERTY = "replisim.azurite.home";
    public static final String HOME_ENV = "REPLISIM_AZURITE_HOME";
    /** System property (or {@link #LAUNCHER_ENV}): {@code auto}, {@code npm} or {@code container}. */
    public static final String LAUNCHER_PROPERTY = "replisim.azurite.launcher";
    public static final String LAUNCHER_ENV = "REPLISIM_AZURITE_LAUNCHER";
    /** System property (or {@link #IMAGE_ENV}): the container image. */
    public static final String IMAGE_PROPERTY = "replisim.azurite.image";
    public static final String IMAGE_ENV = "REPLISIM_AZURITE_IMAGE";
    /** System property (or {@link #HOST_NETWORK_ENV}): {@code true} runs the container on the host's network. */
    public static final String HOST_NETWORK_PROPERTY = "replisim.azurite.hostNetwork";
    public static final String HOST_NETWORK_ENV = "REPLISIM_AZURITE_HOST_NETWORK";

    /** The image the container launcher runs unless told otherwise; same version as the npm package. */
    public static final String DEFAULT_IMAGE = "mcr.microsoft.com/azure-storage/azurite:3.35.0";

    /** Azurite's command-line flags, whichever launcher: blob service only, nothing on disk, offline. */
    static final String[] FLAGS = {"--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry"};

    /**
     * How to start Azurite. Immutable; {@link #defaults()} or {@link #fromEnvironment()}, then
     * {@link #toBuilder()} to change a field.
     */
    public static final class Config {
        private final Launcher launcher;
        private final Path home;
        private final String image;
        private final boolean hostNetwork;
        private final Duration startTimeout;

        private Config(Builder b) {
            this.launcher = Objects.requireNonNull(b.launcher, "launcher");
            this.home = b.home;
            this.image = Objects.requireNonNull(b.image, "image");
            this.hostNetwork = b.hostNetwork;
            this.startTimeout = Objects.requireNonNull(b.startTimeout, "startTimeout");
            if (image.isBlank()) {
                throw new IllegalArgumentException("Azurite image must not be blank");
            }
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("Azurite start timeout " + startTimeout + " must be positive");
            }
        }

        /** AUTO, npm home searched for, {@link #DEFAULT_IMAGE}, bridge network, 2 minutes to start. */
        public static Config defaults() {
            return new Builder().build();
        }

        /** The defaults overridden by the {@code replisim.azurite.*} system properties, else environment variables. */
        public static Config fromEnvironment() {
            Builder b = new Builder();
            setting(LAUNCHER_PROPERTY, LAUNCHER_ENV).ifPresent(v -> b.launcher(parseLauncher(v)));
            setting(HOME_PROPERTY, HOME_ENV).ifPresent(v -> b.home(Path.of(v)));
            setting(IMAGE_PROPERTY, IMAGE_ENV).ifPresent(b::image);
            setting(HOST_NETWORK_PROPERTY, HOST_NETWORK_ENV).ifPresent(v -> b.hostNetwork(Boolean.parseBoolean(v)));
            return b.build();
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            Builder b = new Builder();
            b.launcher = launcher;
            b.home = home;
            b.image = image;
            b.hostNetwork = hostNetwork;
            b.startTimeout = startTimeout;
            return b;
        }

        public Launcher launcher() {
            return launcher;
        }

        /** The npm install's folder if given; otherwise it is searched for when starting. */
        public Optional<Path> home() {
            return Optional.ofNullable(home);
        }

        public String image() {
            return image;
        }

        public boolean hostNetwork() {
            return hostNetwork;
        }

        public Duration startTimeout() {
            return startTimeout;
        }

        @Override
        public String toString() {
            return "AzuriteServer.Config[" + launcher + ", home " + (home == null ? "searched" : home) + ", image "
                    + image + (hostNetwork ? ", host network" : "") + ", start timeout " + startTimeout + "]";
        }

        public static final class Builder {
            private Launcher launcher = Launcher.AUTO;
            private Path home;
            private String image = DEFAULT_IMAGE;
            private boolean hostNetwork;
            private Duration startTimeout = Duration.ofMinutes(2);

            private Builder() {
            }

            public Builder launcher(Launcher value) {
                this.launcher = Objects.requireNonNull(value, "launcher");
                return this;
            }

            /** The folder holding {@code node_modules/.bin/azurite-blob}; null to search for it. */
            public Builder home(Path value) {
                this.home = value;
                return this;
            }

            public Builder image(String value) {
                this.image = Objects.requireNonNull(value, "image");
                return this;
            }

            /**
             * Run the container with {@code --network host}: no port mapping, Azurite binds a free
             * port on the host's 127.0.0.1 (Linux engines only). For engines whose port mapping is
             * unavailable or unwanted.
             */
            public Builder hostNetwork(boolean value) {
                this.hostNetwork = value;
                return this;
            }

            /** How long Azurite may take to listen (an image pull counts). */
            public Builder startTimeout(Duration value) {
                this.startTimeout = Objects.requireNonNull(value, "startTimeout");
                return this;
            }

            public Config build() {
                return new Config(this);
            }
        }
    }

    /** A started Azurite, whichever launcher. */
    interface Instance {
        String host();

        int port();

        OptionalLong pid();

        boolean isAlive();

        /** Stops it and waits for it to be gone; idempotent. */
        void stop();
    }

    private final Launcher launcher;
    private final Instance instance;
    private final BlobEndpoint endpoint;

    private AzuriteServer(Launcher launcher, Instance instance) {
        this.launcher = launcher;
        this.instance = instance;
        this.endpoint = BlobEndpoint.azurite(instance.host(), instance.port());
    }

    /** Starts Azurite as {@link Config#fromEnvironment()} says (AUTO unless told otherwise). */
    public static AzuriteServer start() {
        return start(Config.fromEnvironment());
    }

    /**
     * Starts Azurite and returns once it listens. Fails with {@link IllegalStateException} saying
     * why (no npm install found, no Docker engine, Azurite exited or did not listen in time).
     */
    public static AzuriteServer start(Config config) {
        Objects.requireNonNull(config, "config");
        Launcher chosen = resolve(config.launcher());
        Instance instance = chosen == Launcher.CONTAINER
                ? ContainerAzurite.start(config.image(), config.hostNetwork(), config.startTimeout())
                : NpmAzurite.start(NpmAzurite.locateHome(config.home()), config.startTimeout());
        return new AzuriteServer(chosen, instance);
    }

    /** AUTO resolved: the container if a Docker engine answers, else npm. */
    static Launcher resolve(Launcher launcher) {
        if (launcher != Launcher.AUTO) {
            return launcher;
        }
        return ContainerAzurite.dockerAvailable() ? Launcher.CONTAINER : Launcher.NPM;
    }

    /** The launcher that started this server: NPM or CONTAINER. */
    public Launcher launcher() {
        return launcher;
    }

    /** The development account's Blob endpoint (path-style, with the well-known key). */
    public BlobEndpoint endpoint() {
        return endpoint;
    }

    /** A new SDK-backed storage on this server, with the default request timeout. */
    public AzuriteBlobStorage newBlobStorage() {
        return new AzuriteBlobStorage(endpoint);
    }

    public AzuriteBlobStorage newBlobStorage(Duration requestTimeout) {
        return new AzuriteBlobStorage(endpoint, requestTimeout);
    }

    /** The Azurite process's id for the npm launcher; empty for a container. */
    public OptionalLong pid() {
        return instance.pid();
    }

    public boolean isRunning() {
        return instance.isAlive();
    }

    /** Stops Azurite (its whole process tree, or the container) and waits until it is gone. */
    @Override
    public void close() {
        instance.stop();
    }

    @Override
    public String toString() {
        return "AzuriteServer[" + launcher.name().toLowerCase(Locale.ROOT) + ", " + endpoint.url()
                + (instance.pid().isPresent() ? ", pid " + instance.pid().getAsLong() : "")
                + (instance.isAlive() ? "" : ", stopped") + "]";
    }

    private static Optional<String> setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    static Launcher parseLauncher(String value) {
        try {
            return Launcher.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Azurite launcher '" + value + "' is not one of auto, npm, container",
                    e);
        }
    }
}
