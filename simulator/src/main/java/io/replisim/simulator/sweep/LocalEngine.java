package io.replisim.simulator.sweep;

import java.io.Serializable;
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
        return map(tasks, task -> {
            SweepRow row = SweepRuns.run(task, traces);
            done.accept(row);
            return row;
        });
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> map(List<T> inputs, RemoteFunction<T, R> fn) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, inputs.size())), r -> {
            Thread t = new Thread(r, "replisim-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T input : inputs) {
                futures.add(pool.submit(() -> fn.apply(input)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
