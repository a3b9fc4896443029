package io.replisim.simulator.replication;

import io.replisim.simulator.net.Uplink;
import java.util.Arrays;
import java.util.List;

/**
 * A site's figures over time, gathered while the run goes in bins of equal width over the
 * scenario's duration, so that a fleet's report needs no per-cycle trace events: what the uplink
 * sent and could send, how many VMs were in each health and resynchronizing (time-weighted), and
 * each VM's highest RPO in each bin. The drain after the duration is left out.
 */
public final class SiteSeries implements Uplink.Meter {
    private final String site;
    private final long binNanos;
    private final int bins;
    private final long end;
    private final double[] sentBits;
    private final double[] capacityBitNanos;
    private long capacity;
    private long capacitySince;
    private double[][] health;
    private double[] resyncing;
    private float[][] vmRpo;

    SiteSeries(String site, long binNanos, long end, int vms) {
        if (binNanos <= 0 || end <= 0) {
            throw new IllegalArgumentException("bins and the duration must be positive");
        }
        this.site = site;
        this.binNanos = binNanos;
        this.bins = (int) ((end + binNanos - 1) / binNanos);
        this.end = end;
        this.sentBits = new double[bins];
        this.capacityBitNanos = new double[bins];
        this.vmRpo = new float[vms][];
    }

    public String site() {
        return site;
    }

    public long binNanos() {
        return binNanos;
    }

    public int bins() {
        return bins;
    }

    /** Bin {@code b}'s width: {@link #binNanos()}, the last one's up to the end of the duration. */
    public long binWidth(int b) {
        return Math.min(binNanos, end - b * binNanos);
    }

    /** The end of the last bin: the scenario's duration. */
    public long end() {
        return end;
    }

    /** Bits the uplink delivered in each bin. */
    public double[] sentBits() {
        return sentBits;
    }

    /** The uplink's mean capacity in each bin, in bits per second (0 while down). */
    public double[] capacityBitsPerSecond() {
        double[] out = new double[bins];
        for (int b = 0; b < bins; b++) {
            out[b] = capacityBitNanos[b] / binWidth(b);
        }
        return out;
    }

    /** VM-nanoseconds spent in each health (Normal, Warning, Critical: the rows) in each bin. */
    public double[][] health() {
        return health;
    }

    /** VM-nanoseconds spent resynchronizing or waiting for it in each bin. */
    public double[] resyncing() {
        return resyncing;
    }

    /** Per VM (in the site's order), its highest RPO in each bin in seconds; NaN where it had no recovery point. */
    public List<float[]> vmRpoSeconds() {
        return Arrays.asList(vmRpo);
    }

    @Override
    public void sent(long from, long to, long bits) {
        spread(sentBits, from, to, bits);
    }

    @Override
    public void capacity(long at, long bitsPerSecond) {
        addLevel(capacityBitNanos, capacitySince, at, capacity);
        capacity = bitsPerSecond;
        capacitySince = at;
    }

    /** VM {@code vm}'s RPO over [from, to): it grows from {@code from - point}; each bin keeps its highest. */
    void rpo(int vm, long from, long to, long point) {
        if (vmRpo[vm] == null) {
            vmRpo[vm] = new float[bins];
            Arrays.fill(vmRpo[vm], Float.NaN);
        }
        float[] row = vmRpo[vm];
        long hi = Math.min(to, end);
        for (long t = Math.max(0, from); t < hi; ) {
            int b = (int) (t / binNanos);
            long binEnd = Math.min(hi, (b + 1) * binNanos);
            float seconds = (float) ((binEnd - point) / 1e9);
            if (Float.isNaN(row[b]) || seconds > row[b]) {
                row[b] = seconds;
            }
            t = binEnd;
        }
    }

    /**
     * Closes the series at the end of the scenario's duration: the capacity up to then, and the
     * VMs' health and state over time from their changes ((time, ordinal) pairs, in order).
     */
    SiteSeries finish(List<List<long[]>> healthChanges, List<List<long[]>> resyncSpans) {
        capacity(end, capacity);
        health = new double[3][bins];
        for (List<long[]> changes : healthChanges) {
            int level = 0;
            long since = 0;
            for (long[] c : changes) {
                addLevel(health[Math.min(2, level)], since, c[0], 1);
                level = (int) c[1];
                since = c[0];
            }
            addLevel(health[Math.min(2, level)], since, end, 1);
        }
        resyncing = new double[bins];
        for (List<long[]> spans : resyncSpans) {
            for (long[] s : spans) {
                addLevel(resyncing, s[0], s[1], 1);
            }
        }
        return this;
    }

    /** Adds {@code level} x the time of [from, to) that falls in each bin. */
    private void addLevel(double[] into, long from, long to, double level) {
        if (level == 0) {
            return;
        }
        long hi = Math.min(to, end);
        for (long t = Math.max(0, from); t < hi; ) {
            int b = (int) (t / binNanos);
            long binEnd = Math.min(hi, (b + 1) * binNanos);
            into[b] += level * (binEnd - t);
            t = binEnd;
        }
    }

    /** Spreads {@code amount} evenly over [from, to) (all in its bin if to == from). */
    private void spread(double[] into, long from, long to, double amount) {
        if (amount == 0 || from >= end) {
            return;
        }
        if (to <= from) {
            into[(int) Math.min(bins - 1, Math.max(0, from) / binNanos)] += amount;
            return;
        }
        addLevel(into, from, to, amount / (to - from));
    }
}
