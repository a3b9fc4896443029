package io.replisim.simulator.plan;

import io.replisim.simulator.run.FleetSeries;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a plan answers (docs/planner.md explains every figure): per VM, per site and for the
 * fleet, each simulated answer as its {@link Spread} over the plan's seeds, the rule of thumb
 * beside the simulated bandwidth, and the initial replication plan. Durations are in seconds,
 * sizes in bytes, bandwidths in Mbps (10^6 bits a second), shares from 0 to 1.
 *
 * @param label   what this column is: {@code plan}, or the what-if it answers
 * @param start   when the horizon starts (ISO-8601 with offset), in {@code timeZone}
 * @param uplink  the first seed's steady run over time: each site's use and capacity, VMs per health
 * @param work    how many simulations and simulated VM-days the answers took
 */
public record PlanResult(String plan, String label, String start, String timeZone, int seeds, long targetRpoSeconds,
                         long horizonSeconds,
                         double precision, long searchHorizonSeconds, List<VmAnswer> vms, List<SiteAnswer> sites,
                         SiteAnswer fleet, List<Wave> waves, FleetSeries uplink, Work work) {

    /** What answering took, in simulations and simulated VM-days: the steady state, the search's probes, initial replication's runs. */
    public record Work(int steadyRuns, double steadyVmDays, int probes, double probeVmDays, int irRuns, double irVmDays) {
        public double vmDays() {
            return steadyVmDays + probeVmDays + irVmDays;
        }
    }

    /** An answer over seeds: the median, the least and the most; {@code missing} seeds had none (e.g. never reached). */
    public record Spread(Double median, Double min, Double max, int missing) {
        public static Spread of(List<Double> values) {
            double[] v = values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).sorted().toArray();
            int missing = values.size() - v.length;
            if (v.length == 0) {
                return new Spread(null, null, null, missing);
            }
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Spread(median, v[0], v[v.length - 1], missing);
        }

        public static Spread of(double... values) {
            return of(Arrays.stream(values).boxed().toList());
        }

        /** Whether every seed gave the same answer. */
        public boolean stable() {
            return missing == 0 && Objects.equals(min, max);
        }
    }

    /**
     * One VM: the inventory's figures, then the steady state (RPO percentiles, the share of time
     * within the target RPO, resyncs, the most log bytes pending against the 50% threshold, the
     * longest outage it survives without a resync, the free space its logs need on the host
     * volume) and its initial replication (wave, start, duration, end, resyncs during it).
     */
    public record VmAnswer(String vm, String host, String site, int disks, long provisionedBytes, long usedBytes,
                           double churnAverageMBps, double churnPeakMBps,
                           Spread rpoP50, Spread rpoP95, Spread rpoP99, Spread rpoMax, Spread withinTarget, Spread resyncs,
                           Spread peakPendingLogBytes, long thresholdBytes, Long outageToleranceSeconds, long logSpaceBytes,
                           Integer wave, long irStartSeconds, Spread irDuration, Spread irEnd, Spread irResyncs) {}

    /**
     * A site (or the fleet): its VMs' churn, the rule of thumb (the sum of peak churn as a
     * bandwidth; initial replication as the used bytes over the uplink's mean capacity), the
     * simulated bandwidth needed to meet the target RPO 100%, 95% and 90% of the time, the
     * initial replication's end, the uplink's use, storage and log space, and why the simulation
     * departs from the rule of thumb.
     */
    public record SiteAnswer(String site, int vms, double churnAverageMbps, double churnPeakSumMbps, double churnPeakAtOnceMbps,
                             double meanCapacityMbps, double ruleOfThumbMbps, Double ruleOfThumbIrSeconds,
                             Spread needed100, Spread needed95, Spread needed90,
                             Spread irEnd, Spread uplinkUse, Spread worstWithinTarget, Spread resyncs,
                             long replicaProvisionedBytes, long replicaUsedBytes, long recoveryPointBytes,
                             long logSpaceBytes, String why) {}

    /** An initial replication wave of a site: when it starts, its VMs, when its last VM replicates (over seeds). */
    public record Wave(String site, int wave, long startSeconds, int vms, long usedBytes, Spread end, boolean withinWindow) {}
}
