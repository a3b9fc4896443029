package io.replisim.reports;

import java.util.Arrays;

/**
 * A time series of (time in ns from the run's start, value) vertices, in time order. A
 * {@linkplain #step step} series holds each value until the next vertex; a linear one is drawn
 * straight between vertices. {@code NaN} values break the line. {@link #decimate} keeps the
 * first, lowest, highest and last vertex of each bin (M4), so a chart of a month-long run keeps
 * its shape with a bounded number of points.
 */
final class Series {
    private long[] times = new long[16];
    private double[] values = new double[16];
    private int size;
    private final boolean step;

    Series(boolean step) {
        this.step = step;
    }

    boolean step() {
        return step;
    }

    void add(long time, double value) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        times[size] = time;
        values[size] = value;
        size++;
    }

    /** Ends the line here; the next vertex starts a new one. */
    void gap(long time) {
        if (size > 0 && !Double.isNaN(values[size - 1])) {
            add(time, Double.NaN);
        }
    }

    int size() {
        return size;
    }

    long time(int i) {
        return times[i];
    }

    double value(int i) {
        return values[i];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The last value at or before {@code time}, or NaN. */
    double valueAt(long time) {
        int i = Arrays.binarySearch(times, 0, size, time);
        if (i < 0) {
            i = -i - 2;
        } else {
            while (i + 1 < size && times[i + 1] == time) {
                i++;
            }
        }
        return i < 0 ? Double.NaN : values[i];
    }

    double max() {
        double m = 0;
        for (int i = 0; i < size; i++) {
            if (values[i] > m) {
                m = values[i];
            }
        }
        return m;
    }

    /**
     * At most {@code maxPoints} vertices over [from, to]: unchanged if it already fits, else the
     * first, lowest, highest and last vertex of each of {@code maxPoints / 4} equal time bins.
     * Gaps survive.
     */
    Series decimate(long from, long to, int maxPoints) {
        if (size <= maxPoints || to <= from) {
            return this;
        }
        int bins = Math.max(1, maxPoints / 4);
        Series out = new Series(step);
        int i = 0;
        while (i < size) {
            int bin = bin(times[i], from, to, bins);
            int first = i;
            int lo = -1;
            int hi = -1;
            int last = i;
            boolean hasGap = false;
            while (i < size && bin(times[i], from, to, bins) == bin) {
                double v = values[i];
                if (Double.isNaN(v)) {
                    hasGap = true;
                } else {
                    if (lo < 0 || v < values[lo]) {
                        lo = i;
                    }
                    if (hi < 0 || v > values[hi]) {
                        hi = i;
                    }
                }
                last = i;
                i++;
            }
            if (hasGap) {
                // keep every vertex of a bin with a break: breaks are rare
                for (int k = first; k <= last; k++) {
                    out.add(times[k], values[k]);
                }
                continue;
            }
            int[] keep = {first, lo, hi, last};
            Arrays.sort(keep);
            int prev = -1;
            for (int k : keep) {
                if (k != prev) {
                    out.add(times[k], values[k]);
                    prev = k;
                }
            }
        }
        return out;
    }

    private static int bin(long t, long from, long to, int bins) {
        long clamped = Math.max(from, Math.min(to, t));
        return (int) Math.min(bins - 1, (double) (clamped - from) / (to - from) * bins);
    }
}
