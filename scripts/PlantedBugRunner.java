import io.replisim.cli.Main;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs many `replisim` commands in one JVM, N side by side (scripts/planted-bug.sh): on shared
 * cores a JVM's start and warm-up per library scenario cost more than the run. Each line of the
 * command file is "NAME<TAB>arg arg ..."; NAME.out, NAME.err and NAME.rc go to the output folder.
 */
public final class PlantedBugRunner {
    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        Path out = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> all = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t", 2);
            all.add(pool.submit(() -> {
                try (PrintWriter o = new PrintWriter(Files.newBufferedWriter(out.resolve(parts[0] + ".out")), true);
                     PrintWriter e = new PrintWriter(Files.newBufferedWriter(out.resolve(parts[0] + ".err")), true)) {
                    int rc;
                    try {
                        rc = Main.execute(parts[1].split(" "), o, e);
                    } catch (Throwable t) {
                        t.printStackTrace(e);
                        rc = 3;
                    }
                    Files.writeString(out.resolve(parts[0] + ".rc"), rc + "\n");
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        pool.shutdown();
    }
}
