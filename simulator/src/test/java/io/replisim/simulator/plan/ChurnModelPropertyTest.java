package io.replisim.simulator.plan;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.replisim.simulator.scenario.DataSize;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An inventory's average and peak become a day whose mean is the average and whose busiest minute is the peak. */
class ChurnModelPropertyTest {
    @Test
    void theDayKeepsTheAverageAndReachesThePeak() {
        qt().withExamples(500).forAll(longs().between(1_000, 50_000_000), integers().between(100, 2_000),
                integers().between(1, 24 * 60 - 1), integers().between(0, 23 * 60 + 59))
                .checkAssert((average, peakPercent, peakMinutes, atMinute) -> {
                    long shift = (atMinute * 7919L) % 86_400 - 43_200; // a spread peak, anywhere in the day
                    long peak = average * peakPercent / 100;
                    Plan.ChurnShape shape = new Plan.ChurnShape(String.format("%02d:%02d", atMinute / 60, atMinute % 60),
                            Duration.ofMinutes(peakMinutes), Duration.ZERO, List.of(), DataSize.parse("64KiB"));
                    double[] day = Analytics.perMinute(ChurnModel.churn(shape, average, peak, shift), Analytics.MINUTES);
                    double sum = 0;
                    double max = 0;
                    for (double v : day) {
                        sum += v;
                        max = Math.max(max, v);
                    }
                    double mean = sum / day.length;
                    // rates are whole bytes a second and a shortened peak lasts whole seconds: a byte a second of
                    // rounding, a base of at least 1, and up to a second of the peak over the day
                    if (Math.abs(mean - average) > 2 + peak / 86_400.0) {
                        throw new AssertionError("mean " + mean + " for an average of " + average);
                    }
                    if (Math.abs(max - peak) > 2) {
                        throw new AssertionError("busiest minute " + max + " for a peak of " + peak);
                    }
                });
    }
}
