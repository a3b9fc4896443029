package io.replisim.simulator.kernel;

import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * A deterministic random generator: xoshiro256** seeded through SplitMix64.
 *
 * <p>Every method is implemented here, on our own algorithm and with {@link StrictMath}, rather
 * than inherited from {@link java.util.random.RandomGenerator}'s defaults, whose algorithms the
 * JDK may change: the same seed must give the same draws on every JDK and platform.
 * The stream methods ({@link #ints()} and friends) are sequential.
 */
public final class RandomStream implements java.util.random.RandomGenerator {

    static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;
    private static final float FLOAT_UNIT = 0x1.0p-24f;

    private final String name;
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    RandomStream(String name, long seed) {
        this.name = name;
        long x = seed; // SplitMix64 fills the state; it never yields four zeros in a row
        s0 = mix64(x += GOLDEN_GAMMA);
        s1 = mix64(x += GOLDEN_GAMMA);
        s2 = mix64(x += GOLDEN_GAMMA);
        s3 = mix64(x + GOLDEN_GAMMA);
    }

    public String name() {
        return name;
    }

    /** SplitMix64's finalizer (Stafford variant 13): a bijective 64-bit mix. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    @Override
    public int nextInt() {
        return (int) (nextLong() >>> 32); // high bits are the best ones
    }

    /** Uniform in [0, bound), unbiased (Lemire's multiply-and-reject). */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xffffffffL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xffffffffL;
            }
        }
        return (int) (m >>> 32);
    }

    @Override
    public int nextInt(int origin, int bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("origin must be below bound: " + origin + " >= " + bound);
        }
        int n = bound - origin;
        if (n > 0) {
            return origin + nextInt(n);
        }
        int r; // the range exceeds Integer.MAX_VALUE: reject draws outside it
        do {
            r = nextInt();
        } while (r < origin || r >= bound);
        return r;
    }

    /** Uniform in [0, bound), unbiased (rejects the top partial block). */
    @Override
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = bound - 1;
        if ((bound & m) == 0) {
            return nextLong() >>> 1 & m;
        }
        long u = nextLong() >>> 1;
        long r;
        while (u - (r = u % bound) + m < 0) {
            u = nextLong() >>> 1;
        }
        return r;
    }

    @Override
    public long nextLong(long origin, long bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("origin must be below bound: " + origin + " >= " + bound);
        }
        long n = bound - origin;
        if (n > 0) {
            return origin + nextLong(n);
        }
        long r;
        do {
            r = nextLong();
        } while (r < origin || r >= bound);
        return r;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    @Override
    public double nextDouble(double bound) {
        if (!(bound > 0 && bound < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("bound must be positive and finite: " + bound);
        }
        double r = nextDouble() * bound;
        return r < bound ? r : Math.nextDown(bound); // rounding can reach bound
    }

    @Override
    public double nextDouble(double origin, double bound) {
        if (!(origin < bound && bound - origin < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("need origin < bound, finite range: " + origin + ", " + bound);
        }
        double r = origin + nextDouble() * (bound - origin);
        return r < bound ? r : Math.nextDown(bound);
    }

    @Override
    public float nextFloat() {
        return (nextLong() >>> 40) * FLOAT_UNIT;
    }

    @Override
    public float nextFloat(float bound) {
        if (!(bound > 0 && bound < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("bound must be positive and finite: " + bound);
        }
        float r = nextFloat() * bound;
        return r < bound ? r : Math.nextDown(bound);
    }

    @Override
    public float nextFloat(float origin, float bound) {
        if (!(origin < bound && bound - origin < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("need origin < bound, finite range: " + origin + ", " + bound);
        }
        float r = origin + nextFloat() * (bound - origin);
        return r < bound ? r : Math.nextDown(bound);
    }

    @Override
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Fills {@code bytes} from successive longs, low byte first. */
    @Override
    public void nextBytes(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            long r = nextLong();
            for (int k = Math.min(bytes.length - i, 8); k > 0; k--, r >>>= 8) {
                bytes[i++] = (byte) r;
            }
        }
    }

    /** Standard normal by Marsaglia's polar method (the second variate is dropped: no hidden state). */
    @Override
    public double nextGaussian() {
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * nextDouble() - 1;
            v2 = 2 * nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        return v1 * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    }

    @Override
    public double nextGaussian(double mean, double stddev) {
        if (stddev < 0) {
            throw new IllegalArgumentException("stddev must be non-negative: " + stddev);
        }
        return mean + stddev * nextGaussian();
    }

    /** Exponential with mean 1, by inversion. */
    @Override
    public double nextExponential() {
        return -StrictMath.log(1 - nextDouble()); // 1 - u is in (0, 1]: never log(0)
    }

    // Streams draw one value at a time from this generator, in order.

    @Override
    public IntStream ints() {
        return IntStream.generate(this::nextInt).sequential();
    }

    @Override
    public IntStream ints(long size) {
        return ints().limit(checkSize(size));
    }

    @Override
    public IntStream ints(int origin, int bound) {
        checkRange(origin < bound);
        return IntStream.generate(() -> nextInt(origin, bound)).sequential();
    }

    @Override
    public IntStream ints(long size, int origin, int bound) {
        return ints(origin, bound).limit(checkSize(size));
    }

    @Override
    public LongStream longs() {
        return LongStream.generate(this::nextLong).sequential();
    }

    @Override
    public LongStream longs(long size) {
        return longs().limit(checkSize(size));
    }

    @Override
    public LongStream longs(long origin, long bound) {
        checkRange(origin < bound);
        return LongStream.generate(() -> nextLong(origin, bound)).sequential();
    }

    @Override
    public LongStream longs(long size, long origin, long bound) {
        return longs(origin, bound).limit(checkSize(size));
    }

    @Override
    public DoubleStream doubles() {
        return DoubleStream.generate(this::nextDouble).sequential();
    }

    @Override
    public DoubleStream doubles(long size) {
        return doubles().limit(checkSize(size));
    }

    @Override
    public DoubleStream doubles(double origin, double bound) {
        checkRange(origin < bound && bound - origin < Double.POSITIVE_INFINITY);
        return DoubleStream.generate(() -> nextDouble(origin, bound)).sequential();
    }

    @Override
    public DoubleStream doubles(long size, double origin, double bound) {
        return doubles(origin, bound).limit(checkSize(size));
    }

    private static long checkSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be non-negative: " + size);
        }
        return size;
    }

    private static void checkRange(boolean valid) {
        if (!valid) {
            throw new IllegalArgumentException("origin must be below bound");
        }
    }

    @Override
    public String toString() {
        return "RandomStream[" + name + "]";
    }
}
