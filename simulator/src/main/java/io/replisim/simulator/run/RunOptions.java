package io.replisim.simulator.run;

import io.replisim.simulator.trace.TraceLevel;
import java.io.Writer;

/**
 * How to run a scenario: the seed, the Azure backend's name, where the JSONL trace goes
 * (null for nowhere), who is told of progress, where to export the disks at the end (null
 * for nowhere), on how many threads the sites of a scenario of several run (0: all cores), and
 * the trace's level (null: {@link TraceLevel#defaultFor} the scenario's VMs).
 */
public record RunOptions(long seed, String azure, Writer trace, ProgressListener progress, java.nio.file.Path exportDisks,
                         int threads, TraceLevel traceLevel, boolean untilReplicating) {
    public RunOptions(long seed, String azure, Writer trace, ProgressListener progress, java.nio.file.Path exportDisks,
                      int threads, TraceLevel traceLevel) {
        this(seed, azure, trace, progress, exportDisks, threads, traceLevel, false);
    }

    /**
     * These options ending each site's workload once every VM of it has reached Replicating
     * (for a plan of initial replication: what comes after does not change its answers).
     */
    public RunOptions untilEveryVmReplicates() {
        return new RunOptions(seed, azure, trace, progress, exportDisks, threads, traceLevel, true);
    }
    public RunOptions(long seed, String azure, Writer trace, ProgressListener progress) {
        this(seed, azure, trace, progress, null, 0, null);
    }

    public RunOptions(long seed, String azure, Writer trace, ProgressListener progress, java.nio.file.Path exportDisks) {
        this(seed, azure, trace, progress, exportDisks, 0, null);
    }

    /** These options on {@code n} threads (0: all cores). */
    public RunOptions withThreads(int n) {
        return new RunOptions(seed, azure, trace, progress, exportDisks, n, traceLevel, untilReplicating);
    }

    /** These options with the trace at {@code level} (null: the default for the scenario's size). */
    public RunOptions withTraceLevel(TraceLevel level) {
        return new RunOptions(seed, azure, trace, progress, exportDisks, threads, level, untilReplicating);
    }

    public RunOptions {
        if (progress == null) {
            progress = ProgressListener.NONE;
        }
        if (azure == null) {
            azure = "memory";
        }
    }
}
