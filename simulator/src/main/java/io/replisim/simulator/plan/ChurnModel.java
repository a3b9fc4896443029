package io.replisim.simulator.plan;

import io.replisim.simulator.scenario.DataRate;
import io.replisim.simulator.scenario.Site;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;

/**
 * Turns an inventory's average and peak churn into a day of writes (docs/planner.md, "Churn"):
 * the peak rate for {@code peakFor} from {@code peakAt}, the rest of the day at a base rate,
 * shaped by the hourly weights, such that the day's average is the inventory's average. When
 * the peak alone would write more than the average allows, the peak window is shortened to
 * what it does allow and the base is nil.
 */
final class ChurnModel {
    private static final long DAY = 86_400;

    private ChurnModel() {}

    /**
     * The churn of a disk writing {@code average} bytes a second on average and {@code peak} at
     * its busiest, its peak {@code shift} seconds from the shape's {@code peakAt} (whole minutes).
     */
    static Site.Churn churn(Plan.ChurnShape shape, long average, long peak, long shift) {
        double[] w = weights(shape);
        LocalTime at = LocalTime.parse(shape.peakAt().length() == 4 ? "0" + shape.peakAt() : shape.peakAt())
                .plusSeconds(Math.floorMod(shift, DAY) / 60 * 60);
        String peakAt = String.format(java.util.Locale.ROOT, "%02d:%02d", at.getHour(), at.getMinute());
        long peakFor = Math.min(DAY, shape.peakFor().toSeconds());
        if (peak <= average || peakFor == DAY) {
            // no distinct peak: the average, shaped, never above the peak
            return new Site.Churn(new DataRate(average), shape.ioSize(), null, null, null, null, hourly(shape, w), null);
        }
        long start = at.toSecondOfDay();
        double outside = 0; // the weighted seconds of the day outside the peak window
        for (int h = 0; h < 24; h++) {
            long from = h * 3600L;
            long overlap = overlap(from, from + 3600, start, start + peakFor) + overlap(from, from + 3600, start - DAY, start + peakFor - DAY);
            outside += w[h] * (3600 - overlap);
        }
        double base = (average * (double) DAY - peak * (double) peakFor) / outside;
        if (base < 1) {
            // the peak alone writes the day's average: shorten it, nothing besides
            long lasting = Math.max(1, Math.round(average * (double) DAY / peak));
            return new Site.Churn(new DataRate(1), shape.ioSize(), null, null, null, null, List.of(),
                    List.of(new Site.Burst("peak", peakAt, Duration.ofSeconds(lasting), new DataRate(peak), null)));
        }
        long baseRate = Math.round(base);
        long atPeakHour = Math.round(baseRate * w[at.getHour()]);
        return new Site.Churn(new DataRate(baseRate), shape.ioSize(), null, null, null, null, hourly(shape, w),
                List.of(new Site.Burst("peak", peakAt, Duration.ofSeconds(peakFor), new DataRate(Math.max(0, peak - atPeakHour)), null)));
    }

    /** Where a disk's peak starts relative to the shape's {@code peakAt}: drawn within the spread from the seed, the VM and the disk. */
    static long shift(Plan.ChurnShape shape, long seed, String vm, String disk) {
        long spread = shape.peakSpread().toSeconds();
        if (spread <= 0) {
            return 0;
        }
        var stream = new io.replisim.simulator.kernel.RandomStreams(seed).stream("plan/peak/" + vm + "/" + disk);
        return stream.nextLong(spread + 1) - spread / 2;
    }

    /** The weights normalised to a mean of 1 (flat without any). */
    private static double[] weights(Plan.ChurnShape shape) {
        double[] w = new double[24];
        if (shape.hourly().isEmpty()) {
            java.util.Arrays.fill(w, 1);
            return w;
        }
        double sum = shape.hourly().stream().mapToDouble(Double::doubleValue).sum();
        for (int h = 0; h < 24; h++) {
            w[h] = shape.hourly().get(h) * 24 / sum;
        }
        return w;
    }

    private static List<Double> hourly(Plan.ChurnShape shape, double[] w) {
        return shape.hourly().isEmpty() ? List.of() : java.util.Arrays.stream(w).boxed().toList();
    }

    private static long overlap(long a0, long a1, long b0, long b1) {
        return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
    }

    /** A precision written {@code 5%} or {@code 0.05}, as a share; null if not one above 0 and at most 50%. */
    static Double precision(String text) {
        try {
            String t = text.trim();
            double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100 : Double.parseDouble(t);
            return v > 0 && v <= 0.5 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
