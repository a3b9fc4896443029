package io.replisim.simulator.run;

import java.io.Writer;

/**
 * How to run a scenario: the seed, the Azure backend's name, where the JSONL trace goes
 * (null for nowhere), who is told of progress, and where to export the disks at the end (null
 * for nowhere).
 */
public record RunOptions(long seed, String azure, Writer trace, ProgressListener progress, java.nio.file.Path exportDisks) {
    public RunOptions(long seed, String azure, Writer trace, ProgressListener progress) {
        this(seed, azure, trace, progress, null);
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
