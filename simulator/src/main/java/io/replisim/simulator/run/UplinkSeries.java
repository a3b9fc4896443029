package io.replisim.simulator.run;

import io.replisim.simulator.replication.SiteSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What each site's uplink carried and could carry, as the fluid model's fair shares allocated
 * it, in {@code bins} bins of {@code binWidth} from the start to the end of the run (the drain
 * included; the last bin as far as the run went), each bin's mean in bits per second: what each
 * VM sent to Azure, what failbacks brought back over the same link (not counted as sent) and what
 * the agent could send. Sent is rounded down and could-send up, so no bin shows more sent than
 * the link could carry. {@code summary.json} holds it for runs of at most
 * {@link FleetSeries#FLEET_VMS} VMs; the report draws its uplink chart from it.
 */
public record UplinkSeries(Duration binWidth, int bins, List<SiteUplink> sites) {

    /** One site's uplink: what the agent could send, what failbacks brought back, and what each VM sent. */
    public record SiteUplink(String site, long[] capacityBitsPerSecond, long[] failbackBitsPerSecond, List<VmUse> vms) {
        // a value, as the run record it is part of: equal figures make equal records
        @Override
        public boolean equals(Object o) {
            return o instanceof SiteUplink s && site.equals(s.site) && Arrays.equals(capacityBitsPerSecond, s.capacityBitsPerSecond)
                    && Arrays.equals(failbackBitsPerSecond, s.failbackBitsPerSecond) && vms.equals(s.vms);
        }

        @Override
        public int hashCode() {
            return Objects.hash(site, Arrays.hashCode(capacityBitsPerSecond), Arrays.hashCode(failbackBitsPerSecond), vms);
        }

        @Override
        public String toString() {
            return "SiteUplink[site=" + site + ", capacityBitsPerSecond=" + Arrays.toString(capacityBitsPerSecond)
                    + ", failbackBitsPerSecond=" + Arrays.toString(failbackBitsPerSecond) + ", vms=" + vms + "]";
        }
    }

    /** What one VM sent to Azure. */
    public record VmUse(String vm, long[] sentBitsPerSecond) {
        @Override
        public boolean equals(Object o) {
            return o instanceof VmUse v && vm.equals(v.vm) && Arrays.equals(sentBitsPerSecond, v.sentBitsPerSecond);
        }

        @Override
        public int hashCode() {
            return Objects.hash(vm, Arrays.hashCode(sentBitsPerSecond));
        }

        @Override
        public String toString() {
            return "VmUse[vm=" + vm + ", sentBitsPerSecond=" + Arrays.toString(sentBitsPerSecond) + "]";
        }
    }

    /**
     * The sites' figures (their VMs named in each site's order) to {@code end}, the run's end, in
     * as many of the sites' bins at a time as keep at most {@link FleetSeries#MAX_BINS} bins.
     */
    static UplinkSeries of(List<SiteSeries> sites, List<List<String>> vms, long end) {
        long raw = sites.get(0).binNanos();
        long merged = Math.max(1, ((end + raw - 1) / raw + FleetSeries.MAX_BINS - 1) / FleetSeries.MAX_BINS);
        long width = merged * raw;
        int bins = (int) ((end + width - 1) / width);
        List<SiteUplink> out = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            SiteSeries.UplinkUse use = sites.get(i).uplinkUse();
            long[] capacity = new long[bins];
            long[] failback = new long[bins];
            for (int b = 0; b < bins; b++) {
                long span = Math.min(width, end - b * width);
                capacity[b] = (long) Math.ceil(sum(use.capacityBitNanos(), b, merged) / span);
                failback[b] = FleetSeries.bitsPerSecond(sum(use.failbackBits(), b, merged), span);
            }
            List<VmUse> uses = new ArrayList<>();
            for (int v = 0; v < vms.get(i).size(); v++) {
                long[] sent = new long[bins];
                for (int b = 0; b < bins; b++) {
                    sent[b] = FleetSeries.bitsPerSecond(sum(use.vmSentBits().get(v), b, merged), Math.min(width, end - b * width));
                }
                uses.add(new VmUse(vms.get(i).get(v), sent));
            }
            out.add(new SiteUplink(sites.get(i).site(), capacity, failback, List.copyOf(uses)));
        }
        return new UplinkSeries(Duration.ofNanos(width), bins, List.copyOf(out));
    }

    /** Bin {@code b} of bins {@code merged} times as wide as {@code raw}'s (past its end: nothing). */
    private static double sum(double[] raw, int b, long merged) {
        double sum = 0;
        for (long i = b * merged; i < Math.min(raw.length, (b + 1) * merged); i++) {
            sum += raw[(int) i];
        }
        return sum;
    }
}
