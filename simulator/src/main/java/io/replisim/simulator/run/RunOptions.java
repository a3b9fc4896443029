package io.replisim.simulator.run;

import java.io.Writer;

/**
 * How to run a scenario: the seed, the Azure backend's name, where the JSONL trace goes
 * (null for nowhere) and who is told of progress.
 */
public record RunOptions(long seed, String azure, Writer trace, ProgressListener progress) {
    public RunOptions {
        if (progress == null) {
            progress = ProgressListener.NONE;
        }
        if (azure == null) {
            azure = "memory";
        }
    }
}
