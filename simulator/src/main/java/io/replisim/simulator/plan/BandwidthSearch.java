package io.replisim.simulator.plan;

import io.replisim.simulator.replication.VmOutcome;
import io.replisim.simulator.scenario.Site;
import io.replisim.simulator.sweep.SweepEngine;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bandwidth each site needs to meet the target RPO 100%, 95% and 90% of the time, for each
 * seed: every probe simulates the site alone on a constant bandwidth (no schedule, no throttle,
 * the plan's outages within the search horizon) and finds the share of time its worst VM was
 * within the target. Assuming more bandwidth never hurts, each target's answer is bracketed
 * between a bandwidth that fails and one that meets it until the two are within the precision;
 * the answer is the one that meets. One probe serves all three targets. A round runs one probe
 * of every unfinished (site, seed) in parallel: the first seed searches from the rule of thumb,
 * the others start next to the first seed's answers.
 */
final class BandwidthSearch {
    static final double[] TARGETS = {1.0, 0.95, 0.90};
    /** The agent's lowest throttle: a site that meets the target at this bandwidth needs no more. */
    static final long FLOOR_BITS = 512_000;
    /** Searching stops this many times above where it started. */
    static final double CEILING_FACTOR = 32;

    private final PlanInput input;
    private final List<Long> seeds;
    private final SweepEngine engine;
    private final double precision;
    private final Duration horizon;
    private int probes;
    private double vmDays;

    /** Told the probes made so far after each round. */
    private final java.util.function.IntConsumer rounds;

    BandwidthSearch(PlanInput input, List<Long> seeds, SweepEngine engine, java.util.function.IntConsumer rounds) {
        this.rounds = rounds;
        this.input = input;
        this.seeds = seeds;
        this.engine = engine;
        Plan plan = input.plan();
        Double p = plan.search() == null || plan.search().precision() == null ? null : ChurnModel.precision(plan.search().precision());
        this.precision = p != null ? p : Plan.DEFAULT_PRECISION;
        Duration h = plan.search() != null && plan.search().horizon() != null ? plan.search().horizon() : Duration.ofDays(1);
        this.horizon = h.compareTo(plan.horizon()) < 0 ? h : plan.horizon();
    }

    /** Per site, per seed (in order), per target: the bandwidth needed in bits a second, or null if not reached. */
    record Result(List<List<Long[]>> needed, int probes, double vmDays, Duration horizon, double precision) {}

    /** A probe: site {@code site} at {@code bits} with {@code seed}. */
    record Probe(int site, long seed, long bits) implements Serializable {}

    /** What a probe found: the worst VM's share of time within the target RPO, and the resyncs. */
    record Found(double worstWithin, long resyncs) implements Serializable {}

    /** One (site, seed)'s brackets: per target the highest bandwidth known to fail and the lowest known to meet. */
    static final class Bracket {
        final int site;
        final long seed;
        final long[] fails = new long[TARGETS.length];
        final long[] meets = new long[TARGETS.length];
        final double[] step = new double[TARGETS.length];
        final boolean[] stepped = new boolean[TARGETS.length];
        final long ceiling;
        final TreeMap<Long, Found> found = new TreeMap<>();

        /** Where each target's search starts. */
        final long[] guess;

        /** Whether the search starts next to an earlier seed's answers. */
        final boolean warm;
        final double precision;

        Bracket(int site, long seed, long[] guess, double firstStep, long ceiling, double precision) {
            this.precision = precision;
            this.warm = firstStep < 1;
            this.site = site;
            this.seed = seed;
            this.ceiling = ceiling;
            this.guess = guess.clone();
            for (int q = 0; q < TARGETS.length; q++) {
                meets[q] = Long.MAX_VALUE;
                step[q] = firstStep;
                this.guess[q] = round(Math.max(FLOOR_BITS, guess[q]));
            }
        }

        void record(long bits, Found f) {
            found.put(bits, f);
            for (int q = 0; q < TARGETS.length; q++) {
                if (f.worstWithin() >= TARGETS[q] - 1e-12) {
                    meets[q] = Math.min(meets[q], bits);
                } else {
                    fails[q] = Math.max(fails[q], bits);
                }
            }
        }

        boolean done(int q) {
            if (meets[q] <= FLOOR_BITS) {
                return true;
            }
            if (fails[q] >= ceiling()) {
                return true; // not reached
            }
            return meets[q] != Long.MAX_VALUE && fails[q] > 0 && meets[q] - fails[q] <= precision * meets[q];
        }

        long ceiling() {
            return ceiling;
        }

        /**
         * The bandwidths to probe next, one per unsettled target (fewer when they coincide);
         * empty when every target is bracketed. A search that starts next to an answer probes
         * it and one precision below together, which settles a stable target at once.
         */
        java.util.SortedSet<Long> next() {
            java.util.SortedSet<Long> probes = new java.util.TreeSet<>();
            for (int q = 0; q < TARGETS.length; q++) {
                while (!done(q)) {
                    long bits;
                    if (meets[q] == Long.MAX_VALUE && fails[q] == 0) {
                        bits = round(guess[q]);
                        if (warm && !found.containsKey(bits)) {
                            // rounded up, so that a stable answer is bracketed within the precision by these two
                            probes.add(roundUp(Math.max(FLOOR_BITS, (long) Math.ceil(round(guess[q]) * (1 - precision)))));
                        }
                    } else if (meets[q] == Long.MAX_VALUE) {
                        bits = Math.min(ceiling, round((long) (fails[q] * (1 + step[q])))); // up, in steps that double
                        stepped[q] = true;
                    } else if (fails[q] == 0) {
                        bits = round(Math.max(FLOOR_BITS, (long) (meets[q] / (1 + step[q])))); // down, likewise
                        stepped[q] = true;
                    } else {
                        bits = round(fails[q] + (meets[q] - fails[q]) / 2);
                    }
                    if (!found.containsKey(bits)) {
                        probes.add(bits);
                        break;
                    }
                    // rounding led back to a probe made: its result settles this target as far as it can go
                    if (meets[q] != Long.MAX_VALUE && fails[q] > 0) {
                        fails[q] = Math.max(fails[q], meets[q] - (long) (precision * meets[q]));
                    } else {
                        step[q] *= 2;
                    }
                }
            }
            return probes;
        }

        /** A round's probes came back: the steps taken double, so a far answer is reached in few rounds. */
        void advanced() {
            for (int q = 0; q < TARGETS.length; q++) {
                if (stepped[q]) {
                    step[q] *= 2;
                    stepped[q] = false;
                }
            }
        }

        Long[] answers() {
            Long[] a = new Long[TARGETS.length];
            for (int q = 0; q < TARGETS.length; q++) {
                a[q] = meets[q] == Long.MAX_VALUE || fails[q] >= ceiling ? null : meets[q];
            }
            return a;
        }
    }

    /** Up to 3 significant digits. */
    static long roundUp(long bits) {
        long r = round(bits);
        if (r >= bits) {
            return r;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(bits)) - 2);
        return (long) (Math.ceil(bits / magnitude) * magnitude);
    }

    /** To 3 significant digits, at least 1 kbps: probes are simulations worth reusing. */
    static long round(long bits) {
        if (bits < 1000) {
            return 1000;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(bits)) - 2);
        return (long) (Math.round(bits / magnitude) * magnitude);
    }

    Result run() throws Exception {
        List<Site> sites = input.sites();
        List<List<Long[]>> needed = new ArrayList<>();
        Map<Integer, Long[]> first = new HashMap<>();
        List<Bracket> all = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            needed.add(new ArrayList<>());
        }
        // the first seed from the rule of thumb, in steps that double
        List<Bracket> firstSeed = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            long rule = (long) ruleOfThumbBits(i);
            long ceiling = (long) Math.min(400e9, Math.max(rule, FLOOR_BITS) * CEILING_FACTOR);
            firstSeed.add(new Bracket(i, seeds.get(0), new long[] {rule, rule, rule}, 1.0, ceiling, precision));
        }
        if (unreachable100()) { // settled before any probe: not reached
            firstSeed.forEach(b -> b.fails[0] = b.ceiling());
        }
        search(firstSeed);
        for (Bracket b : firstSeed) {
            first.put(b.site, b.answers());
        }
        // the other seeds next to the first seed's answers, in steps of twice the precision
        List<Bracket> others = new ArrayList<>();
        for (Long seed : seeds.subList(1, seeds.size())) {
            for (int i = 0; i < sites.size(); i++) {
                Long[] a = first.get(i);
                long[] guess = new long[TARGETS.length];
                for (int q = 0; q < TARGETS.length; q++) {
                    guess[q] = a[q] != null ? a[q] : firstSeed.get(i).ceiling();
                }
                Bracket b = new Bracket(i, seed, guess, 2 * precision, firstSeed.get(i).ceiling(), precision);
                if (unreachable100()) {
                    b.fails[0] = b.ceiling();
                }
                others.add(b);
            }
        }
        search(others);
        all.addAll(firstSeed);
        all.addAll(others);
        for (Bracket b : all) {
            needed.get(b.site).add(b.answers());
        }
        return new Result(needed, probes, vmDays, horizon, precision);
    }

    /** Rounds of probes until every bracket is settled. */
    private void search(List<Bracket> brackets) throws Exception {
        while (true) {
            List<Probe> round = new ArrayList<>();
            List<Bracket> of = new ArrayList<>();
            for (Bracket b : brackets) {
                for (long bits : b.next()) {
                    round.add(new Probe(b.site, b.seed, bits));
                    of.add(b);
                }
            }
            if (round.isEmpty()) {
                return;
            }
            PlanInput in = input;
            Duration h = horizon;
            List<Found> results = engine.map(round, p -> probe(in, p, h));
            probes += round.size();
            for (Probe p : round) {
                String site = input.plan().sites().get(p.site()).name();
                vmDays += input.inventory().vms().stream().filter(v -> v.site().equals(site)).count() * (h.toSeconds() / 86_400.0);
            }
            for (int i = 0; i < round.size(); i++) {
                of.get(i).record(round.get(i).bits(), results.get(i));
            }
            new java.util.LinkedHashSet<>(of).forEach(Bracket::advanced);
            rounds.accept(probes);
        }
    }

    static Found probe(PlanInput input, Probe p, Duration horizon) {
        var run = Planner.run(input.probe(p.site(), p.bits(), horizon, p.seed()), p.seed());
        double worst = 1;
        long resyncs = 0;
        for (VmOutcome o : run.outcomes()) {
            worst = Math.min(worst, o.rpoWithin(input.plan().targetRpo()));
            resyncs += o.summary().resyncs();
        }
        return new Found(worst, resyncs);
    }

    /**
     * Whether no bandwidth meets the target all of the time: a recovery point is a whole copy
     * interval old when the next one arrives, so a target not above the interval is passed every cycle.
     */
    boolean unreachable100() {
        Plan plan = input.plan();
        Duration copy = plan.policy() != null && plan.policy().copyFrequency() != null ? plan.policy().copyFrequency()
                : io.replisim.simulator.scenario.Policy.DEFAULT.copyFrequency();
        return plan.targetRpo().compareTo(copy) <= 0;
    }

    /** The rule of thumb for site {@code i}: the sum of its disks' peak churn, in bits a second. */
    double ruleOfThumbBits(int i) {
        String site = input.plan().sites().get(i).name();
        return input.inventory().vms().stream().filter(v -> v.site().equals(site))
                .mapToDouble(v -> v.disks().stream().mapToDouble(d -> Analytics.peakBytesPerSecond(input, v, d) * 8.0).sum()).sum();
    }
}
