package io.replisim.hyperv;

import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A guest writing to one disk according to a {@link WorkloadSpec}. Time is advanced by the
 * caller; the writes due are applied at once through the disk, so replication tracks them. Each
 * write has a size drawn from the spec's I/O sizes, starts on a 4 KiB block chosen by the
 * spec's locality, and carries {@link BlockContent} at the version the disk gives it, so the
 * expected bytes of any block can be recomputed from the disk's content versions (in model
 * fidelity no bytes are generated at all).
 *
 * <p>With a daily pattern or bursts the rate follows the local time of day, read from the
 * {@link InstantSource} in the given {@link ZoneId}, and with a recorded
 * {@link WorkloadSpec.RateSeries} it follows the series: {@link #advance} covers the interval
 * ending now. Bytes due are summed exactly, in long nanoseconds, piece by piece where the rate changes;
 * bytes that do not yet make the next I/O carry over.
 *
 * <p>Deterministic: the same disk id, spec, random stream, content seed and clock give the same
 * writes, in both fidelities. Per write it draws, in this order: the size (only when there are
 * several), then for a hot spot a double and a long, for Zipf one or more doubles and a long.
 */
public final class Workload {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final VirtualDisk disk;
    private final WorkloadSpec spec;
    private final RandomGenerator random;
    private final long contentSeed;
    private final InstantSource clock;
    private final RatePlan plan;
    private final long blocks;
    private final long hotBlocks;
    private final ZipfSampler zipf;
    private final long zipfRanges;
    private final long zipfRangeBlocks;
    private final long zipfStride;
    private final double[] cumulativeWeights;
    /** Null in model fidelity: no content is generated. */
    private final byte[] buffer;
    /** rate x nanoseconds not yet worth a whole byte, in byte-nanoseconds per second. */
    private long fractionalBytes;
    /** Whole bytes due that do not yet make the next I/O. */
    private long byteCredit;
    /** The size of the next I/O once drawn; 0 before. */
    private int nextIoSize;
    private long bytesWritten;
    private long offlineBytesWritten;

    /**
     * A workload whose rate does not follow the clock (no daily pattern, no bursts, no rate series).
     *
     * @param random      this disk's own random stream (so other disks do not shift its draws)
     * @param contentSeed the seed of the written content
     */
    public Workload(VirtualDisk disk, WorkloadSpec spec, RandomGenerator random, long contentSeed) {
        this(disk, spec, random, contentSeed, null, null);
    }

    /**
     * A workload whose daily pattern and bursts follow the local time of {@code clock} in
     * {@code zone}, and whose rate series follows {@code clock}; both may be null when the spec
     * has none of them.
     */
    public Workload(VirtualDisk disk, WorkloadSpec spec, RandomGenerator random, long contentSeed,
            InstantSource clock, ZoneId zone) {
        this.disk = Objects.requireNonNull(disk, "disk");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.random = Objects.requireNonNull(random, "random");
        this.contentSeed = contentSeed;
        if (spec.followsTheClock() && (clock == null || zone == null)) {
            throw new IllegalArgumentException("a workload with a daily pattern, bursts or a rate series needs a clock and a zone");
        }
        this.clock = clock;
        this.plan = spec.followsTheClock() ? new RatePlan(spec, zone) : null;
        this.blocks = disk.sizeBytes() / BlockContent.BLOCK_SIZE;
        long maxIoBlocks = spec.ioSizeBytes() / BlockContent.BLOCK_SIZE;
        if (maxIoBlocks > blocks) {
            throw new IllegalArgumentException("I/O size " + spec.ioSizeBytes() + " exceeds the size of " + disk);
        }
        this.hotBlocks = Math.min(blocks, Math.max(maxIoBlocks, Math.round(blocks * spec.hotSpotFraction())));
        this.zipfRangeBlocks = spec.zipfRangeBytes() / BlockContent.BLOCK_SIZE;
        this.zipfRanges = (blocks + zipfRangeBlocks - 1) / zipfRangeBlocks;
        this.zipf = spec.locality() == WorkloadSpec.Locality.ZIPF ? new ZipfSampler(zipfRanges, spec.zipfExponent())
                : null;
        this.zipfStride = coprimeStride(zipfRanges);
        this.cumulativeWeights = new double[spec.ioSizes().size()];
        double sum = 0;
        for (int i = 0; i < cumulativeWeights.length; i++) {
            sum += spec.ioSizes().get(i).weight();
            cumulativeWeights[i] = sum;
        }
        this.buffer = disk.fidelity() == Fidelity.BYTES ? new byte[spec.ioSizeBytes()] : null;
        disk.bindContentSeed(contentSeed);
    }

    /**
     * Applies the writes due over the {@code elapsedNanos} ending now. Bytes due that do not
     * make the next I/O carry over, exactly, to the next call. While the VM is not registered
     * (it cannot run) the bytes due are dropped.
     *
     * @return the bytes written
     * @throws VolumeFullException if a write does not fit; the writes still due in this call are
     *                             dropped (the guest's I/O failed), those before it stand
     */
    public long advance(long elapsedNanos) throws IOException {
        return advanceTo(elapsedNanos, plan == null ? 0 : HrlFormat.epochNanos(clock.instant()));
    }

    /**
     * As {@link #advance(long)}, for the interval ending at {@code end} rather than now: what a
     * caller that brings writes up to date only when it needs them (flow fidelity) asks.
     */
    public long advance(long elapsedNanos, Instant end) throws IOException {
        return advanceTo(elapsedNanos, plan == null ? 0 : HrlFormat.epochNanos(end));
    }

    private long advanceTo(long elapsedNanos, long endEpochNanos) throws IOException {
        if (elapsedNanos < 0) {
            throw new IllegalArgumentException("elapsed time must not be negative, got " + elapsedNanos);
        }
        byteCredit = Math.addExact(byteCredit, due(elapsedNanos, endEpochNanos));
        if (!disk.vm().isRegistered()) {
            byteCredit = 0;
            return 0;
        }
        if (disk.fidelity() == Fidelity.FLOW) {
            return advanceCounted();
        }
        long written = 0;
        try {
            while (true) {
                if (nextIoSize == 0) {
                    nextIoSize = drawIoSize();
                }
                if (byteCredit < nextIoSize) {
                    break;
                }
                writeOnce(nextIoSize, true);
                byteCredit -= nextIoSize;
                written += nextIoSize;
                nextIoSize = 0;
            }
        } catch (IOException e) {
            byteCredit = 0;
            nextIoSize = 0;
            throw e;
        }
        bytesWritten += written;
        return written;
    }

    /**
     * Flow fidelity: the whole I/Os due, counted at the mean I/O size (a mix is not drawn write
     * by write), written as one batch; the rest carries over.
     */
    private long advanceCounted() throws IOException {
        long io = meanIoSize();
        long count = byteCredit / io;
        if (count == 0) {
            return 0;
        }
        try {
            disk.writeBatch(count, count * io);
        } catch (IOException e) {
            byteCredit = 0;
            throw e;
        }
        byteCredit -= count * io;
        bytesWritten += count * io;
        return count * io;
    }

    /** The I/O size writes have on average: the spec's, or its mix's weighted mean. */
    long meanIoSize() {
        double sum = 0;
        double weights = 0;
        for (WorkloadSpec.IoSize s : spec.ioSizes()) {
            sum += s.bytes() * s.weight();
            weights += s.weight();
        }
        return Math.max(1, Math.round(sum / weights));
    }

    /**
     * The locality model: how many distinct blocks of {@code blockSize} bytes {@code writes} of
     * this workload touch, drawn around its expectation (the sum over blocks of
     * 1 - (1 - p)^writes, p a block's chance to be written, with the variance of that sum) from
     * this workload's stream, so a run reproduces it. What flow fidelity has instead of placed
     * writes, for what needs distinct blocks: a resync's or a failback's blocks to send, the
     * blocks a failover loses.
     */
    public long distinctBlocks(long writes, long blockSize) {
        long total = (disk.sizeBytes() + blockSize - 1) / blockSize;
        if (writes <= 0) {
            return 0;
        }
        // a write of k 4-KiB blocks starting anywhere touches 1 + (k-1)/g blocks of g on average
        double g = (double) blockSize / BlockContent.BLOCK_SIZE;
        double k = (double) meanIoSize() / BlockContent.BLOCK_SIZE;
        double touches = k >= g ? k / g + 1 : 1 + (k - 1) / g;
        double[] moments = new double[2];
        if (zipf != null) {
            zipfMoments(writes * touches, blockSize, moments);
        } else {
            region(Math.ceil(hotBlocks / g), writes * touches * spec.hotSpotShare(), moments);
            region(Math.ceil((blocks - hotBlocks) / g), writes * touches * (1 - spec.hotSpotShare()), moments);
        }
        double drawn = moments[0] + Math.sqrt(moments[1]) * random.nextGaussian();
        return Math.max(0, Math.min(total, Math.round(drawn)));
    }

    /** Adds the mean and variance of the distinct blocks of a uniform region of {@code n} blocks hit {@code hits} times. */
    private static void region(double n, double hits, double[] moments) {
        if (n <= 0 || hits <= 0) {
            return;
        }
        double q = -Math.expm1(hits * Math.log1p(-Math.min(1, 1 / n))); // 1 - (1 - 1/n)^hits
        moments[0] += n * q;
        moments[1] += n * q * (1 - q);
    }

    /** The same for Zipf locality: each range's share of the hits, its blocks grouped by the block size. */
    private void zipfMoments(double hits, long blockSize, double[] moments) {
        double rangeBlocksOfG = (double) zipfRangeBlocks * BlockContent.BLOCK_SIZE / blockSize;
        if (rangeBlocksOfG >= 1) { // each range holds whole blocks: a uniform region per range
            for (long rank = 1; rank <= zipfRanges; rank++) {
                region(Math.ceil(rangeBlocksOfG), hits * zipf.probability(rank), moments);
            }
            return;
        }
        // several ranges per block: a block's chance is its ranges' together
        long total = (disk.sizeBytes() + blockSize - 1) / blockSize;
        double[] p = new double[(int) Math.min(Integer.MAX_VALUE - 8, total)];
        for (long rank = 1; rank <= zipfRanges; rank++) {
            long range = ((rank - 1) * zipfStride) % zipfRanges;
            int block = (int) Math.min(p.length - 1, range * zipfRangeBlocks * BlockContent.BLOCK_SIZE / blockSize);
            p[block] += zipf.probability(rank);
        }
        for (double pb : p) {
            if (pb > 0) {
                double q = -Math.expm1(hits * Math.log1p(-Math.min(1, pb)));
                moments[0] += q;
                moments[1] += q * (1 - q);
            }
        }
    }

    /**
     * Writes at least {@code bytes} (whole I/Os, same sizes and locality) as changes made while
     * the VM was off: the tracker does not see them, and the disk's change tracking id changes
     * (see {@link VirtualDisk#writeOffline}).
     *
     * @return the bytes written
     */
    public long writeOffline(long bytes) throws IOException {
        if (disk.fidelity() == Fidelity.FLOW) {
            long io = meanIoSize();
            long count = (bytes + io - 1) / io;
            disk.writeOfflineBatch(count);
            offlineBytesWritten += count * io;
            return count * io;
        }
        long written = 0;
        while (written < bytes) {
            int size = nextIoSize != 0 ? nextIoSize : drawIoSize();
            nextIoSize = 0;
            writeOnce(size, false);
            written += size;
        }
        offlineBytesWritten += written;
        return written;
    }

    /**
     * The rate at {@code instant}, in bytes per second: the churn, times the hour's multiplier (or
     * the rate series' value), plus open bursts.
     */
    public long bytesPerSecondAt(Instant instant) {
        return plan == null ? spec.churnBytesPerSecond() : plan.rateAt(HrlFormat.epochNanos(instant));
    }

    /** Where the rate may next change after {@code instant}: {@code Instant.MAX} for a constant rate. */
    public Instant rateChangesAfter(Instant instant) {
        return plan == null ? Instant.MAX : HrlFormat.instant(plan.nextChange(HrlFormat.epochNanos(instant), Long.MAX_VALUE));
    }

    /**
     * The highest rate this workload ever writes at, in bytes per second (the busiest hour or the
     * series' highest sample, every burst open).
     */
    public long maxBytesPerSecond() {
        return plan == null ? spec.churnBytesPerSecond() : plan.maxRate();
    }

    /** The content version of the block; 0 if never written. See {@link VirtualDisk}. */
    public long blockVersion(long blockIndex) {
        Objects.checkIndex(blockIndex, blocks);
        return disk.contentVersionAt(blockIndex * BlockContent.BLOCK_SIZE);
    }

    /**
     * Fills {@code dst[off, off + 4096)} with what the block should hold now if only this
     * workload wrote the disk: its content at its version, or zeros if never written.
     */
    public void expectedBlock(long blockIndex, byte[] dst, int off) {
        long version = blockVersion(blockIndex);
        if (version == 0) {
            Arrays.fill(dst, off, off + BlockContent.BLOCK_SIZE, (byte) 0);
        } else {
            BlockContent.fill(contentSeed, disk.id(), blockIndex, version, dst, off);
        }
    }

    /** Bytes written by {@link #advance} since the workload was created. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Bytes written by {@link #writeOffline}. */
    public long offlineBytesWritten() {
        return offlineBytesWritten;
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

    /** Whole bytes due over the interval ending now, the fraction carried in {@link #fractionalBytes}. */
    private long due(long elapsedNanos, long end) {
        if (plan == null) {
            return dueAtRate(spec.churnBytesPerSecond(), elapsedNanos);
        }
        long total = 0;
        for (long t = end - elapsedNanos; t < end; ) {
            long next = plan.nextChange(t, end);
            total = Math.addExact(total, dueAtRate(plan.rateAt(t), next - t));
            t = next;
        }
        return total;
    }

    private long dueAtRate(long rate, long nanos) {
        // Split seconds from nanoseconds so rate x time never overflows (rate <= 2^32).
        long scaled = rate * (nanos % NANOS_PER_SECOND) + fractionalBytes;
        fractionalBytes = scaled % NANOS_PER_SECOND;
        return Math.addExact(Math.multiplyExact(rate, nanos / NANOS_PER_SECOND), scaled / NANOS_PER_SECOND);
    }

    private int drawIoSize() {
        if (cumulativeWeights.length == 1) {
            return spec.ioSizes().get(0).bytes();
        }
        double u = random.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
        for (int i = 0; i < cumulativeWeights.length - 1; i++) {
            if (u < cumulativeWeights[i]) {
                return spec.ioSizes().get(i).bytes();
            }
        }
        return spec.ioSizes().get(cumulativeWeights.length - 1).bytes();
    }

    private void writeOnce(int size, boolean tracked) throws IOException {
        int ioBlocks = size / BlockContent.BLOCK_SIZE;
        long first = zipf != null ? nextZipfStart(ioBlocks) : nextHotSpotStart(ioBlocks);
        if (buffer != null) {
            long version = disk.nextVersion();
            for (int j = 0; j < ioBlocks; j++) {
                BlockContent.fill(contentSeed, disk.id(), first + j, version, buffer, j * BlockContent.BLOCK_SIZE);
            }
        }
        disk.writeContent(first * BlockContent.BLOCK_SIZE, buffer, size, tracked);
    }

    private long nextHotSpotStart(int ioBlocks) {
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

    private long nextZipfStart(int ioBlocks) {
        long rank = zipf.sample(random);
        // Scatter ranks over the disk (a bijection, as the stride is coprime with the count), so
        // the popular ranges are not all at its start.
        long range = (rank - 1) * zipfStride % zipfRanges;
        long rangeStart = range * zipfRangeBlocks;
        long room = Math.min(blocks, rangeStart + zipfRangeBlocks) - rangeStart - ioBlocks + 1;
        return room > 0 ? rangeStart + random.nextLong(room) : Math.min(rangeStart, blocks - ioBlocks);
    }

    /** About n / golden ratio, moved up to the next value coprime with n. */
    private static long coprimeStride(long n) {
        long stride = Math.max(1, (long) (n * 0.6180339887498949));
        while (gcd(stride, n) != 1) {
            stride++;
        }
        return stride;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
