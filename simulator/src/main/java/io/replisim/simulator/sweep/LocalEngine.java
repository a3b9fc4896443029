package io.replisim.simulator.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** The sweep's points on a pool of this machine's threads, one run per thread at a time. */
public final class LocalEngine implements SweepEngine {
    private final int threads;
    private final Path traces;

    /** {@code threads} 0: all cores; {@code traces}: where to keep each point's trace, or null. */
    public LocalEngine(int threads, Path traces) {
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.traces = traces;
    }

    @Override
    public List<SweepRow> run(List<SweepTask> tasks, Consumer<SweepRow> done) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), r -> {
            Thread t = new Thread(r, "replisim-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SweepRow>> futures = new ArrayList<>();
            for (SweepTask task : tasks) {
                futures.add(pool.submit(() -> {
                    SweepRow row = SweepRuns.run(task, traces);
                    done.accept(row);
                    return row;
                }));
            }
            List<SweepRow> rows = new ArrayList<>();
            for (Future<SweepRow> f : futures) {
                try {
                    rows.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }
}
