package io.replisim.azure.azurite;

import io.replisim.azure.Secrets;
import io.replisim.azure.storage.AzuriteBlobStorage;
import io.replisim.azure.storage.BlobEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * An Azurite Blob service that replisim starts and stops itself, on a free loopback port, with
 * nothing persisted. Two launchers: the {@code azurite} npm package that the Maven build installs
 * into {@code fake-azure/azurite}, or Testcontainers' {@code AzuriteContainer} when a Docker
 * engine is available; AUTO falls back from the container to the npm package.
 *
 * <pre>{@code
 * try (AzuriteServer azurite = AzuriteServer.start()) {       // launcher etc. from system properties
 *     BlobStorage storage = azurite.newBlobStorage();        // or environment variables
 *     ...
 * }                                                         // stops Azurite
 * }</pre>
 *
 * <p>Starting waits (in wall-clock time, at most {@link Config#startTimeout()} per launcher) for
 * Azurite to listen; that is the only place wall-clock time is spent. A JVM shutdown hook stops
 * Azurite if {@link #close()} is never called.
 */
public final class AzuriteServer implements AutoCloseable {

    /** How Azurite is started. */
    public enum Launcher {
        /** The container if it starts within the start timeout, else the npm package. */
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

    /** Azurite's own output, whichever launcher (the command line shows it with --verbose). */
    private static final Logger OUTPUT = LoggerFactory.getLogger("azurite");
    /** One of Azurite's access log lines, one per request ({@code 127.0.0.1 - - [date] "PUT /..." 201 -}). */
    private static final Pattern ACCESS_LOG = Pattern.compile("^\\S+ - \\S+ \\[[^\\]]*\\] \"");

    /** Logs a line of Azurite's output: a request at DEBUG (there is one per blob operation), the rest at INFO. */
    static void logOutput(String line) {
        if (ACCESS_LOG.matcher(line).find()) {
            OUTPUT.debug("{}", line);
        } else {
            OUTPUT.info("{}", line);
        }
    }

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

        /**
         * The defaults overridden by the {@code replisim.azurite.*} system properties, else the
         * {@code REPLISIM_AZURITE_*} environment variables: what the command line runs with.
         *
         * @throws AzuriteConfigurationException naming the setting and its value if one is not understood
         */
        public static Config fromEnvironment() {
            return fromEnvironment(System::getProperty, System.getenv());
        }

        /**
         * {@link #fromEnvironment()} from the given system properties (a lookup) and environment
         * variables, so that a caller or a test can hand in its own.
         */
        public static Config fromEnvironment(Function<String, String> properties, Map<String, String> environment) {
            Objects.requireNonNull(properties, "properties");
            Objects.requireNonNull(environment, "environment");
            Builder b = new Builder();
            setting(properties, environment, LAUNCHER_PROPERTY, LAUNCHER_ENV)
                    .ifPresent(s -> b.launcher(s.parse(Config::launcherNamed, "expected auto, npm or container")));
            setting(properties, environment, HOME_PROPERTY, HOME_ENV).ifPresent(s -> b.home(Path.of(s.value())));
            setting(properties, environment, IMAGE_PROPERTY, IMAGE_ENV)
                    .ifPresent(s -> b.image(s.parse(Config::imageNamed, "expected an image name such as " + DEFAULT_IMAGE)));
            setting(properties, environment, HOST_NETWORK_PROPERTY, HOST_NETWORK_ENV)
                    .ifPresent(s -> b.hostNetwork(s.parse(Config::trueOrFalse, "expected true or false")));
            return b.build();
        }

        private static Launcher launcherNamed(String value) {
            for (Launcher l : Launcher.values()) {
                if (l.name().equalsIgnoreCase(value)) {
                    return l;
                }
            }
            return null;
        }

        private static String imageNamed(String value) {
            try {
                DockerImageName.parse(value).assertValid();
                return value;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private static Boolean trueOrFalse(String value) {
            return value.equalsIgnoreCase("true") ? Boolean.TRUE : value.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        }

        /** A setting as the user gave it: where (a system property or an environment variable) and what. */
        private record Setting(String where, String value) {
            /** The value parsed (null: not understood), else an error naming the setting and its value. */
            <T> T parse(Function<String, T> parser, String expected) {
                T parsed = parser.apply(value);
                if (parsed == null) {
                    throw new AzuriteConfigurationException(where + "=" + value + ": " + expected);
                }
                return parsed;
            }
        }

        private static Optional<Setting> setting(Function<String, String> properties, Map<String, String> environment,
                                                 String property, String env) {
            String value = properties.apply(property);
            if (value != null && !value.isBlank()) {
                return Optional.of(new Setting("system property " + property, value.strip()));
            }
            value = environment.get(env);
            return value == null || value.isBlank() ? Optional.empty()
                    : Optional.of(new Setting("environment variable " + env, value.strip()));
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

            /**
             * How long a launcher may take until Azurite listens; for the container, the whole
             * start: image pull, container creation and Azurite's start.
             */
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

    /** The two ways to start Azurite; tests hand in fakes (a container start that hangs, say). */
    interface Launchers {
        /** Starts the container; may block for long (an image pull), so the caller bounds the wait. */
        Instance container(Config config);

        Instance npm(Config config);
    }

    private static final Launchers REAL = new Launchers() {
        @Override
        public Instance container(Config config) {
            return ContainerAzurite.start(config);
        }

        @Override
        public Instance npm(Config config) {
            return NpmAzurite.start(NpmAzurite.locateHome(config.home()), config.startTimeout());
        }
    };

    private final Launcher launcher;
    private final Instance instance;
    private final BlobEndpoint endpoint;
    private final String containerNotUsed;

    private AzuriteServer(Launcher launcher, Instance instance, String containerNotUsed) {
        this.launcher = launcher;
        this.instance = instance;
        this.endpoint = BlobEndpoint.azurite(instance.host(), instance.port());
        this.containerNotUsed = containerNotUsed;
    }

    /** Starts Azurite as {@link Config#fromEnvironment()} says (AUTO unless told otherwise). */
    public static AzuriteServer start() {
        return start(Config.fromEnvironment());
    }

    /**
     * Starts Azurite and returns once it listens. Fails with {@link IllegalStateException} saying
     * why (no npm install found: {@link AzuriteNotInstalledException}; no Docker engine; the
     * container or Azurite did not start in time, or with what cause). AUTO tries the container
     * first and starts the npm package if the container is not up within {@link Config#startTimeout()}.
     */
    public static AzuriteServer start(Config config) {
        return start(config, REAL);
    }

    static AzuriteServer start(Config config, Launchers launchers) {
        Objects.requireNonNull(config, "config");
        return switch (config.launcher()) {
            case NPM -> new AzuriteServer(Launcher.NPM, launchers.npm(config), null);
            case CONTAINER -> new AzuriteServer(Launcher.CONTAINER, startContainer(config, launchers), null);
            case AUTO -> {
                String notUsed;
                try {
                    yield new AzuriteServer(Launcher.CONTAINER, startContainer(config, launchers), null);
                } catch (IllegalStateException e) {
                    notUsed = e.getMessage();
                }
                try {
                    yield new AzuriteServer(Launcher.NPM, launchers.npm(config), notUsed);
                } catch (AzuriteNotInstalledException e) {
                    throw new AzuriteNotInstalledException("the container launcher: " + notUsed + "; the npm launcher: "
                            + e.getMessage());
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("the container launcher: " + notUsed + "; the npm launcher: "
                            + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * Starts the container within the start timeout, image pull included: Testcontainers' own
     * startup timeout begins only once the image is there, and the pull of an unobtainable image
     * retries for minutes. On timeout the start is abandoned: its thread is interrupted, and a
     * container that comes up all the same is stopped at once.
     */
    static Instance startContainer(Config config, Launchers launchers) {
        CompletableFuture<Instance> started = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                started.complete(launchers.container(config));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "azurite-container-start");
        starter.setDaemon(true); // an abandoned pull never holds the JVM
        starter.start();
        try {
            return started.get(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(started, starter);
            throw new IllegalStateException("the Azurite container " + config.image() + " did not start within "
                    + config.startTimeout() + " (image pull included)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException known) {
                throw known;
            }
            throw new IllegalStateException("the Azurite container " + config.image() + " did not start: "
                    + causes(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            abandon(started, starter);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Azurite container", e);
        }
    }

    private static void abandon(CompletableFuture<Instance> started, Thread starter) {
        started.thenAccept(Instance::stop);
        starter.interrupt();
    }

    /**
     * What went wrong, down the cause chain: each distinct message's first line, redacted
     * (Testcontainers wraps the telling cause, a failed pull say, in generic ones).
     */
    static String causes(Throwable failure) {
        List<String> messages = new ArrayList<>();
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) { // a cycle of causes ends too
            String m = t.getMessage() == null ? t.getClass().getSimpleName()
                    : t.getMessage().strip().lines().findFirst().orElse("");
            if (!m.isEmpty() && messages.stream().noneMatch(seen -> seen.contains(m))) {
                messages.add(m);
            }
        }
        return Secrets.redact(String.join(": ", messages));
    }

    /** The launcher that started this server: NPM or CONTAINER. */
    public Launcher launcher() {
        return launcher;
    }

    /** Why AUTO started the npm package instead of the container (no Docker engine, say); empty otherwise. */
    public Optional<String> containerNotUsed() {
        return Optional.ofNullable(containerNotUsed);
    }

    /** Which Azurite serves, where, and why not the container if AUTO fell back: for a line on the console. */
    public String description() {
        return instance + (containerNotUsed == null ? "" : "; not the container: " + containerNotUsed);
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
}
