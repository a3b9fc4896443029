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
                         int threads, TraceLevel traceLevel) {
    public RunOptions(long seed, String azure, Writer trace, ProgressListener progress) {
        this(seed, azure, trace, progress, null, 0, null);
    }

    public RunOptions(long seed, String azure, Writer trace, ProgressListener progress, java.nio.file.Path exportDisks) {
        this(seed, azure, trace, progress, exportDisks, 0, null);
    }

    /** These options on {@code n} threads (0: all cores). */
    public RunOptions withThreads(int n) {
        return new RunOptions(seed, azure, trace, progress, exportDisks, n, traceLevel);
    }

    /** These options with the trace at {@code level} (null: the default for the scenario's size). */
    public RunOptions withTraceLevel(TraceLevel level) {
        return new RunOptions(seed, azure, trace, progress, exportDisks, threads, level);
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
