package io.replisim.hyperv;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a guest writes: a churn rate, the I/O sizes, where the writes land (a hot spot, or a
 * Zipf distribution over ranges of the disk), a daily pattern (24 hourly multipliers of the
 * churn, in the workload's local time) and bursts (windows of the day, such as a nightly backup
 * or SQL maintenance, that add their own rate). Instead of the churn and its daily pattern, a
 * recorded {@link RateSeries} (a profiler's export) may give the rate over time; bursts still add
 * to it. Immutable; build with {@link #builder()} or {@link #churn(long)}, derive with
 * {@link #toBuilder()}.
 */
public final class WorkloadSpec {

    /** Upper bound on churn, and on each burst's rate; keeps the exact churn arithmetic within a long. */
    public static final long MAX_CHURN_BYTES_PER_SECOND = 1L << 30;
    public static final int DEFAULT_IO_SIZE = 64 * 1024;
    public static final double DEFAULT_HOT_SPOT_FRACTION = 0.2;
    public static final double DEFAULT_HOT_SPOT_SHARE = 0.8;
    public static final double DEFAULT_ZIPF_EXPONENT = 1.0;
    public static final long DEFAULT_ZIPF_RANGE_BYTES = 1024 * 1024;
    private static final int MAX_IO_SIZE = 16 * 1024 * 1024;
    /** Highest combined rate (pattern times churn plus bursts): rate x 10^9 must fit a long. */
    private static final long MAX_COMBINED_BYTES_PER_SECOND = 1L << 32;

    /** Where writes land. */
    public enum Locality {
        /** A share of the writes lands uniformly in the first fraction of the disk, the rest uniformly elsewhere. */
        HOT_SPOT,
        /**
         * The disk is cut into ranges; the range of a write is Zipf-distributed over the ranges'
         * popularity ranks (rank k with weight 1/k^exponent), ranks scattered over the disk.
         */
        ZIPF
    }

    /**
     * One I/O size of a weighted distribution.
     *
     * @param bytes  a positive multiple of 4096, at most 16 MiB
     * @param weight its relative frequency, positive
     */
    public record IoSize(int bytes, double weight) {

        public IoSize {
            if (bytes <= 0 || bytes % BlockContent.BLOCK_SIZE != 0 || bytes > MAX_IO_SIZE) {
                throw new IllegalArgumentException("I/O size must be a positive multiple of 4096 up to 16 MiB, got "
                        + bytes);
            }
            if (!(weight > 0 && weight < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("weight of I/O size " + bytes + " must be positive, got " + weight);
            }
        }
    }

    /**
     * A window of the day with its own write rate, added to the churn: a nightly backup, a SQL
     * maintenance job, a page file rush.
     *
     * @param name           what it is, for traces
     * @param start          when it starts, local time
     * @param length         how long it lasts: more than 0, less than a day (it may cross midnight)
     * @param bytesPerSecond its rate, up to {@link #MAX_CHURN_BYTES_PER_SECOND}
     * @param days           the days it starts on (a window crossing midnight belongs to the day it starts)
     */
    public record Burst(String name, LocalTime start, Duration length, long bytesPerSecond, Set<DayOfWeek> days) {

        public Burst {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(length, "length");
            if (length.isNegative() || length.isZero() || length.compareTo(Duration.ofDays(1)) >= 0) {
                throw new IllegalArgumentException("burst " + name + " must last more than 0 and less than a day, got "
                        + length);
            }
            if (bytesPerSecond <= 0 || bytesPerSecond > MAX_CHURN_BYTES_PER_SECOND) {
                throw new IllegalArgumentException("rate of burst " + name + " must be between 1 and "
                        + MAX_CHURN_BYTES_PER_SECOND + " bytes per second, got " + bytesPerSecond);
            }
            if (days == null || days.isEmpty()) {
                throw new IllegalArgumentException("burst " + name + " needs at least one day");
            }
            days = Collections.unmodifiableSet(EnumSet.copyOf(days));
        }

        /** A burst every day. */
        public static Burst daily(String name, LocalTime start, Duration length, long bytesPerSecond) {
            return new Burst(name, start, length, bytesPerSecond, EnumSet.allOf(DayOfWeek.class));
        }
    }

    /**
     * A recorded write rate: from sample i's time to the next sample's the rate is sample i's
     * value; the series repeats every {@code periodNanos} from its first sample, so the last
     * sample's value holds until the first sample's time plus the period, and a time before the
     * first sample is read in the loop as well. Times are epoch nanoseconds (the workload's clock),
     * not local times: the series does not follow the zone.
     */
    public static final class RateSeries {
        private final long[] epochNanos;
        private final long[] bytesPerSecond;
        private final long periodNanos;
        private final long maxBytesPerSecond;

        /**
         * @param epochNanos     the samples' times, at least one, increasing
         * @param bytesPerSecond each sample's rate, 0 to {@link #MAX_CHURN_BYTES_PER_SECOND}
         * @param periodNanos    the loop's length: more than the last time minus the first
         */
        public RateSeries(long[] epochNanos, long[] bytesPerSecond, long periodNanos) {
            if (epochNanos == null || bytesPerSecond == null || epochNanos.length == 0
                    || epochNanos.length != bytesPerSecond.length) {
                throw new IllegalArgumentException("a rate series needs at least one sample, a time and a rate each");
            }
            this.epochNanos = epochNanos.clone();
            this.bytesPerSecond = bytesPerSecond.clone();
            long max = 0;
            for (int i = 0; i < this.epochNanos.length; i++) {
                if (i > 0 && this.epochNanos[i] <= this.epochNanos[i - 1]) {
                    throw new IllegalArgumentException("sample " + i + " of a rate series is not after the one before it");
                }
                long rate = this.bytesPerSecond[i];
                if (rate < 0 || rate > MAX_CHURN_BYTES_PER_SECOND) {
                    throw new IllegalArgumentException("rate of sample " + i + " must be between 0 and "
                            + MAX_CHURN_BYTES_PER_SECOND + " bytes per second, got " + rate);
                }
                max = Math.max(max, rate);
            }
            if (periodNanos <= this.epochNanos[this.epochNanos.length - 1] - this.epochNanos[0]) {
                throw new IllegalArgumentException("the period of a rate series must be longer than its samples' span, got "
                        + periodNanos);
            }
            this.periodNanos = periodNanos;
            this.maxBytesPerSecond = max;
        }

        public int size() {
            return epochNanos.length;
        }

        /** Sample {@code i}'s time, in epoch nanoseconds. */
        public long epochNanos(int i) {
            return epochNanos[i];
        }

        /** Sample {@code i}'s rate, in bytes per second. */
        public long bytesPerSecond(int i) {
            return bytesPerSecond[i];
        }

        /** After how long, from its first sample, the series starts again. */
        public long periodNanos() {
            return periodNanos;
        }

        /** The highest sample's rate. */
        public long maxBytesPerSecond() {
            return maxBytesPerSecond;
        }

        /** The rate at {@code epochNanos}, read in the loop. */
        long rateAt(long epochNanos) {
            return bytesPerSecond[indexAt(fold(epochNanos))];
        }

        /** Where the next sample (or the loop's restart) comes after {@code epochNanos}. */
        long nextChange(long epochNanos) {
            long folded = fold(epochNanos);
            int i = indexAt(folded);
            long end = i + 1 < this.epochNanos.length ? this.epochNanos[i + 1] : this.epochNanos[0] + periodNanos;
            return epochNanos + (end - folded);
        }

        /** The time in the first loop, [first sample, first sample + period), that {@code epochNanos} repeats. */
        private long fold(long epochNanos) {
            return this.epochNanos[0] + Math.floorMod(epochNanos - this.epochNanos[0], periodNanos);
        }

        /** The last sample at or before {@code folded}. */
        private int indexAt(long folded) {
            int i = Arrays.binarySearch(epochNanos, folded);
            return i >= 0 ? i : -i - 2;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RateSeries r && periodNanos == r.periodNanos && Arrays.equals(epochNanos, r.epochNanos)
                    && Arrays.equals(bytesPerSecond, r.bytesPerSecond);
        }

        @Override
        public int hashCode() {
            return Objects.hash(periodNanos, Arrays.hashCode(epochNanos), Arrays.hashCode(bytesPerSecond));
        }

        @Override
        public String toString() {
            return "RateSeries{samples=" + epochNanos.length + ", from=" + epochNanos[0] + ", periodNanos=" + periodNanos
                    + ", maxBytesPerSecond=" + maxBytesPerSecond + "}";
        }
    }

    private final long churnBytesPerSecond;
    private final List<IoSize> ioSizes;
    private final Locality locality;
    private final double hotSpotFraction;
    private final double hotSpotShare;
    private final double zipfExponent;
    private final long zipfRangeBytes;
    private final double[] hourlyMultipliers;
    private final List<Burst> bursts;
    /** Null without a recorded rate. */
    private final RateSeries rateSeries;

    private WorkloadSpec(Builder b) {
        this.churnBytesPerSecond = b.churnBytesPerSecond;
        this.ioSizes = List.copyOf(b.ioSizes);
        this.locality = b.locality;
        this.hotSpotFraction = b.hotSpotFraction;
        this.hotSpotShare = b.hotSpotShare;
        this.zipfExponent = b.zipfExponent;
        this.zipfRangeBytes = b.zipfRangeBytes;
        this.hourlyMultipliers = b.hourlyMultipliers == null ? null : b.hourlyMultipliers.clone();
        this.bursts = List.copyOf(b.bursts);
        this.rateSeries = b.rateSeries;
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
        Builder b = builder().setChurnBytesPerSecond(churnBytesPerSecond).setIoSizes(ioSizes)
                .setHotSpotFraction(hotSpotFraction).setHotSpotShare(hotSpotShare);
        b.zipfExponent = zipfExponent;
        b.zipfRangeBytes = zipfRangeBytes;
        b.locality = locality;
        b.hourlyMultipliers = hourlyMultipliers == null ? null : hourlyMultipliers.clone();
        b.bursts.addAll(bursts);
        b.rateSeries = rateSeries;
        return b;
    }

    /** Bytes written per second, before the daily pattern and without bursts; 0 with a {@link #rateSeries()}. */
    public long churnBytesPerSecond() {
        return churnBytesPerSecond;
    }

    /** The I/O size when it is fixed; the largest size of a distribution. */
    public int ioSizeBytes() {
        int max = 0;
        for (IoSize s : ioSizes) {
            max = Math.max(max, s.bytes());
        }
        return max;
    }

    /** The I/O sizes and their weights; one entry when the size is fixed. */
    public List<IoSize> ioSizes() {
        return ioSizes;
    }

    public Locality locality() {
        return locality;
    }

    /** The fraction of the disk, from its start, that is the hot spot ({@link Locality#HOT_SPOT}). */
    public double hotSpotFraction() {
        return hotSpotFraction;
    }

    /** The fraction of writes that land in the hot spot ({@link Locality#HOT_SPOT}). */
    public double hotSpotShare() {
        return hotSpotShare;
    }

    /** The Zipf exponent ({@link Locality#ZIPF}): 1 is classic Zipf, larger concentrates more. */
    public double zipfExponent() {
        return zipfExponent;
    }

    /** The size of the ranges the Zipf distribution ranks ({@link Locality#ZIPF}). */
    public long zipfRangeBytes() {
        return zipfRangeBytes;
    }

    /** The churn multiplier of each local hour, 0 to 23; all 1 without a daily pattern. */
    public List<Double> hourlyMultipliers() {
        List<Double> m = new ArrayList<>(24);
        for (int h = 0; h < 24; h++) {
            m.add(hourlyMultiplier(h));
        }
        return List.copyOf(m);
    }

    public List<Burst> bursts() {
        return bursts;
    }

    /** The recorded rate that replaces the churn and its daily pattern, if any. */
    public Optional<RateSeries> rateSeries() {
        return Optional.ofNullable(rateSeries);
    }

    /**
     * Whether the rate depends on the time (the local time of day, or a recorded series), so the
     * workload needs a clock and a zone.
     */
    public boolean followsTheClock() {
        return hourlyMultipliers != null || !bursts.isEmpty() || rateSeries != null;
    }

    /** The churn in the local hour {@code hour}: the churn times that hour's multiplier, rounded. */
    public long hourlyBytesPerSecond(int hour) {
        return Math.round(churnBytesPerSecond * hourlyMultiplier(hour));
    }

    /** The bytes a day brings: every hour at its rate plus the bursts that start on {@code day} (without the rate series). */
    public long bytesPerDay(DayOfWeek day) {
        long total = 0;
        for (int h = 0; h < 24; h++) {
            total += hourlyBytesPerSecond(h) * 3600;
        }
        for (Burst b : bursts) {
            if (b.days().contains(day)) {
                total += b.bytesPerSecond() * b.length().getSeconds()
                        + b.bytesPerSecond() * b.length().getNano() / 1_000_000_000L;
            }
        }
        return total;
    }

    private double hourlyMultiplier(int hour) {
        return hourlyMultipliers == null ? 1.0 : hourlyMultipliers[hour];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkloadSpec s && churnBytesPerSecond == s.churnBytesPerSecond
                && ioSizes.equals(s.ioSizes) && locality == s.locality
                && Double.compare(hotSpotFraction, s.hotSpotFraction) == 0
                && Double.compare(hotSpotShare, s.hotSpotShare) == 0
                && Double.compare(zipfExponent, s.zipfExponent) == 0 && zipfRangeBytes == s.zipfRangeBytes
                && Arrays.equals(hourlyMultipliers, s.hourlyMultipliers) && bursts.equals(s.bursts)
                && Objects.equals(rateSeries, s.rateSeries);
    }

    @Override
    public int hashCode() {
        return Objects.hash(churnBytesPerSecond, ioSizes, locality, hotSpotFraction, hotSpotShare, zipfExponent,
                zipfRangeBytes, Arrays.hashCode(hourlyMultipliers), bursts, rateSeries);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("WorkloadSpec{churnBytesPerSecond=").append(churnBytesPerSecond);
        if (ioSizes.size() == 1) {
            s.append(", ioSizeBytes=").append(ioSizeBytes());
        } else {
            s.append(", ioSizes=").append(ioSizes);
        }
        if (locality == Locality.HOT_SPOT) {
            s.append(", hotSpotFraction=").append(hotSpotFraction).append(", hotSpotShare=").append(hotSpotShare);
        } else {
            s.append(", zipfExponent=").append(zipfExponent).append(", zipfRangeBytes=").append(zipfRangeBytes);
        }
        if (hourlyMultipliers != null) {
            s.append(", hourlyMultipliers=").append(Arrays.toString(hourlyMultipliers));
        }
        if (!bursts.isEmpty()) {
            s.append(", bursts=").append(bursts);
        }
        if (rateSeries != null) {
            s.append(", rateSeries=").append(rateSeries);
        }
        return s.append('}').toString();
    }

    /** Builds a {@link WorkloadSpec}; every setter validates its argument at once. */
    public static final class Builder {

        private long churnBytesPerSecond;
        private List<IoSize> ioSizes = List.of(new IoSize(DEFAULT_IO_SIZE, 1));
        private Locality locality = Locality.HOT_SPOT;
        private double hotSpotFraction = DEFAULT_HOT_SPOT_FRACTION;
        private double hotSpotShare = DEFAULT_HOT_SPOT_SHARE;
        private double zipfExponent = DEFAULT_ZIPF_EXPONENT;
        private long zipfRangeBytes = DEFAULT_ZIPF_RANGE_BYTES;
        private double[] hourlyMultipliers;
        private final List<Burst> bursts = new ArrayList<>();
        private RateSeries rateSeries;

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

        /** One fixed I/O size: a positive multiple of 4096, at most 16 MiB. */
        public Builder setIoSizeBytes(int bytes) {
            this.ioSizes = List.of(new IoSize(bytes, 1));
            return this;
        }

        /** A weighted distribution of I/O sizes, drawn one per write. */
        public Builder setIoSizes(List<IoSize> sizes) {
            if (sizes == null || sizes.isEmpty()) {
                throw new IllegalArgumentException("at least one I/O size is needed");
            }
            this.ioSizes = List.copyOf(sizes);
            return this;
        }

        /** See {@link #setIoSizes(List)}. */
        public Builder setIoSizes(IoSize... sizes) {
            return setIoSizes(Arrays.asList(sizes));
        }

        /** The hot spot's share of the disk, in (0, 1]; selects {@link Locality#HOT_SPOT}. */
        public Builder setHotSpotFraction(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("hot-spot fraction must be in (0, 1], got " + fraction);
            }
            this.hotSpotFraction = fraction;
            this.locality = Locality.HOT_SPOT;
            return this;
        }

        /** The share of writes that go to the hot spot, in [0, 1]; selects {@link Locality#HOT_SPOT}. */
        public Builder setHotSpotShare(double share) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("hot-spot share must be in [0, 1], got " + share);
            }
            this.hotSpotShare = share;
            this.locality = Locality.HOT_SPOT;
            return this;
        }

        /**
         * Zipf locality over ranges of {@code rangeBytes} (a multiple of 4096, at least 64 KiB)
         * with the given exponent (positive, at most 10).
         */
        public Builder setZipf(double exponent, long rangeBytes) {
            if (!(exponent > 0 && exponent <= 10)) {
                throw new IllegalArgumentException("Zipf exponent must be in (0, 10], got " + exponent);
            }
            if (rangeBytes < 64 * 1024 || rangeBytes % BlockContent.BLOCK_SIZE != 0) {
                throw new IllegalArgumentException("Zipf range must be a multiple of 4096 of at least 64 KiB, got "
                        + rangeBytes);
            }
            this.zipfExponent = exponent;
            this.zipfRangeBytes = rangeBytes;
            this.locality = Locality.ZIPF;
            return this;
        }

        /** The churn multiplier of each local hour 0-23: exactly 24 values, each 0 to 1000. */
        public Builder setHourlyMultipliers(double... multipliers) {
            if (multipliers == null || multipliers.length != 24) {
                throw new IllegalArgumentException("a daily pattern needs 24 hourly multipliers, got "
                        + (multipliers == null ? "none" : multipliers.length));
            }
            for (int h = 0; h < 24; h++) {
                if (!(multipliers[h] >= 0 && multipliers[h] <= 1000)) {
                    throw new IllegalArgumentException("multiplier of hour " + h + " must be in [0, 1000], got "
                            + multipliers[h]);
                }
            }
            this.hourlyMultipliers = multipliers.clone();
            return this;
        }

        /** A flat day: the churn at every hour. */
        public Builder clearHourlyMultipliers() {
            this.hourlyMultipliers = null;
            return this;
        }

        public Builder addBurst(Burst burst) {
            this.bursts.add(Objects.requireNonNull(burst, "burst"));
            return this;
        }

        public Builder clearBursts() {
            this.bursts.clear();
            return this;
        }

        /**
         * A recorded rate instead of the churn and its daily pattern (leave both unset); bursts
         * add to it.
         */
        public Builder setRateSeries(RateSeries series) {
            this.rateSeries = Objects.requireNonNull(series, "series");
            return this;
        }

        public Builder clearRateSeries() {
            this.rateSeries = null;
            return this;
        }

        /**
         * @throws IllegalStateException if some hour's rate (or the series' highest) plus the bursts
         *                               could exceed 2^32 bytes per second, or a rate series comes
         *                               with a churn or a daily pattern
         */
        public WorkloadSpec build() {
            long burstTotal = 0;
            for (Burst b : bursts) {
                burstTotal += b.bytesPerSecond();
            }
            if (rateSeries != null) {
                if (churnBytesPerSecond != 0 || hourlyMultipliers != null) {
                    throw new IllegalStateException("a rate series replaces the churn and its daily pattern: set neither");
                }
                if (rateSeries.maxBytesPerSecond() + burstTotal > MAX_COMBINED_BYTES_PER_SECOND) {
                    throw new IllegalStateException("the rate series' highest rate plus the bursts would write more than "
                            + MAX_COMBINED_BYTES_PER_SECOND + " bytes per second");
                }
            }
            for (int h = 0; h < 24; h++) {
                double m = hourlyMultipliers == null ? 1.0 : hourlyMultipliers[h];
                if (churnBytesPerSecond * m + burstTotal > MAX_COMBINED_BYTES_PER_SECOND) {
                    throw new IllegalStateException("hour " + h + " would write more than "
                            + MAX_COMBINED_BYTES_PER_SECOND + " bytes per second");
                }
            }
            return new WorkloadSpec(this);
        }
    }
}
