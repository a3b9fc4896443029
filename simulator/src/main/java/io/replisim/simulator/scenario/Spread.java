package io.replisim.simulator.scenario;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A value that varies across the VMs of a fleet, drawn for each VM from its own seeded stream.
 * Written as the value itself ({@code 127GiB}), or as one of:
 * <ul>
 * <li>{@code {between: [64KiB/s, 1MiB/s]}}: uniform between the two (sizes rounded down to a
 * whole MiB);</li>
 * <li>{@code {oneOf: [127GiB, 256GiB, 512GiB]}}: one of them, each as likely;</li>
 * <li>{@code {lognormal: {median: 256KiB/s, sigma: 0.8}}}: median x e^(sigma x N(0,1)), the
 * heavy tail real churn has (a few busy VMs), capped at 20 times the median.</li>
 * </ul>
 *
 * @param <T> what varies ({@link DataSize} or {@link DataRate})
 */
public sealed interface Spread<T> {
    /** How far the lognormal's tail may reach, in medians: keeps a draw from becoming absurd. */
    double LOGNORMAL_CAP = 20;

    /** The value for one VM; {@code random} is that VM's own stream. */
    long draw(RandomGenerator random);

    /** The smallest and largest value a draw can give (for validation and messages). */
    long min();

    long max();

    /** The same value for every VM. */
    record Fixed<T>(long value) implements Spread<T> {
        @Override
        public long draw(RandomGenerator random) {
            return value;
        }

        @Override
        public long min() {
            return value;
        }

        @Override
        public long max() {
            return value;
        }
    }

    /** Uniform between {@code low} and {@code high}, both included. */
    record Between<T>(long low, long high) implements Spread<T> {
        @Override
        public long draw(RandomGenerator random) {
            return low == high ? low : random.nextLong(low, high + 1);
        }

        @Override
        public long min() {
            return low;
        }

        @Override
        public long max() {
            return high;
        }
    }

    /** One of {@code values}, each as likely. */
    record OneOf<T>(List<Long> values) implements Spread<T> {
        public OneOf {
            values = List.copyOf(values);
        }

        @Override
        public long draw(RandomGenerator random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public long min() {
            return values.stream().mapToLong(Long::longValue).min().orElseThrow();
        }

        @Override
        public long max() {
            return values.stream().mapToLong(Long::longValue).max().orElseThrow();
        }
    }

    /** {@code median} x e^(sigma x N(0,1)), at most {@link #LOGNORMAL_CAP} medians. */
    record LogNormal<T>(long median, double sigma) implements Spread<T> {
        @Override
        public long draw(RandomGenerator random) {
            double factor = Math.min(LOGNORMAL_CAP, Math.exp(sigma * random.nextGaussian()));
            return Math.round(median * factor);
        }

        @Override
        public long min() {
            return 0;
        }

        @Override
        public long max() {
            return Math.round(median * LOGNORMAL_CAP);
        }
    }
}
