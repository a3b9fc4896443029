package io.replisim.hyperv;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A guest writing to one disk according to a {@link WorkloadSpec}. Time is advanced by the
 * caller; the writes due are applied at once through {@link VirtualDisk#write}, so replication
 * tracks them. Each write covers {@code ioSize} bytes starting on a 4 KiB block, in the hot spot
 * (the first {@code hotSpotFraction} of the disk) with probability {@code hotSpotShare}, else
 * in the rest of the disk. Content comes from {@link BlockContent}, and the workload keeps every
 * block's version so the expected bytes of any block can be recomputed.
 *
 * <p>Deterministic: the same disk id, spec, random stream and content seed give the same bytes.
 * Every write takes exactly two draws from the stream (a double, then a long).
 */
public final class Workload {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Up to 4 GiB disks keep versions in an array; larger ones sparsely. */
    private static final long DENSE_LIMIT_BLOCKS = 1L << 20;

    private final VirtualDisk disk;
    private final WorkloadSpec spec;
    private final RandomGenerator random;
    private final long contentSeed;
    private final long blocks;
    private final int ioBlocks;
    private final long hotBlocks;
    private final long[] denseVersions;
    private final Map<Long, Long> sparseVersions;
    private final byte[] buffer;
    /** churn x nanoseconds not yet worth a whole byte, in byte-nanoseconds per second. */
    private long fractionalBytes;
    /** Whole bytes due that do not yet make a full I/O. */
    private long byteCredit;
    private long bytesWritten;

    /**
     * @param random      this disk's own random stream (so other disks do not shift its draws)
     * @param contentSeed the seed of the written content
     */
    public Workload(VirtualDisk disk, WorkloadSpec spec, RandomGenerator random, long contentSeed) {
        this.disk = Objects.requireNonNull(disk, "disk");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.random = Objects.requireNonNull(random, "random");
        this.contentSeed = contentSeed;
        this.blocks = disk.sizeBytes() / BlockContent.BLOCK_SIZE;
        this.ioBlocks = spec.ioSizeBytes() / BlockContent.BLOCK_SIZE;
        if (ioBlocks > blocks) {
            throw new IllegalArgumentException("I/O size " + spec.ioSizeBytes() + " exceeds the size of " + disk);
        }
        this.hotBlocks = Math.min(blocks, Math.max(ioBlocks, Math.round(blocks * spec.hotSpotFraction())));
        this.denseVersions = blocks <= DENSE_LIMIT_BLOCKS ? new long[(int) blocks] : null;
        this.sparseVersions = denseVersions == null ? new TreeMap<>() : null;
        this.buffer = new byte[spec.ioSizeBytes()];
    }

    /**
     * Applies the writes due over {@code elapsedNanos} more nanoseconds at the churn rate. Bytes
     * due that do not make a whole I/O carry over, exactly, to the next call.
     *
     * @return the bytes written, a multiple of the I/O size
     * @throws VolumeFullException if a write does not fit; the writes still due in this call are
     *                             dropped (the guest's I/O failed), those before it stand
     */
    public long advance(long elapsedNanos) throws IOException {
        if (elapsedNanos < 0) {
            throw new IllegalArgumentException("elapsed time must not be negative, got " + elapsedNanos);
        }
        long churn = spec.churnBytesPerSecond();
        // Split seconds from nanoseconds so churn x time never overflows (churn <= 2^30).
        long scaled = churn * (elapsedNanos % NANOS_PER_SECOND) + fractionalBytes;
        long due = Math.addExact(Math.multiplyExact(churn, elapsedNanos / NANOS_PER_SECOND), scaled / NANOS_PER_SECOND);
        fractionalBytes = scaled % NANOS_PER_SECOND;
        byteCredit = Math.addExact(byteCredit, due);
        long writes = byteCredit / spec.ioSizeBytes();
        byteCredit -= writes * spec.ioSizeBytes();
        long written = 0;
        for (long i = 0; i < writes; i++) {
            writeOnce();
            written += spec.ioSizeBytes();
        }
        return written;
    }

    /** How many times the workload has written the block; 0 if never. */
    public long blockVersion(long blockIndex) {
        Objects.checkIndex(blockIndex, blocks);
        return denseVersions != null ? denseVersions[(int) blockIndex] : sparseVersions.getOrDefault(blockIndex, 0L);
    }

    /**
     * Fills {@code dst[off, off + 4096)} with what the block should hold now: its last written
     * content, or zeros if the workload never wrote it (a new disk reads as zeros).
     */
    public void expectedBlock(long blockIndex, byte[] dst, int off) {
        long version = blockVersion(blockIndex);
        if (version == 0) {
            Arrays.fill(dst, off, off + BlockContent.BLOCK_SIZE, (byte) 0);
        } else {
            BlockContent.fill(contentSeed, disk.id(), blockIndex, version, dst, off);
        }
    }

    /** Bytes written since the workload was created. */
    public long bytesWritten() {
        return bytesWritten;
    }

    public VirtualDisk disk() {
        return disk;
    }

    public WorkloadSpec spec() {
        return spec;
    }

    public long contentSeed() {
        return contentSeed;
    }

    private void writeOnce() throws IOException {
        long first = nextStartBlock();
        for (int j = 0; j < ioBlocks; j++) {
            BlockContent.fill(contentSeed, disk.id(), first + j, blockVersion(first + j) + 1, buffer,
                    j * BlockContent.BLOCK_SIZE);
        }
        disk.write(first * BlockContent.BLOCK_SIZE, buffer, 0, buffer.length);
        // Versions move only once the write stands, so a failed write leaves them true.
        for (int j = 0; j < ioBlocks; j++) {
            long block = first + j;
            if (denseVersions != null) {
                denseVersions[(int) block]++;
            } else {
                sparseVersions.merge(block, 1L, Long::sum);
            }
        }
        bytesWritten += buffer.length;
    }

    private long nextStartBlock() {
        boolean hot = random.nextDouble() < spec.hotSpotShare();
        long coldStarts = blocks - hotBlocks - ioBlocks + 1;
        if (hot) {
            return random.nextLong(hotBlocks - ioBlocks + 1);
        }
        if (coldStarts > 0) {
            return hotBlocks + random.nextLong(coldStarts);
        }
        // The hot spot leaves no room for a whole I/O: cold writes land anywhere.
        return random.nextLong(blocks - ioBlocks + 1);
    }
}
