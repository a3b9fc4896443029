package io.replisim.hyperv;

import static io.replisim.hyperv.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.replisim.hyperv.WorkloadSpec.Burst;
import io.replisim.hyperv.WorkloadSpec.RateSeries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** A recorded rate series: read in a loop, pieces end at its samples, and the bytes due are its integral plus the bursts. */
class RateSeriesTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long DAY = 86_400 * SECOND;
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final long T0 = Instant.parse("2026-01-05T07:00:00Z").getEpochSecond() * SECOND;

    /** A series of 1-6 samples (gaps of 1 s to 3 h, rates up to 8 MiB/s), a burst or not, and an interval to sum over. */
    record Case(long[] times, long[] rates, long period, Burst burst, long from, long to) {
        @Override
        public String toString() {
            return "times " + java.util.Arrays.toString(times) + " rates " + java.util.Arrays.toString(rates) + " period "
                    + period + " burst " + burst + " [" + from + ", " + to + ")";
        }
    }

    private static Gen<Case> cases() {
        Gen<List<Integer>> gaps = lists().of(integers().between(1, 3 * 3600)).ofSizeBetween(1, 6);
        Gen<List<Integer>> rates = lists().of(integers().between(0, 8 << 20)).ofSize(6);
        return gaps.zip(rates, integers().between(1, 7200), integers().between(-1, 23 * 60),
                integers().between(-3 * 86_400, 86_400), (g, r, tail, burstAt, offset) -> {
                    long[] times = new long[g.size()];
                    long[] values = new long[g.size()];
                    long t = T0 + (long) (g.get(0) - 1) * 997 * SECOND; // the series may start before or after T0
                    for (int i = 0; i < times.length; i++) {
                        t += i == 0 ? 0 : (long) g.get(i) * SECOND;
                        times[i] = t;
                        values[i] = r.get(i);
                    }
                    long period = times[times.length - 1] - times[0] + tail * SECOND + 123;
                    Burst burst = burstAt < 0 ? null
                            : Burst.daily("b", LocalTime.ofSecondOfDay(burstAt * 60L), Duration.ofMinutes(45), 3 << 20);
                    long from = T0 + offset * SECOND + 7;
                    long to = from + (long) (g.get(g.size() - 1) + tail) * 17 * SECOND + 999_999_999L;
                    return new Case(times, values, period, burst, from, to);
                });
    }

    private static WorkloadSpec spec(Case c) {
        WorkloadSpec.Builder b = WorkloadSpec.builder().setRateSeries(new RateSeries(c.times(), c.rates(), c.period()));
        if (c.burst() != null) {
            b.addBurst(c.burst());
        }
        return b.build();
    }

    @Test
    void piecesAreConstantEndAtEverySampleAndSumToTheSeriesIntegralPlusTheBursts() {
        qt().withFixedSeed(20260105L).withExamples(300).forAll(cases()).checkAssert(c -> {
            RatePlan plan = new RatePlan(spec(c), UTC);
            BigInteger sum = BigInteger.ZERO;
            TreeSet<Long> ends = new TreeSet<>();
            for (long t = c.from(); t < c.to(); ) {
                long next = plan.nextChange(t, c.to());
                assertTrue(next > t, "a piece moves on");
                assertEquals(plan.rateAt(t), plan.rateAt(next - 1), "constant over [" + t + ", " + next + ")");
                sum = sum.add(BigInteger.valueOf(plan.rateAt(t)).multiply(BigInteger.valueOf(next - t)));
                ends.add(next);
                t = next;
            }
            assertEquals(integral(c), sum, "byte-nanoseconds over the interval");
            for (long b : boundaries(c)) {
                assertTrue(ends.contains(b), "a piece ends at the sample boundary " + b);
            }
            long max = 0;
            for (long r : c.rates()) {
                max = Math.max(max, r);
            }
            assertEquals(max + (c.burst() == null ? 0 : c.burst().bytesPerSecond()), plan.maxRate());
        });
    }

    @Test
    void aWorkloadWritesTheSeriesIntegralInWholeIos() { // counted (flow fidelity): the bytes due are the same in every fidelity
        qt().withFixedSeed(7L).withExamples(40).forAll(cases(), integers().between(1, 120)).checkAssert((c, step) -> {
            WorkloadSpec spec = spec(c).toBuilder().setIoSizeBytes(256 * 1024).build();
            TestClock clock = new TestClock(instant(c.from()));
            try (HyperVHost host = Fixtures.host(clock, 64 * MIB, Fidelity.FLOW)) {
                Workload w = new Workload(host.createVm("vm1", "C").addDisk("disk0", 32 * MIB), spec,
                        new SplittableRandom(1), 1, clock, UTC);
                for (long t = c.from(); t < c.to(); ) {
                    long next = Math.min(c.to(), t + step * SECOND + 1);
                    clock.advance(Duration.ofNanos(next - t));
                    w.advance(next - t);
                    t = next;
                }
                long due = integral(c).divide(BigInteger.valueOf(SECOND)).longValueExact();
                assertEquals(due / spec.ioSizeBytes() * spec.ioSizeBytes(), w.bytesWritten());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void aSeriesLoopsFromItsFirstSampleBeforeAndAfterIt() throws IOException {
        // 0 from 0s, 10 KiB/s from 60s, 20 KiB/s from 120s to 300s; then again
        long[] times = {T0, T0 + 60 * SECOND, T0 + 120 * SECOND};
        long[] rates = {0, 10 << 10, 20 << 10};
        WorkloadSpec spec = WorkloadSpec.builder().setRateSeries(new RateSeries(times, rates, 300 * SECOND)).build();
        try (HyperVHost host = Fixtures.host(new TestClock(), 64 * MIB, Fidelity.MODEL)) {
            Workload w = new Workload(host.createVm("vm1", "C").addDisk("disk0", 8 * MIB), spec, new SplittableRandom(1), 1,
                    new TestClock(), UTC);
            assertEquals(20 << 10, w.bytesPerSecondAt(instant(T0 - SECOND)), "before the first sample: the loop's end");
            assertEquals(0, w.bytesPerSecondAt(instant(T0 + 300 * SECOND)), "the loop starts again");
            assertEquals(10 << 10, w.bytesPerSecondAt(instant(T0 + 3 * 300 * SECOND + 61 * SECOND)));
            assertEquals(20 << 10, w.bytesPerSecondAt(instant(T0 - 300 * SECOND + 150 * SECOND)));
            assertEquals(instant(T0 + 60 * SECOND), w.rateChangesAfter(instant(T0)));
            assertEquals(instant(T0 + 300 * SECOND), w.rateChangesAfter(instant(T0 + 200 * SECOND)), "the loop's restart");
            assertEquals(instant(T0), w.rateChangesAfter(instant(T0 - 10 * SECOND)));
            assertEquals(20 << 10, w.maxBytesPerSecond());
        }
    }

    @Test
    void aSpecWithASeriesIsComparedDerivedAndDescribedWithIt() {
        RateSeries series = new RateSeries(new long[] {T0, T0 + SECOND}, new long[] {1, 2}, 2 * SECOND);
        WorkloadSpec spec = WorkloadSpec.builder().setRateSeries(series).setIoSizeBytes(8192).build();
        assertEquals(spec, spec.toBuilder().build());
        assertEquals(spec.hashCode(), spec.toBuilder().build().hashCode());
        assertEquals(series, new RateSeries(new long[] {T0, T0 + SECOND}, new long[] {1, 2}, 2 * SECOND));
        assertNotEquals(spec, spec.toBuilder().clearRateSeries().build());
        assertNotEquals(spec, spec.toBuilder().setRateSeries(new RateSeries(new long[] {T0}, new long[] {1}, SECOND)).build());
        assertTrue(spec.toString().contains("rateSeries=RateSeries{samples=2"), spec.toString());
        assertTrue(spec.followsTheClock());
        assertEquals(series, spec.rateSeries().orElseThrow());
        assertTrue(WorkloadSpec.churn(MIB).rateSeries().isEmpty());
        assertTrue(!WorkloadSpec.churn(MIB).followsTheClock());
    }

    @Test
    void aSeriesReplacesTheChurnAndItsDailyPatternAndIsChecked() {
        RateSeries series = new RateSeries(new long[] {T0}, new long[] {1}, SECOND);
        assertThrows(IllegalStateException.class,
                () -> WorkloadSpec.builder().setChurnBytesPerSecond(MIB).setRateSeries(series).build());
        double[] flat = new double[24];
        java.util.Arrays.fill(flat, 1);
        assertThrows(IllegalStateException.class,
                () -> WorkloadSpec.builder().setHourlyMultipliers(flat).setRateSeries(series).build());
        assertThrows(IllegalArgumentException.class, () -> new RateSeries(new long[] {}, new long[] {}, SECOND));
        assertThrows(IllegalArgumentException.class, () -> new RateSeries(new long[] {2, 1}, new long[] {1, 1}, 10));
        assertThrows(IllegalArgumentException.class, () -> new RateSeries(new long[] {1}, new long[] {-1}, 10));
        assertThrows(IllegalArgumentException.class, () -> new RateSeries(new long[] {0, 10}, new long[] {1, 1}, 10),
                "the last sample needs a time of its own");
        assertThrows(IllegalArgumentException.class,
                () -> new RateSeries(new long[] {0}, new long[] {WorkloadSpec.MAX_CHURN_BYTES_PER_SECOND + 1}, 10));
    }

    /** The byte-nanoseconds over [from, to): each loop's samples, then the burst's daily windows, intersected with it. */
    private static BigInteger integral(Case c) {
        long first = c.times()[0];
        BigInteger sum = BigInteger.ZERO;
        for (long k = Math.floorDiv(c.from() - first, c.period()); k <= Math.floorDiv(c.to() - 1 - first, c.period()); k++) {
            long loop = first + k * c.period();
            for (int i = 0; i < c.times().length; i++) {
                long start = loop + c.times()[i] - first;
                long end = i + 1 < c.times().length ? loop + c.times()[i + 1] - first : loop + c.period();
                sum = sum.add(overlap(start, end, c).multiply(BigInteger.valueOf(c.rates()[i])));
            }
        }
        Burst b = c.burst();
        if (b != null) {
            for (long d = Math.floorDiv(c.from(), DAY) - 1; d <= Math.floorDiv(c.to(), DAY); d++) {
                long start = d * DAY + b.start().toNanoOfDay();
                sum = sum.add(overlap(start, start + b.length().toNanos(), c).multiply(BigInteger.valueOf(b.bytesPerSecond())));
            }
        }
        return sum;
    }

    private static BigInteger overlap(long start, long end, Case c) {
        return BigInteger.valueOf(Math.max(0, Math.min(end, c.to()) - Math.max(start, c.from())));
    }

    /** Every time in (from, to) where a sample starts, or a loop does. */
    private static List<Long> boundaries(Case c) {
        List<Long> all = new ArrayList<>();
        long first = c.times()[0];
        for (long k = Math.floorDiv(c.from() - first, c.period()); k <= Math.floorDiv(c.to() - first, c.period()); k++) {
            for (long t : c.times()) {
                long b = first + k * c.period() + t - first;
                if (b > c.from() && b < c.to()) {
                    all.add(b);
                }
            }
        }
        return all;
    }

    private static Instant instant(long epochNanos) {
        return HrlFormat.instant(epochNanos);
    }
}
