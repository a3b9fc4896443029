package io.replisim.simulator.plan;

import io.replisim.simulator.scenario.ChurnCsv;
import io.replisim.simulator.scenario.Site;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;

/**
 * The figures a plan computes rather than simulates: a disk's write rate over a day as its
 * churn describes it, the longest outage a VM survives without a resync, and bounds on storage.
 */
final class Analytics {
    static final int MINUTES = 1440;
    private static final long DAY_SECONDS = 86_400;
    /**
     * When a VM that failed to send tries again, in minutes after the failure (docs/domain.md, Retry
     * ladder: back-off of 1, 2, 4, 8 and 10 minutes, then every 30): an outage ends for the VM at its
     * next retry.
     */
    private static final long[] RETRIES = {1, 3, 7, 15, 25};
    private static final long PERSISTENT_RETRY = 30;

    private Analytics() {}

    /** The disk's churn as the plan builds it for the first seed. */
    static Site.Churn churn(PlanInput input, PlanInventory.PlanVm vm, PlanInventory.PlanDisk d) {
        return input.churn(vm, d, 1);
    }

    /** Minutes the rates are looked at over: a day, or the horizon (at most 31 days) when a recorded profile is among {@code vms}. */
    static int window(PlanInput input, List<PlanInventory.PlanVm> vms) {
        boolean recorded = vms.stream().anyMatch(v -> v.disks().stream().anyMatch(d -> d.profile() != null));
        return recorded ? (int) Math.max(MINUTES, Math.min(31L * MINUTES, input.plan().horizon().toMinutes())) : MINUTES;
    }

    static double averageBytesPerSecond(PlanInput input, PlanInventory.PlanVm vm, PlanInventory.PlanDisk d) {
        double[] r = perMinute(churn(input, vm, d), window(input, List.of(vm)));
        double sum = 0;
        for (double v : r) {
            sum += v;
        }
        return sum / r.length;
    }

    static double peakBytesPerSecond(PlanInput input, PlanInventory.PlanVm vm, PlanInventory.PlanDisk d) {
        double max = 0;
        for (double v : perMinute(churn(input, vm, d), window(input, List.of(vm)))) {
            max = Math.max(max, v);
        }
        return max;
    }

    /**
     * Bytes a second written in each of {@code minutes} minutes from the start by {@code churn}
     * (a day's pattern repeats; a recorded profile loops as a run replays it); zeros without one.
     */
    static double[] perMinute(Site.Churn churn, int minutes) {
        double[] rate = new double[minutes];
        if (churn == null) {
            return rate;
        }
        if (churn.series() != null) {
            List<ChurnCsv.Sample> samples = churn.series().samples();
            long first = samples.get(0).offsetNanos();
            long period = churn.series().periodNanos();
            for (int m = 0; m < minutes; m++) {
                long t = first + Math.floorMod(m * 60_000_000_000L - first, period);
                int lo = 0; // the last sample at or before t
                int hi = samples.size() - 1;
                while (lo < hi) {
                    int mid = (lo + hi + 1) >>> 1;
                    if (samples.get(mid).offsetNanos() <= t) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                rate[m] = samples.get(lo).bytesPerSecond();
            }
        } else {
            double[] day = new double[MINUTES];
            for (int m = 0; m < MINUTES; m++) {
                double base = churn.rate() == null ? 0 : churn.rate().bytesPerSecond();
                day[m] = churn.hourly().isEmpty() ? base : base * churn.hourly().get(m / 60);
            }
            for (int m = 0; m < minutes; m++) {
                rate[m] = day[m % MINUTES];
            }
        }
        for (Site.Burst b : churn.bursts()) {
            // the share of each minute of the day the burst is open, to the second
            long from = LocalTime.parse(b.at().length() == 4 ? "0" + b.at() : b.at()).toSecondOfDay();
            long lasting = Math.min(DAY_SECONDS, b.lasting().toSeconds());
            double[] open = new double[MINUTES];
            for (int m = 0; m < MINUTES; m++) {
                long start = m * 60L;
                open[m] = (overlap(start, start + 60, from, from + lasting) + overlap(start, start + 60, from - DAY_SECONDS,
                        from + lasting - DAY_SECONDS)) / 60.0;
            }
            for (int m = 0; m < minutes; m++) {
                rate[m] += b.rate().bytesPerSecond() * open[m % MINUTES];
            }
        }
        return rate;
    }

    /** What a VM's logs grow by a second, in each minute of the window: payload plus each record's head and checksum. */
    static double[] logGrowth(PlanInput input, PlanInventory.PlanVm vm) {
        int minutes = window(input, List.of(vm));
        double[] total = new double[minutes];
        for (PlanInventory.PlanDisk d : vm.disks()) {
            Site.Churn c = churn(input, vm, d);
            if (c == null) {
                continue;
            }
            double overhead = 1 + 20.0 / c.effectiveIoSize().bytes();
            double[] r = perMinute(c, minutes);
            for (int m = 0; m < minutes; m++) {
                total[m] += r[m] * overhead;
            }
        }
        return total;
    }

    /**
     * The seconds until the VM's logs reach {@code thresholdBytes} from {@code pendingBytes},
     * the least over every start (each 5 minutes of the window, which repeats); null if it writes nothing.
     */
    static Double timeToThreshold(double[] growthPerSecond, double pendingBytes, long thresholdBytes) {
        int n = growthPerSecond.length;
        double[] cum = new double[2 * n + 1];
        for (int m = 0; m < 2 * n; m++) {
            cum[m + 1] = cum[m] + growthPerSecond[m % n] * 60;
        }
        double whole = cum[n];
        if (whole <= 0) {
            return null;
        }
        double need = Math.max(0, thresholdBytes - pendingBytes);
        double least = Double.MAX_VALUE;
        for (int s = 0; s < n; s += 5) {
            long windows = (long) Math.floor(need / whole);
            double rest = need - windows * whole;
            if (rest == 0 && windows > 0) {
                windows--;
                rest = whole;
            }
            // the first minute at whose end the rest is written
            int lo = s + 1;
            int hi = s + n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cum[mid] - cum[s] >= rest) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            double before = cum[lo - 1] - cum[s];
            double inMinute = cum[lo] - cum[lo - 1];
            double seconds = (lo - 1 - s) * 60.0 + (inMinute == 0 ? 60 : (rest - before) / inMinute * 60);
            least = Math.min(least, windows * n * 60.0 + seconds);
        }
        return least;
    }

