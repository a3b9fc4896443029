package io.replisim.hyperv;

import java.util.Objects;

/**
 * What a guest writes: a churn rate, an I/O size, and a hot spot (a fraction of the disk that
 * receives a share of the writes). Immutable; build with {@link #builder()} or
 * {@link #churn(long)}, derive with {@link #toBuilder()}.
 */
public final class WorkloadSpec {

    /** Upper bound on churn; keeps the exact churn arithmetic within a long. */
    public static final long MAX_CHURN_BYTES_PER_SECOND = 1L << 30;
    public static final int DEFAULT_IO_SIZE = 64 * 1024;
    public static final double DEFAULT_HOT_SPOT_FRACTION = 0.2;
    public static final double DEFAULT_HOT_SPOT_SHARE = 0.8;
    private static final int MAX_IO_SIZE = 16 * 1024 * 1024;

    private final long churnBytesPerSecond;
    private final int ioSizeBytes;
    private final double hotSpotFraction;
    private final double hotSpotShare;

    private WorkloadSpec(Builder b) {
        this.churnBytesPerSecond = b.churnBytesPerSecond;
        this.ioSizeBytes = b.ioSizeBytes;
        this.hotSpotFraction = b.hotSpotFraction;
        this.hotSpotShare = b.hotSpotShare;
    }

    /** The defaults (64 KiB I/O, 20% of the disk taking 80% of writes) at the given churn. */
    public static WorkloadSpec churn(long bytesPerSecond) {
        return builder().setChurnBytesPerSecond(bytesPerSecond).build();
    }

    /** A builder with the defaults and no churn. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return builder().setChurnBytesPerSecond(churnBytesPerSecond).setIoSizeBytes(ioSizeBytes)
                .setHotSpotFraction(hotSpotFraction).setHotSpotShare(hotSpotShare);
    }

    public long churnBytesPerSecond() {
        return churnBytesPerSecond;
    }

    public int ioSizeBytes() {
        return ioSizeBytes;
    }

    /** The fraction of the disk, from its start, that is the hot spot. */
    public double hotSpotFraction() {
        return hotSpotFraction;
    }

    /** The fraction of writes that land in the hot spot. */
    public double hotSpotShare() {
        return hotSpotShare;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkloadSpec s && churnBytesPerSecond == s.churnBytesPerSecond
                && ioSizeBytes == s.ioSizeBytes && Double.compare(hotSpotFraction, s.hotSpotFraction) == 0
                && Double.compare(hotSpotShare, s.hotSpotShare) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(churnBytesPerSecond, ioSizeBytes, hotSpotFraction, hotSpotShare);
    }

    @Override
    public String toString() {
        return "WorkloadSpec{churnBytesPerSecond=" + churnBytesPerSecond + ", ioSizeBytes=" + ioSizeBytes
                + ", hotSpotFraction=" + hotSpotFraction + ", hotSpotShare=" + hotSpotShare + '}';
    }

    /** Builds a {@link WorkloadSpec}; every setter validates its argument at once. */
    public static final class Builder {

        private long churnBytesPerSecond;
        private int ioSizeBytes = DEFAULT_IO_SIZE;
        private double hotSpotFraction = DEFAULT_HOT_SPOT_FRACTION;
        private double hotSpotShare = DEFAULT_HOT_SPOT_SHARE;

        private Builder() {}

        /** Bytes written per second of simulated time, 0 to {@link #MAX_CHURN_BYTES_PER_SECOND}. */
        public Builder setChurnBytesPerSecond(long bytesPerSecond) {
            if (bytesPerSecond < 0 || bytesPerSecond > MAX_CHURN_BYTES_PER_SECOND) {
                throw new IllegalArgumentException("churn must be between 0 and " + MAX_CHURN_BYTES_PER_SECOND
                        + " bytes per second, got " + bytesPerSecond);
            }
            this.churnBytesPerSecond = bytesPerSecond;
            return this;
        }

        /** The size of each write: a positive multiple of 4096, at most 16 MiB. */
        public Builder setIoSizeBytes(int bytes) {
            if (bytes <= 0 || bytes % BlockContent.BLOCK_SIZE != 0 || bytes > MAX_IO_SIZE) {
                throw new IllegalArgumentException("I/O size must be a positive multiple of 4096 up to 16 MiB, got "
                        + bytes);
            }
            this.ioSizeBytes = bytes;
            return this;
        }

        /** The hot spot's share of the disk, in (0, 1]. */
        public Builder setHotSpotFraction(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("hot-spot fraction must be in (0, 1], got " + fraction);
            }
            this.hotSpotFraction = fraction;
            return this;
        }

        /** The share of writes that go to the hot spot, in [0, 1]. */
        public Builder setHotSpotShare(double share) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("hot-spot share must be in [0, 1], got " + share);
            }
            this.hotSpotShare = share;
            return this;
        }

        public WorkloadSpec build() {
            return new WorkloadSpec(this);
        }
    }
}
