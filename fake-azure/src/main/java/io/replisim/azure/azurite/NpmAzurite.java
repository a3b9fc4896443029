package io.replisim.azure.azurite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Azurite from the npm package, as a child process on 127.0.0.1 and a port the OS picks. */
final class NpmAzurite implements AzuriteServer.Instance {

    /** Azurite's line once the blob service accepts connections. */
    static final Pattern LISTENING = Pattern.compile("Blob service successfully listens on https?://([^:/\\s]+):(\\d+)");

    private static final int TAIL_LINES = 40;
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Thread shutdownHook;
    private final OutputTail output;

    private NpmAzurite(Process process, int port, Thread shutdownHook, OutputTail output) {
        this.process = process;
        this.port = port;
        this.shutdownHook = shutdownHook;
        this.output = output;
    }

    /**
     * The folder holding {@code node_modules/.bin/azurite-blob}: the configured one, else
     * {@code fake-azure/azurite} found from the working directory or any of its parents (so the
     * command line finds it when run from the repository root or a module).
     */
    static Path locateHome(Optional<Path> configured) {
        if (configured.isPresent()) {
            Path home = configured.get().toAbsolutePath().normalize();
            if (!Files.isRegularFile(executable(home))) {
                throw new AzuriteNotInstalledException("Azurite is not installed in " + home + " (no " + executable(home)
                        + "); run `npm ci` there, or fix " + AzuriteServer.HOME_PROPERTY + " / "
                        + AzuriteServer.HOME_ENV);
            }
            return home;
        }
        List<Path> looked = new ArrayList<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            List<Path> candidates = new ArrayList<>();
            if (dir.getFileName() != null && dir.getFileName().toString().equals("fake-azure")) {
                candidates.add(dir.resolve("azurite"));
            }
            candidates.add(dir.resolve("fake-azure").resolve("azurite"));
            for (Path candidate : candidates) {
                looked.add(candidate);
                if (Files.isRegularFile(executable(candidate))) {
                    return candidate;
                }
            }
        }
        throw new AzuriteNotInstalledException("Azurite is not installed: no node_modules/.bin/azurite-blob in " + looked
                + ". The Maven build installs it into fake-azure/azurite with Node.js 20 and npm (`mvn -B -DskipTests"
                + " package` from the repository root), or set " + AzuriteServer.HOME_PROPERTY + " / "
                + AzuriteServer.HOME_ENV + " to a folder where the azurite npm package is installed");
    }

    static Path executable(Path home) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        return home.resolve("node_modules").resolve(".bin").resolve(windows ? "azurite-blob.cmd" : "azurite-blob");
    }

    static NpmAzurite start(Path home, Duration startTimeout) {
        List<String> command = new ArrayList<>(List.of(executable(home).toString(),
                "--blobHost", "127.0.0.1", "--blobPort", "0"));
        command.addAll(List.of(AzuriteServer.FLAGS));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + " (is node on the PATH?): " + e.getMessage(),
                    e);
        }
        Thread hook = new Thread(() -> destroyTree(process), "azurite-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);

        OutputTail output = new OutputTail();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, output, listening), "azurite-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            int port = listening.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new NpmAzurite(process, port, hook, output);
        } catch (TimeoutException e) {
            stop(process, hook);
            throw new IllegalStateException("Azurite (pid " + process.pid() + ") did not listen within " + startTimeout
                    + "; its output:\n" + output, e);
        } catch (ExecutionException e) {
            stop(process, hook);
            throw new IllegalStateException(e.getCause().getMessage() + "; its output:\n" + output, e.getCause());
        } catch (InterruptedException e) {
            stop(process, hook);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Azurite", e);
        }
    }

    /**
     * Reads Azurite's output to its end: logs it, finds the port, then keeps draining so Azurite
     * never blocks on a full pipe.
     */
    private static void readOutput(Process process, OutputTail output, CompletableFuture<Integer> listening) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
                AzuriteServer.logOutput(line);
                Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find()) {
                    listening.complete(Integer.parseInt(m.group(2)));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            output.add("(output unreadable: " + e.getMessage() + ")");
        }
        listening.completeExceptionally(new IllegalStateException(
                "Azurite (pid " + process.pid() + ") exited before listening" + exitCode(process)));
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? " with exit code " + process.exitValue() : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void stop() {
        stop(process, shutdownHook);
    }

    /** Azurite's last lines, for error messages. */
    String output() {
        return output.toString();
    }

    private static void stop(Process process, Thread hook) {
        destroyTree(process);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (harmlessly) anyway
        }
    }

    /** Stops the process and every process it started (a .cmd wrapper's node, say): politely, then forcibly. */
    static void destroyTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            for (ProcessHandle child : descendants) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                    child.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a descendant that outlives a forcible kill is beyond our reach; report nothing more
        }
    }

    @Override
    public String toString() {
        return "npm Azurite pid " + process.pid() + " on 127.0.0.1:" + port;
    }

    /** The last lines of output; written by the reader thread, read on failure. */
    private static final class OutputTail {
        private final Deque<String> lines = new ArrayDeque<>();

        synchronized void add(String line) {
            lines.addLast(line);
            if (lines.size() > TAIL_LINES) {
                lines.removeFirst();
            }
        }

        @Override
        public synchronized String toString() {
            return String.join("\n", lines);
        }
    }
}
