package io.replisim.simulator.run;

import io.replisim.simulator.trace.TraceLevel;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run a scenario, built fluently from a seed: {@code RunOptions.withSeed(7).trace(out)}.
 * Every option has a default: the memory backend, no trace, no progress, no disk export, all
 * cores for the sites of a scenario of several, the trace level {@link TraceLevel#defaultFor}
 * the scenario's VMs, the whole duration.
 *
 * @param seed the seed; the same scenario and seed give a byte-identical trace
 * @param backend the Azure storage the run replicates to
 * @param trace where the JSONL trace goes, null for nowhere
 * @param progress who is told of progress
 * @param exportDisks where to export the disks at the end, null for nowhere
 * @param threads how many threads run the sites of a scenario of several (0: all cores)
 * @param traceLevel the trace's level, null for the default for the scenario's size
 * @param untilReplicating whether each site's workload ends once all its VMs replicate
 * @param probe what watches each site's fakes from outside the replication stack, null for nothing
 */
public record RunOptions(long seed, Backend backend, Writer trace, ProgressListener progress, Path exportDisks,
                         int threads, TraceLevel traceLevel, boolean untilReplicating, SiteProbe.Factory probe) {
    public RunOptions {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(progress, "progress");
        if (threads < 0) {
            throw new IllegalArgumentException("threads " + threads + ": expected 0 (all cores) or more");
        }
    }

    /** The defaults with this seed. */
    public static RunOptions withSeed(long seed) {
        return new RunOptions(seed, Backend.MEMORY, null, ProgressListener.NONE, null, 0, null, false, null);
    }

    /** These options on another Azure backend. */
    public RunOptions backend(Backend b) {
        return new RunOptions(seed, b, trace, progress, exportDisks, threads, traceLevel, untilReplicating, probe);
    }

    /** These options writing the trace to {@code out} (null: nowhere). */
    public RunOptions trace(Writer out) {
        return new RunOptions(seed, backend, out, progress, exportDisks, threads, traceLevel, untilReplicating, probe);
    }

    /** These options telling {@code listener} of progress (null: nobody). */
    public RunOptions progress(ProgressListener listener) {
        return new RunOptions(seed, backend, trace, listener == null ? ProgressListener.NONE : listener, exportDisks,
                threads, traceLevel, untilReplicating, probe);
    }

    /** These options exporting the disks into {@code dir} at the end (null: no export). */
    public RunOptions exportDisks(Path dir) {
        return new RunOptions(seed, backend, trace, progress, dir, threads, traceLevel, untilReplicating, probe);
    }

    /** These options on {@code n} threads (0: all cores). */
    public RunOptions threads(int n) {
        return new RunOptions(seed, backend, trace, progress, exportDisks, n, traceLevel, untilReplicating, probe);
    }

    /** These options with the trace at {@code level} (null: the default for the scenario's size). */
    public RunOptions traceLevel(TraceLevel level) {
        return new RunOptions(seed, backend, trace, progress, exportDisks, threads, level, untilReplicating, probe);
    }

    /**
     * These options ending each site's workload once every VM of it has reached Replicating
     * (for a plan of initial replication: what comes after does not change its answers).
     */
    public RunOptions untilEveryVmReplicates() {
        return new RunOptions(seed, backend, trace, progress, exportDisks, threads, traceLevel, true, probe);
    }

    /**
     * These options with {@code factory} watching every site: its probe sees each trace record as
     * the stack writes it and may read the site's fakes then (the invariants' ground truth).
     */
    public RunOptions probe(SiteProbe.Factory factory) {
        return new RunOptions(seed, backend, trace, progress, exportDisks, threads, traceLevel, untilReplicating, factory);
    }
}
