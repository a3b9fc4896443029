package io.replisim.simulator.replication;

import io.replisim.simulator.kernel.SimTime;

/**
 * Durations no public source fixes (docs/domain.md, Values replisim chose): how long job steps take,
 * how the workload is batched, how initial replication is chunked. Chosen to be plausible and
 * documented in docs/trace.md; later issues make them configurable per scenario.
 */
final class Timings {
    private Timings() {}

    /** Each step of Enable protection and Finalize protection. */
    static final long JOB_STEP = SimTime.seconds(20);
    /** The workload applies its writes in batches this far apart (not one event per write). */
    static final long WORKLOAD_STEP = SimTime.seconds(10);
    /** Initial replication reads and sends a disk in pieces of at least this size (a Put Page maximum). */
    static final int IR_CHUNK_BYTES = 4 << 20;
    /** ... and in at most this many pieces, so a multi-TB disk is a few hundred transfers, not half a million. */
    static final int IR_MAX_CHUNKS = 256;

    /** The piece size for a disk: 4 MiB, or larger multiples of 4 MiB for disks over 1 GiB. */
    static long irChunkBytes(long diskBytes) {
        long pieces = (diskBytes + IR_CHUNK_BYTES - 1) / IR_CHUNK_BYTES;
        long perChunk = (pieces + IR_MAX_CHUNKS - 1) / IR_MAX_CHUNKS;
        return perChunk * IR_CHUNK_BYTES;
    }
    /** After the workload stops, the run waits at most this long for the last logs to drain. */
    static final long MAX_DRAIN = SimTime.days(30);
}
