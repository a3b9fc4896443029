package io.replisim.simulator.plan;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;

/**
 * The bandwidth search's bracketing against oracles whose thresholds are known: whatever the
 * thresholds and wherever the search starts, every answer meets its target and lies within
 * the precision (and the rounding of probes) above the threshold.
 */
class BracketPropertyTest {
    private static final double PRECISION = 0.05;

    @Test
    void answersLieWithinThePrecisionAboveTheThresholds() {
        // the last generator packs whether the search starts warm (its low bit) and the 90% threshold's share of the 95%'s
        qt().withExamples(300).forAll(longs().between(1_000_000L, 5_000_000_000L), integers().between(50, 100),
                longs().between(600_000L, 20_000_000_000L), integers().between(100, 201))
                .checkAssert((t100, p95, guess, packed) -> {
                    int warm = packed % 2;
                    int p90 = packed / 2;
                    long t95 = t100 * p95 / 100;
                    long t90 = t95 * p90 / 100;
                    long[] thresholds = {t100, t95, t90};
                    BandwidthSearch.Bracket b = new BandwidthSearch.Bracket(0, 1, new long[] {guess, guess * 9 / 10, guess * 8 / 10},
                            warm == 1 ? 2 * PRECISION : 1.0, (long) 400e9, PRECISION);
                    int probes = 0;
                    for (var next = b.next(); !next.isEmpty(); next = b.next()) {
                        for (long bits : next) {
                            double within = bits >= t100 ? 1.0 : bits >= t95 ? 0.96 : bits >= t90 ? 0.92 : 0.5;
                            b.record(bits, new BandwidthSearch.Found(within, 0));
                            probes++;
                        }
                        b.advanced();
                        if (probes > 200) {
                            throw new AssertionError("no end after 200 probes");
                        }
                    }
                    Long[] answers = b.answers();
                    for (int q = 0; q < 3; q++) {
                        long threshold = Math.max(thresholds[q], BandwidthSearch.FLOOR_BITS);
                        if (answers[q] == null || answers[q] < thresholds[q] && answers[q] > BandwidthSearch.FLOOR_BITS) {
                            throw new AssertionError("target " + q + ": answer " + answers[q] + " below its threshold " + thresholds[q]);
                        }
                        // the answer meets; what fails is within the precision below it (plus 0.5% of rounding)
                        if (answers[q] > BandwidthSearch.FLOOR_BITS && answers[q] > threshold * (1 + PRECISION) * 1.005 + 1000) {
                            throw new AssertionError("target " + q + ": answer " + answers[q] + " too far above " + threshold);
                        }
                    }
                });
    }
}
