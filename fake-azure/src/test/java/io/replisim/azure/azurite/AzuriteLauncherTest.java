package io.replisim.azure.azurite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.azure.azurite.AzuriteServer.Config;
import io.replisim.azure.azurite.AzuriteServer.Instance;
import io.replisim.azure.azurite.AzuriteServer.Launcher;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Which launcher serves, with fake launchers: no Docker engine and no Azurite needed. The start
 * timeouts are small so that a hung container start ends the test quickly; nothing here asserts
 * how fast anything is.
 */
class AzuriteLauncherTest {

    /** A started Azurite that is not there: records whether it was stopped. */
    static final class FakeInstance implements Instance {
        private final String name;
        final CompletableFuture<Void> stopped = new CompletableFuture<>();

        FakeInstance(String name) {
            this.name = name;
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return 10000;
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public boolean isAlive() {
            return !stopped.isDone();
        }

        @Override
        public void stop() {
            stopped.complete(null);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Launchers whose container start does what the test says; counts the npm starts. */
    static final class FakeLaunchers implements AzuriteServer.Launchers {
        private final Supplier<Instance> container;
        final FakeInstance npm = new FakeInstance("fake npm Azurite");
        final AtomicInteger npmStarts = new AtomicInteger();

        FakeLaunchers(Supplier<Instance> container) {
            this.container = container;
        }

        @Override
        public Instance container(Config config) {
            return container.get();
        }

        @Override
        public Instance npm(Config config) {
            npmStarts.incrementAndGet();
            return npm;
        }
    }

    private static Config config(Launcher launcher) {
        return Config.defaults().toBuilder().launcher(launcher).startTimeout(Duration.ofMillis(50)).build();
    }

    private static Supplier<Instance> failing(RuntimeException e) {
        return () -> {
            throw e;
        };
    }

    @Test
    void autoRunsTheContainerWhenItStarts() {
        FakeInstance container = new FakeInstance("fake container");
        FakeLaunchers launchers = new FakeLaunchers(() -> container);
        AzuriteServer server = AzuriteServer.start(config(Launcher.AUTO), launchers);
        assertEquals(Launcher.CONTAINER, server.launcher());
        assertTrue(server.containerNotUsed().isEmpty());
        assertEquals("fake container", server.description());
        assertEquals(0, launchers.npmStarts.get());
    }

    @Test
    void autoFallsBackToNpmWhenTheContainerFailsAndNamesTheCause() {
        RuntimeException pull = new RuntimeException("Container startup failed for image replisim/azurite:local",
                new RuntimeException("pull access denied for replisim/azurite, repository does not exist"));
        FakeLaunchers launchers = new FakeLaunchers(failing(pull));
        AzuriteServer server = AzuriteServer.start(config(Launcher.AUTO), launchers);
        assertEquals(Launcher.NPM, server.launcher());
        String why = server.containerNotUsed().orElseThrow();
        assertTrue(why.startsWith("the Azurite container " + AzuriteServer.DEFAULT_IMAGE + " did not start: Container startup"
                + " failed for image replisim/azurite:local: pull access denied for replisim/azurite"), why);
        assertEquals("fake npm Azurite; not the container: " + why, server.description());
    }

    @Test
    void autoFallsBackToNpmWhenTheContainerStartHangsAndStopsTheContainerIfItComesUpLater() {
        CountDownLatch never = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        CompletableFuture<Void> pullDone = new CompletableFuture<>();
        FakeInstance late = new FakeInstance("late container");
        FakeLaunchers launchers = new FakeLaunchers(() -> {
            try {
                never.await(); // an image pull that does not end
            } catch (InterruptedException e) {
                interrupted.complete(true);
            }
            pullDone.join(); // and one that ignores the interrupt
            return late;
        });

        AzuriteServer server = AzuriteServer.start(config(Launcher.AUTO), launchers);
        assertEquals(Launcher.NPM, server.launcher());
        assertEquals("the Azurite container " + AzuriteServer.DEFAULT_IMAGE + " did not start within PT0.05S (image pull"
                + " included)", server.containerNotUsed().orElseThrow());
        await("the abandoned start to be interrupted").atMost(Duration.ofSeconds(10)).until(interrupted::isDone);

        assertFalse(late.stopped.isDone());
        pullDone.complete(null);
        await("the late container to be stopped").atMost(Duration.ofSeconds(10)).until(late.stopped::isDone);
    }

    @Test
    void theContainerLauncherIsBoundedTooAndDoesNotFallBack() {
        FakeLaunchers hanging = new FakeLaunchers(() -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AzuriteServer.start(config(Launcher.CONTAINER), hanging));
        assertTrue(e.getMessage().contains("did not start within PT0.05S (image pull included)"), e.getMessage());

        FakeLaunchers noDocker = new FakeLaunchers(failing(new IllegalStateException("no Docker engine answered")));
        e = assertThrows(IllegalStateException.class, () -> AzuriteServer.start(config(Launcher.CONTAINER), noDocker));
        assertEquals("no Docker engine answered", e.getMessage());
        assertFalse(e instanceof AzuriteNotInstalledException, "no npm install hint for a container failure");
        assertEquals(0, hanging.npmStarts.get() + noDocker.npmStarts.get());
    }

    @Test
    void theNpmLauncherNeverTriesTheContainer() {
        FakeLaunchers launchers = new FakeLaunchers(() -> {
            throw new AssertionError("the container was tried");
        });
        AzuriteServer server = AzuriteServer.start(config(Launcher.NPM), launchers);
        assertEquals(Launcher.NPM, server.launcher());
        assertEquals("fake npm Azurite", server.description());
        assertEquals(1, launchers.npmStarts.get());
    }

    @Test
    void whenNeitherStartsAutoSaysWhyForEachAndKeepsTheNotInstalledKind() {
        AzuriteServer.Launchers launchers = new AzuriteServer.Launchers() {
            @Override
            public Instance container(Config config) {
                throw new IllegalStateException("no Docker engine answered");
            }

            @Override
            public Instance npm(Config config) {
                throw new AzuriteNotInstalledException("Azurite is not installed: no node_modules/.bin/azurite-blob");
            }
        };
        AzuriteNotInstalledException e = assertThrows(AzuriteNotInstalledException.class,
                () -> AzuriteServer.start(config(Launcher.AUTO), launchers));
        assertEquals("the container launcher: no Docker engine answered; the npm launcher: Azurite is not installed: no"
                + " node_modules/.bin/azurite-blob", e.getMessage());
    }
}
