package io.replisim.simulator.run;

import io.replisim.simulator.replication.SiteSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fleet's figures over time, gathered while the run went (no trace needed), in {@code bins}
 * bins of {@code binWidth} over the scenario's duration: per site, what its uplink sent, brought
 * back for failbacks (not counted as sent) and could send; over all VMs, how many were in each health and resynchronizing (time-weighted means), and
 * the median, 95th percentile and highest, across VMs, of each VM's highest RPO in the bin
 * (seconds; -1 where no VM had a recovery point). {@code summary.json} holds it for runs of more
 * than {@link #FLEET_VMS} VMs or without a full trace; the report draws its fleet charts from it.
 */
public record FleetSeries(Duration binWidth, int bins, List<SiteUse> sites, double[] vmsNormal, double[] vmsWarning,
                          double[] vmsCritical, double[] vmsResyncing, long[] rpoP50Seconds, long[] rpoP95Seconds,
                          long[] rpoMaxSeconds) {

    /** Beyond this many VMs, a run's summary and report are a fleet's. */
    public static final int FLEET_VMS = 20;

    /** Bins are one of these widths, the narrowest giving at most {@link #MAX_BINS} bins. */
    private static final long[] WIDTHS_SECONDS = {10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
    static final int MAX_BINS = 400;

    /**
     * One site's uplink: bits per second sent, brought back by failbacks and could be sent, each
     * bin's mean; sent rounded down and could-send up, so no bin shows more sent than could be.
     */
    public record SiteUse(String site, int vms, long[] sentBitsPerSecond, long[] failbackBitsPerSecond,
                          long[] capacityBitsPerSecond) {}

    /** {@code bits} over {@code nanos} as whole bits per second, rounded down. */
    static long bitsPerSecond(double bits, long nanos) {
        return (long) Math.floor(bits * 1e9 / nanos);
    }

    /** The width of the bins for a run of {@code duration} nanoseconds. */
    static long binNanos(long duration) {
        for (long w : WIDTHS_SECONDS) {
            long nanos = w * 1_000_000_000L;
            if ((duration + nanos - 1) / nanos <= MAX_BINS) {
                return nanos;
            }
        }
        long day = WIDTHS_SECONDS[WIDTHS_SECONDS.length - 1] * 1_000_000_000L;
        return (duration / MAX_BINS + day - 1) / day * day;
    }

    /** The sites' series, in the scenario's order, as one fleet's. */
    static FleetSeries of(List<SiteSeries> sites, List<Integer> vmsPerSite) {
        SiteSeries first = sites.get(0);
        int bins = first.bins();
        long width = first.binNanos();
        double[][] health = new double[3][bins];
        double[] resyncing = new double[bins];
        List<SiteUse> uses = new ArrayList<>();
        List<float[]> rpo = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            SiteSeries s = sites.get(i);
            long[] sent = new long[bins];
            long[] failback = new long[bins];
            for (int b = 0; b < bins; b++) {
                sent[b] = bitsPerSecond(s.sentBits()[b], s.binWidth(b));
                failback[b] = bitsPerSecond(s.failbackBits()[b], s.binWidth(b));
            }
            uses.add(new SiteUse(s.site(), vmsPerSite.get(i), sent, failback,
                    Arrays.stream(s.capacityBitsPerSecond()).mapToLong(c -> (long) Math.ceil(c)).toArray()));
            for (int h = 0; h < 3; h++) {
                for (int b = 0; b < bins; b++) {
                    health[h][b] += s.health()[h][b];
                }
            }
            for (int b = 0; b < bins; b++) {
                resyncing[b] += s.resyncing()[b];
            }
            rpo.addAll(s.vmRpoSeconds());
        }
        long[] p50 = new long[bins];
        long[] p95 = new long[bins];
        long[] max = new long[bins];
        float[] column = new float[rpo.size()];
        for (int b = 0; b < bins; b++) {
            int n = 0;
            for (float[] row : rpo) {
                if (row != null && !Float.isNaN(row[b])) {
                    column[n++] = row[b];
                }
            }
            Arrays.sort(column, 0, n);
            p50[b] = n == 0 ? -1 : Math.round(column[rank(n, 0.50)]);
            p95[b] = n == 0 ? -1 : Math.round(column[rank(n, 0.95)]);
            max[b] = n == 0 ? -1 : Math.round(column[n - 1]);
        }
        return new FleetSeries(Duration.ofNanos(width), bins, List.copyOf(uses), mean(health[0], first), mean(health[1], first),
                mean(health[2], first), mean(resyncing, first), p50, p95, max);
    }

    /** The nearest-rank percentile's index among {@code n} sorted values. */
    private static int rank(int n, double p) {
        return Math.max(0, Math.min(n - 1, (int) Math.ceil(p * n) - 1));
    }

    /** VM-nanoseconds per bin as the mean number of VMs, to two decimals. */
    private static double[] mean(double[] vmNanos, SiteSeries bins) {
        double[] out = new double[vmNanos.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = Math.round(vmNanos[b] / bins.binWidth(b) * 100) / 100.0;
        }
        return out;
    }
}
