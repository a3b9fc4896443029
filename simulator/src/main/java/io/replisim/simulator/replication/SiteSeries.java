package io.replisim.simulator.replication;

import io.replisim.simulator.net.Uplink;
import java.util.Arrays;
import java.util.List;

/**
 * A site's figures over time, gathered while the run goes in bins of equal width from the start,
 * so that a report needs no per-cycle trace events: what the uplink carried as the fluid model's
 * fair shares allocated it (sent to Azure; apart from it, what failbacks brought back) and what
 * it could carry, how many VMs were in each health and resynchronizing (time-weighted), and each
 * VM's highest RPO in each bin. These end with the scenario's duration (the drain is left out).
 * A site of few VMs ({@code perVm}) also keeps what each VM sent, and the uplink's figures go on
 * to the end of the run, the drain included: its report draws each VM's use.
 */
public final class SiteSeries implements Uplink.Meter {
    private final String site;
    private final long binNanos;
    private final int bins;
    private final long end;
    private final Bins sentBits;
    private final Bins failbackBits;
    private final Bins capacityBitNanos;
    private final Bins[] vmSentBits;
    private long capacity;
    private long capacitySince;
    private double[][] health;
    private double[] resyncing;
    private float[][] vmRpo;

    SiteSeries(String site, long binNanos, long end, int vms, boolean perVm) {
        if (binNanos <= 0 || end <= 0) {
            throw new IllegalArgumentException("bins and the duration must be positive");
        }
        this.site = site;
        this.binNanos = binNanos;
        this.bins = (int) ((end + binNanos - 1) / binNanos);
        this.end = end;
        long uplinkUntil = perVm ? Long.MAX_VALUE : end;
        this.sentBits = new Bins(uplinkUntil);
        this.failbackBits = new Bins(uplinkUntil);
        this.capacityBitNanos = new Bins(uplinkUntil);
        this.vmSentBits = perVm ? new Bins[vms] : null;
        for (int i = 0; perVm && i < vms; i++) {
            vmSentBits[i] = new Bins(uplinkUntil);
        }
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

    /** Bits the uplink carried to Azure in each bin. */
    public double[] sentBits() {
        return sentBits.first(bins);
    }

    /** Bits failbacks brought back over the uplink in each bin. */
    public double[] failbackBits() {
        return failbackBits.first(bins);
    }

    /** The uplink's mean capacity in each bin, in bits per second (0 while down). */
    public double[] capacityBitsPerSecond() {
        double[] out = capacityBitNanos.first(bins);
        for (int b = 0; b < bins; b++) {
            out[b] /= binWidth(b);
        }
        return out;
    }

    /**
     * A site of few VMs: its uplink's figures in the bins up to the end of the run (the last ones
     * as far as the site's run went): what it could carry (bit-nanoseconds), what failbacks
     * brought back and what each VM sent (bits, per VM in the site's order). Null for a fleet's site.
     */
    public UplinkUse uplinkUse() {
        if (vmSentBits == null) {
            return null;
        }
        return new UplinkUse(capacityBitNanos.all(), failbackBits.all(), Arrays.stream(vmSentBits).map(Bins::all).toList());
    }

    /** See {@link #uplinkUse()}. */
    public record UplinkUse(double[] capacityBitNanos, double[] failbackBits, List<double[]> vmSentBits) {}

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

    /** VM {@code vm}'s flows carried {@code bits} over [from, to), sent to Azure or, for a failback, brought back. */
    void carried(int vm, boolean failback, long from, long to, long bits) {
        if (failback) {
            failbackBits.spread(from, to, bits);
            return;
        }
        sentBits.spread(from, to, bits);
        if (vmSentBits != null) {
            vmSentBits[vm].spread(from, to, bits);
        }
    }

    @Override
    public void capacity(long at, long bitsPerSecond) {
        capacityBitNanos.level(capacitySince, at, capacity);
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
     * Closes the series: the capacity up to {@code now} (the site's last event; the end of the
     * duration when the uplink's figures end there), and the VMs' health and state over time from
     * their changes ((time, ordinal) pairs, in order).
     */
    SiteSeries finish(List<List<long[]>> healthChanges, List<List<long[]>> resyncSpans, long now) {
        capacity(vmSentBits == null ? end : Math.max(end, now), capacity);
        Bins[] levels = {new Bins(end), new Bins(end), new Bins(end)};
        for (List<long[]> changes : healthChanges) {
            int level = 0;
            long since = 0;
            for (long[] c : changes) {
                levels[Math.min(2, level)].level(since, c[0], 1);
                level = (int) c[1];
                since = c[0];
            }
            levels[Math.min(2, level)].level(since, end, 1);
        }
        health = new double[][] {levels[0].first(bins), levels[1].first(bins), levels[2].first(bins)};
        Bins resync = new Bins(end);
        for (List<long[]> spans : resyncSpans) {
            for (long[] s : spans) {
                resync.level(s[0], s[1], 1);
            }
        }
        resyncing = resync.first(bins);
        return this;
    }

    /** Amounts per bin from the start, as far as {@code until} (exclusive): the arrays grow with the run. */
    private final class Bins {
        private double[] amounts = new double[bins];
        private int used;
        private final long until;
        /**
         * The last bin's amount up to the duration's end, when that bin is shorter than the others
         * and the amounts go on past the end (a site of few VMs): the fleet's figures are means over
         * that bin's own width, the drain left out.
         */
        private double lastBinToEnd;

        Bins(long until) {
            this.until = until;
        }

        /** Adds {@code level} x the time of [from, to) that falls in each bin. */
        void level(long from, long to, double level) {
            if (level == 0) {
                return;
            }
            long hi = Math.min(to, until);
            for (long t = Math.max(0, from); t < hi; ) {
                int b = (int) (t / binNanos);
                long binEnd = Math.min(hi, (b + 1) * binNanos);
                if (b >= amounts.length) {
                    amounts = Arrays.copyOf(amounts, Math.max(b + 1, amounts.length * 2));
                }
                amounts[b] += level * (binEnd - t);
                if (b == bins - 1 && t < end) {
                    lastBinToEnd += level * (Math.min(binEnd, end) - t);
                }
                used = Math.max(used, b + 1);
                t = binEnd;
            }
        }

        /** Spreads {@code amount} evenly over [from, to), from < to: the rate held between two updates. */
        void spread(long from, long to, double amount) {
            if (amount != 0 && from < until) {
                level(from, to, amount / (to - from));
            }
        }

        /** The bins within the duration. */
        double[] first(int n) {
            double[] out = Arrays.copyOf(amounts, n);
            if (n == bins) {
                out[bins - 1] = lastBinToEnd;
            }
            return out;
        }

        double[] all() {
            return Arrays.copyOf(amounts, used);
        }
    }
}