    /**
     * The longest network outage the VM survives without a resync, in seconds. An outage stops
     * the VM's cycle with its log sealed (a cycle's writes pending, {@code cycleBytes}); the VM
     * sends again at its first retry once the link is back, so it survives an outage that ends
     * by the last retry that comes before its logs reach the threshold. Null if it writes nothing.
     */
    static Long outageTolerance(double[] growthPerSecond, double cycleBytes, long thresholdBytes) {
        Double reach = timeToThreshold(growthPerSecond, cycleBytes, thresholdBytes);
        if (reach == null) {
            return null;
        }
        long survives = 0;
        for (long retry : RETRIES) {
            if (retry * 60 <= reach) {
                survives = retry * 60;
            }
        }
        if (RETRIES[RETRIES.length - 1] * 60 <= reach) {
            long since = (long) Math.floor((reach - RETRIES[RETRIES.length - 1] * 60) / (PERSISTENT_RETRY * 60));
            survives = RETRIES[RETRIES.length - 1] * 60 + since * PERSISTENT_RETRY * 60;
        }
        return survives;
    }

    /** The most a VM writes in a cycle of {@code cycle} seconds: its busiest stretch of that length, logs' overhead included. */
    static double cycleBytes(double[] growthPerSecond, long cycle) {
        int minutes = (int) Math.max(1, (cycle + 59) / 60);
        double most = 0;
        for (int s = 0; s < growthPerSecond.length; s++) {
            double sum = 0;
            for (int m = 0; m < minutes; m++) {
                sum += growthPerSecond[(s + m) % growthPerSecond.length];
            }
            most = Math.max(most, sum * cycle / minutes);
        }
        return most;
    }

    /** An upper bound of the recovery points' storage: what the disk writes over the retention, at most its size. */
    static long recoveryPointBytes(PlanInput input, PlanInventory.PlanVm vm, PlanInventory.PlanDisk d) {
        Duration retention = input.plan().policy() != null && input.plan().policy().retention() != null
                ? input.plan().policy().retention() : io.replisim.simulator.scenario.Policy.DEFAULT.retention();
        return (long) Math.min(d.provisionedBytes(), averageBytesPerSecond(input, vm, d) * retention.toSeconds());
    }

    private static long overlap(long a0, long a1, long b0, long b1) {
        return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
    }

    /** The site's busiest minute: the most its VMs write at once, bytes a second. */
    static double peakAtOnce(PlanInput input, List<PlanInventory.PlanVm> vms) {
        int minutes = window(input, vms);
        double[] total = new double[minutes];
        for (PlanInventory.PlanVm vm : vms) {
            for (PlanInventory.PlanDisk d : vm.disks()) {
                double[] r = perMinute(churn(input, vm, d), minutes);
                for (int m = 0; m < minutes; m++) {
                    total[m] += r[m];
                }
            }
        }
        double max = 0;
        for (double v : total) {
            max = Math.max(max, v);
        }
        return max;
    }
}
