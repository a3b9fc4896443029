package io.replisim.hyperv;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * A workload's write rate over time: the churn times the local hour's multiplier (or, with a
 * {@link WorkloadSpec.RateSeries}, the series' value, looping), plus the bursts whose window is
 * open. Piecewise constant; {@link #nextChange} gives where the current piece ends (a local hour,
 * the series' next sample, a burst's start or end, a change of the zone's offset), so the bytes
 * due over an interval are summed exactly, piece by piece, in long nanoseconds.
 */
final class RatePlan {

    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3600 * SECOND;
    private static final long DAY = 24 * HOUR;

    private final WorkloadSpec spec;
    private final ZoneRules rules;
    private final long[] hourRates = new long[24];
    private final long[] burstStarts;
    private final long[] burstLengths;
    /** Null without a recorded rate; with one, the hours' rates do not apply. */
    private final WorkloadSpec.RateSeries series;

    RatePlan(WorkloadSpec spec, ZoneId zone) {
        this.spec = spec;
        this.rules = zone.getRules();
        this.series = spec.rateSeries().orElse(null);
        for (int h = 0; h < 24; h++) {
            hourRates[h] = spec.hourlyBytesPerSecond(h);
        }
        int n = spec.bursts().size();
        burstStarts = new long[n];
        burstLengths = new long[n];
        for (int i = 0; i < n; i++) {
            WorkloadSpec.Burst b = spec.bursts().get(i);
            burstStarts[i] = b.start().toNanoOfDay();
            burstLengths[i] = b.length().toNanos();
        }
    }

    /** The piece last asked about: [{@link #pieceFrom}, {@link #pieceTo}) at {@link #pieceRate} (steps ask about the same one). */
    private long pieceFrom = Long.MAX_VALUE;
    private long pieceTo;
    private long pieceRate;

    /** The rate, in bytes per second, at {@code epochNanos}. */
    long rateAt(long epochNanos) {
        piece(epochNanos);
        return pieceRate;
    }

    /** Where the rate may next change after {@code epochNanos}, at most {@code limit}. */
    long nextChange(long epochNanos, long limit) {
        piece(epochNanos);
        return Math.min(pieceTo, limit);
    }

    /**
     * The highest rate the plan ever reaches (or a bound of it): the busiest hour (or the series'
     * highest sample) with every burst open.
     */
    long maxRate() {
        long rate = series != null ? series.maxBytesPerSecond() : 0;
        for (long r : hourRates) {
            rate = Math.max(rate, r);
        }
        for (WorkloadSpec.Burst b : spec.bursts()) {
            rate += b.bytesPerSecond();
        }
        return rate;
    }

    private void piece(long epochNanos) {
        if (epochNanos >= pieceFrom && epochNanos < pieceTo) {
            return;
        }
        pieceRate = computeRateAt(epochNanos);
        pieceTo = computeNextChange(epochNanos, Long.MAX_VALUE);
        pieceFrom = epochNanos;
    }

    private long computeRateAt(long epochNanos) {
        long local = local(epochNanos);
        long nanoOfDay = Math.floorMod(local, DAY);
        long day = Math.floorDiv(local, DAY);
        long rate = series != null ? series.rateAt(epochNanos) : hourRates[(int) (nanoOfDay / HOUR)];
        for (int i = 0; i < burstStarts.length; i++) {
            long into = Math.floorMod(nanoOfDay - burstStarts[i], DAY);
            if (into < burstLengths[i]) {
                long startDay = nanoOfDay >= burstStarts[i] ? day : day - 1;
                if (spec.bursts().get(i).days().contains(dayOfWeek(startDay))) {
                    rate += spec.bursts().get(i).bytesPerSecond();
                }
            }
        }
        return rate;
    }

    private long computeNextChange(long epochNanos, long limit) {
        long nanoOfDay = Math.floorMod(local(epochNanos), DAY);
        long delta = series != null ? DAY : HOUR - nanoOfDay % HOUR;
        for (int i = 0; i < burstStarts.length; i++) {
            long into = Math.floorMod(nanoOfDay - burstStarts[i], DAY);
            delta = Math.min(delta, into < burstLengths[i] ? burstLengths[i] - into
                    : Math.floorMod(burstStarts[i] - nanoOfDay, DAY));
        }
        long next = epochNanos + delta;
        if (series != null) {
            next = Math.min(next, series.nextChange(epochNanos));
        }
        ZoneOffsetTransition t = rules.nextTransition(instant(epochNanos));
        if (t != null) {
            next = Math.min(next, HrlFormat.epochNanos(t.getInstant()));
        }
        return Math.min(next, limit);
    }

    private long local(long epochNanos) {
        return epochNanos + rules.getOffset(instant(epochNanos)).getTotalSeconds() * SECOND;
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, SECOND), Math.floorMod(epochNanos, SECOND));
    }

    /** 1970-01-01, epoch day 0, was a Thursday. */
    private static DayOfWeek dayOfWeek(long epochDay) {
        return DayOfWeek.of((int) Math.floorMod(epochDay + 3, 7) + 1);
    }
}
