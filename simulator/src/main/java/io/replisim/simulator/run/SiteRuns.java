package io.replisim.simulator.run;

import io.replisim.simulator.fault.StorageFaults;
import io.replisim.simulator.kernel.Kernel;
import io.replisim.simulator.replication.ReplicationConfig;
import io.replisim.simulator.replication.ReplicationSite;
import io.replisim.simulator.trace.TraceLevel;
import io.replisim.simulator.trace.TraceRecord;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The sites of one scenario on threads of their own: each site spools its trace to a file of
 * its own (its records' times and bodies); once all ended, the files are merged by time, then
 * the site's place in the file, then the site's own order, and numbered in that order. The
 * output depends on the sites alone, never on the number of threads or their timing.
 */
final class SiteRuns {
    private SiteRuns() {}

    static List<SiteRun.Result> run(List<ReplicationConfig> configs, Instant start, ZoneId zone, RunOptions options,
                                    long duration, TraceLevel level, TraceOut out) throws IOException {
        int threads = Math.min(configs.size(), options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors());
        Path spool = out.writes() ? Files.createTempDirectory("replisim-sites-") : null;
        Progress progress = new Progress(configs.size(), duration, options.progress());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "replisim-site");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SiteRun.Result>> futures = new ArrayList<>();
            for (int i = 0; i < configs.size(); i++) {
                ReplicationConfig config = configs.get(i);
                Path file = spool == null ? null : spool.resolve(i + ".trace");
                int site = i;
                futures.add(pool.submit(() -> {
                    try (BufferedWriter w = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                        Consumer<TraceRecord> sink = w == null ? r -> { } : r -> {
                            try {
                                w.write(Long.toString(r.time()));
                                w.write('\t');
                                w.write(out.json().body(r));
                                w.write('\n');
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        };
                        Kernel kernel = new Kernel(start, zone, options.seed());
                        return SiteRun.run(config, kernel, ReplicationSite.VAULT + "/" + config.site(), duration, null,
                                StorageFaults.inFront(), w == null ? TraceLevel.NONE : level, sink,
                                (t, events) -> progress.at(site, t, events), options.exportDisks(), options.untilReplicating(),
                                options.probe());
                    }
                }));
            }
            List<SiteRun.Result> results = new ArrayList<>();
            for (Future<SiteRun.Result> f : futures) {
                results.add(join(f));
            }
            if (spool != null) {
                merge(spool, configs.size(), out);
            }
            return results;
        } finally {
            pool.shutdownNow();
            if (spool != null) {
                for (int i = 0; i < configs.size(); i++) {
                    Files.deleteIfExists(spool.resolve(i + ".trace"));
                }
                Files.deleteIfExists(spool);
            }
        }
    }

    private static SiteRun.Result join(Future<SiteRun.Result> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the sites ran", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** One spooled line waiting its turn in the merge. */
    private record Head(long time, int site, String body) {}

    private static void merge(Path spool, int sites, TraceOut out) throws IOException {
        List<BufferedReader> readers = new ArrayList<>();
        try {
            PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> a.time() != b.time() ? Long.compare(a.time(), b.time())
                    : Integer.compare(a.site(), b.site()));
            for (int i = 0; i < sites; i++) {
                BufferedReader r = Files.newBufferedReader(spool.resolve(i + ".trace"), StandardCharsets.UTF_8);
                readers.add(r);
                Head h = next(r, i);
                if (h != null) {
                    heads.add(h);
                }
            }
            while (!heads.isEmpty()) {
                Head h = heads.poll();
                out.acceptBody(h.body());
                Head n = next(readers.get(h.site()), h.site());
                if (n != null) {
                    heads.add(n);
                }
            }
        } finally {
            for (BufferedReader r : readers) {
                r.close();
            }
        }
    }

    private static Head next(BufferedReader r, int site) throws IOException {
        String line = r.readLine();
        if (line == null) {
            return null;
        }
        int tab = line.indexOf('\t');
        return new Head(Long.parseLong(line.substring(0, tab)), site, line.substring(tab + 1));
    }

    /** The sites' progress as one: the least simulated time of a site still running, all the events. */
    private static final class Progress {
        private final long[] times;
        private final long[] events;
        private final long duration;
        private final ProgressListener listener;

        Progress(int sites, long duration, ProgressListener listener) {
            this.times = new long[sites];
            this.events = new long[sites];
            this.duration = duration;
            this.listener = listener;
        }

        synchronized void at(int site, long t, long fired) {
            times[site] = t;
            events[site] = fired;
            long least = Long.MAX_VALUE;
            long all = 0;
            for (int i = 0; i < times.length; i++) {
                least = Math.min(least, times[i]);
                all += events[i];
            }
            listener.progress(least, duration, all);
        }
    }
}
