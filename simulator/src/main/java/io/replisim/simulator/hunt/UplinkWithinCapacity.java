package io.replisim.simulator.hunt;

import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.Site;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Each site's uplink carries no more than the scenario lets it, and shares it max-min fairly
 * (docs/domain.md, Bandwidth and throttling; docs/trace.md on {@code transfer.*}). The capacity
 * comes from the scenario alone ({@link ScenarioCapacity}: bandwidth or profile, schedule,
 * throttle in the scenario's time zone, 0 during the site's network outages), never from the
 * stack's {@code uplink.capacity} events, which are checked against it instead:
 * <ol>
 *   <li><b>told capacity</b>: every {@code uplink.capacity} names the capacity from its instant on
 *       (the last one at an instant counts), and every change of it is told at its instant;</li>
 *   <li><b>within capacity</b>: a transfer's bytes flow after its {@code transfer.started} plus
 *       the uplink's {@code latency} (a request waits that long before its data flows) and have
 *       all arrived by its {@code transfer.finished}; those counted by a {@code transfer.progress}
 *       by then. The bytes so bounded must fit: for every window, the bytes that flowed within it
 *       are at most the integral of the capacity over it. All windows are judged at once by
 *       scheduling the bytes earliest-deadline-first on the capacity (optimal for one shared
 *       resource: if it misses a deadline, some window is overloaded, and it is reported);</li>
 *   <li><b>fair shares</b>: where the trace shows every flow, the fluid model is replayed, the
 *       capacity shared equally among the flows, each starting after its request's latency. A log
 *       is one flow; a VM's logs shipped together take at most {@code uploadThreads} at once, the
 *       next asked for when one ends (none after a failed one). A disk-sized transfer travels in
 *       pieces ({@link Pieces}), at most {@code uploadThreads} at once, the next asked for when one
 *       arrives. A {@code transfer.finished} must come when the replayed share has delivered its
 *       bytes (a disk's, with its last piece), a log's {@code transfer.failed} not after. A busy
 *       period of the site (transfers back to back) is replayed only if everything in it is known
 *       exactly; a copy of a disk's used part, a failback, a disk-sized transfer with a failed
 *       piece (its retry does not show), a transfer that never ends (cancelled) or a VM's batch
 *       that starts before its previous one ended leaves its period unjudged. The stack computes
 *       rates in whole bits per second and volumes in whole bits, so each flow may lag its exact
 *       share by a bit per second of its life and a bit per rate change, and a piece by a bit more;
 *       a flow that lags passes its lag on to the flows it shares with, so the tolerance is twice
 *       the sum over the busy period so far, plus 8 bits.</li>
 * </ol>
 * Each part reports at most its first violation per site.
 */
public final class UplinkWithinCapacity implements Invariant {
    public static final String NAME = "uplink-within-capacity";
    private static final double NANOS = 1e9;

    @Override
    public String name() {
        return NAME;
    }

    /** One attempt at a transfer, from its {@code transfer.started}. */
    private static final class Attempt {
        final String vm;
        final String disk;
        final String id;
        final String kind;
        final boolean log;
        final long requested;
        final long bytes;
        final long seq;
        long done;
        long end = -1;
        long endSeq = -1;
        boolean failed;
        /** A piece of this disk-sized transfer failed: it was sent again, when the trace does not say. */
        boolean pieceFailed;

        Attempt(TraceLine l) {
            vm = l.vm();
            disk = l.disk();
            id = l.str("transfer");
            kind = String.valueOf(l.str("kind"));
            log = "log".equals(kind);
            requested = l.t();
            bytes = l.num("bytes");
            seq = l.seq();
        }
    }

    /** Bytes that flowed after {@code release} and had arrived by {@code deadline}, told at {@code seq}. */
    private record Job(long release, long deadline, long bits, long seq, String what) {}

    /** What one site's part of the trace says of its uplink. */
    private static final class SiteLink {
        final Site site;
        final long latency;
        final int threads;
        final List<Attempt> attempts = new ArrayList<>();
        final Map<String, Attempt> open = new HashMap<>();
        final List<Job> jobs = new ArrayList<>();
        final List<TraceLine> told = new ArrayList<>();
        final ScenarioCapacity capacity;
        final Pieces pieces;
        /** The site's last event: what it did after that (its run had ended) is not known. */
        long end = Long.MIN_VALUE;
        boolean overloaded;
        boolean unfair;

        SiteLink(Scenario scenario, Site site) {
            this.site = site;
            this.latency = site.uplink().effectiveLatency().toNanos();
            this.threads = site.uplink().effectiveUploadThreads();
            // a run ends at most 30 days of draining after the workload
            long start = ScenarioCapacity.epochNanos(scenario.start().toInstant());
            this.capacity = ScenarioCapacity.of(scenario, site, start + scenario.duration().plusDays(31).toNanos());
            this.pieces = new Pieces(scenario, site);
        }

        /**
         * Judges what was sent up to now, the link idle (no transfer open): no window and no busy
         * period reaches across an idle instant, so what was read can go.
         */
        void judge(List<Violation> found) {
            withinCapacity(this, found);
            fairShares(this, found);
            attempts.clear();
            jobs.clear();
        }
    }

    @Override
    public List<Violation> check(RunEvidence run) {
        Scenario scenario = run.scenario();
        Map<String, SiteLink> sites = new LinkedHashMap<>();
        Map<String, SiteLink> byHost = new HashMap<>();
        Map<String, SiteLink> byVm = new HashMap<>();
        for (Site s : scenario.effectiveSites()) {
            SiteLink link = new SiteLink(scenario, s);
            sites.put(s.effectiveName(), link);
            if (s.hosts() != null) {
                for (Site.Host h : s.hosts()) {
                    byHost.put(h.name(), link);
                    if (h.vms() != null) {
                        h.vms().forEach(v -> byVm.put(v.name(), link));
                    }
                }
            }
        }
        List<Violation> found = new ArrayList<>();
        for (TraceLine l : run.trace()) {
            SiteLink s = l.str("site") != null ? sites.get(l.str("site"))
                    : l.host() != null ? byHost.get(l.host()) : l.vm() != null ? byVm.get(l.vm()) : null;
            if (s == null) {
                continue;
            }
            s.end = Math.max(s.end, l.t());
            if (l.is("uplink.capacity")) {
                s.told.add(l);
            } else if (l.type().startsWith("transfer.")) {
                read(l, s);
                if (s.open.isEmpty()) {
                    s.judge(found);
                }
            }
        }
        for (SiteLink s : sites.values()) {
            s.judge(found); // what never ended: cancelled, or cut by the run's end
            toldCapacity(s, found);
        }
        found.sort(Comparator.comparingLong(Violation::seq));
        return found;
    }

    private static void read(TraceLine l, SiteLink s) {
        String key = l.vm() + "|" + l.str("transfer");
        switch (l.type()) {
            case "transfer.started" -> {
                // the VM's attempts from before that never ended were dropped (a VM sends one batch at a time)
                s.open.values().removeIf(o -> o.vm.equals(l.vm()) && o.requested < l.t());
                Attempt a = new Attempt(l);
                s.attempts.add(a);
                s.open.put(key, a);
            }
            case "transfer.progress", "transfer.finished" -> {
                Attempt a = s.open.get(key);
                if (a == null) {
                    return;
                }
                long done = l.is("transfer.finished") ? a.bytes : l.num("bytesDone");
                if (done > a.done) {
                    s.jobs.add(new Job(a.requested + s.latency, l.t(), (done - a.done) * 8, l.seq(),
                            a.id + (l.is("transfer.finished") ? "" : " (to " + done + " bytes)")));
                    a.done = done;
                }
                if (l.is("transfer.finished")) {
                    a.end = l.t();
                    a.endSeq = l.seq();
                    s.open.remove(key);
                }
            }
            case "transfer.failed" -> {
                Attempt a = s.open.get(key);
                if (a != null && a.log) { // a log is one piece: its attempt is over; a disk's goes on
                    a.end = l.t();
                    a.endSeq = l.seq();
                    a.failed = true;
                    s.open.remove(key);
                } else if (a != null) {
                    a.pieceFailed = true;
                }
            }
            default -> { }
        }
    }

    // ---- 1. the capacity the stack tells ---------------------------------------------------------

    private static void toldCapacity(SiteLink s, List<Violation> found) {
        ScenarioCapacity capacity = s.capacity;
        // the last event at each instant is what holds from then on
        Map<Long, TraceLine> lastAt = new LinkedHashMap<>();
        for (TraceLine l : s.told) {
            lastAt.put(l.t(), l);
        }
        long firstTold = s.told.isEmpty() ? Long.MAX_VALUE : s.told.get(0).t();
        for (TraceLine l : lastAt.values()) {
            long expected = capacity.bitsPerSecond(l.t());
            if (l.num("bitsPerSecond") != expected) {
                found.add(new Violation(NAME, l.seq(), "the uplink of " + s.site.effectiveName() + " is told to carry "
                        + l.num("bitsPerSecond") + " bit/s from " + l.time() + " (" + l.str("reason") + "), but the scenario gives "
                        + expected + " bit/s"));
                return;
            }
        }
        int toldBefore = -1; // the last told event before the change looked at
        for (long[] change : capacity.changes()) {
            while (toldBefore + 1 < s.told.size() && s.told.get(toldBefore + 1).t() < change[0]) {
                toldBefore++;
            }
            if (change[0] >= firstTold && change[0] <= s.end && !lastAt.containsKey(change[0])) {
                found.add(new Violation(NAME, toldBefore < 0 ? 0 : s.told.get(toldBefore).seq(), "the scenario changes the uplink of "
                        + s.site.effectiveName() + " to " + change[1] + " bit/s at " + iso(change[0])
                        + ", but no uplink.capacity tells it"));
                return;
            }
        }
    }

    // ---- 2. no window carries more than its capacity ---------------------------------------------

    private static void withinCapacity(SiteLink s, List<Violation> found) {
        ScenarioCapacity capacity = s.capacity;
        List<Job> jobs = s.jobs.stream().filter(j -> j.bits() > 0).toList();
        if (jobs.isEmpty() || s.overloaded) {
            return;
        }
        int n = jobs.size();
        double[] release = new double[n];
        double[] deadline = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            Job j = jobs.get(i);
            if (j.release() > j.deadline()) {
                found.add(new Violation(NAME, j.seq(), j.what() + " of " + s.site.effectiveName() + " delivered " + j.bits() / 8
                        + " bytes by " + iso(j.deadline()) + ", before they could flow (" + iso(j.release())
                        + ", its start plus the latency)"));
                s.overloaded = true;
                return;
            }
            // in units of capacity: the link does one bit of work per bit it may carry
            release[i] = capacity.bitsUntil(j.release());
            deadline[i] = capacity.bitsUntil(j.deadline());
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> release[i]));
        PriorityQueue<Integer> ready = new PriorityQueue<>(Comparator.comparingDouble((Integer i) -> deadline[i])
                .thenComparingLong(i -> jobs.get(i).seq()));
        double[] left = new double[n];
        double u = 0;
        int next = 0;
        while (next < n || !ready.isEmpty()) {
            if (ready.isEmpty()) {
                u = Math.max(u, release[order[next]]);
            }
            while (next < n && release[order[next]] <= u) {
                int i = order[next++];
                left[i] = jobs.get(i).bits();
                ready.add(i);
            }
            int i = ready.peek();
            double until = next < n ? release[order[next]] : Double.POSITIVE_INFINITY;
            double work = Math.min(left[i], until - u);
            left[i] -= work;
            u += work;
            if (left[i] <= 0) {
                ready.poll();
                if (u > deadline[i] + tolerance(deadline[i])) {
                    found.add(overloaded(s, capacity, jobs, jobs.get(i)));
                    s.overloaded = true;
                    return;
                }
            }
        }
    }

    /** Slack for rounding the capacity's integral in doubles: a byte, and a part in 10^12. */
    private static double tolerance(double bits) {
        return 8 + bits * 1e-12;
    }

    /** The window ending at {@code missed}'s deadline that carried most beyond its capacity. */
    private static Violation overloaded(SiteLink s, ScenarioCapacity capacity, List<Job> jobs, Job missed) {
        List<Job> within = new ArrayList<>(jobs.stream().filter(j -> j.deadline() <= missed.deadline()).toList());
        within.sort(Comparator.comparingLong(Job::release).reversed());
        double until = capacity.bitsUntil(missed.deadline());
        long demand = 0;
        double worst = Double.NEGATIVE_INFINITY;
        long from = missed.release();
        long carried = 0;
        double allowed = 0;
        int count = 0;
        int worstCount = 0;
        for (Job j : within) {
            demand += j.bits();
            count++;
            double room = until - capacity.bitsUntil(j.release());
            if (demand - room > worst) {
                worst = demand - room;
                from = j.release();
                carried = demand;
                allowed = room;
                worstCount = count;
            }
        }
        return new Violation(NAME, missed.seq(), "the uplink of " + s.site.effectiveName() + " carried at least "
                + carried / 8 + " bytes (" + worstCount + " transfers or parts, up to " + missed.what() + ") between "
                + iso(from) + " and " + iso(missed.deadline()) + ", but the scenario lets it carry "
                + (long) Math.floor(allowed / 8) + " bytes then");
    }

    // ---- 3. max-min fair shares where the flows are known ----------------------------------------

    /**
     * A flow of the replay: a log, which ends when the trace says and is judged then; or a piece of
     * a disk-sized transfer, which ends when its share has delivered it.
     */
    private static final class Flow {
        final Attempt attempt;
        final PieceBatch batch;
        final int transfer;
        final long begin;
        final long order;
        double left;
        double zeroAt = Double.NaN;

        Flow(Attempt attempt, PieceBatch batch, int transfer, long begin, long bytes, long order) {
            this.attempt = attempt;
            this.batch = batch;
            this.transfer = transfer;
            this.begin = begin;
            this.order = order;
            this.left = bytes * 8.0;
        }
    }

    /**
     * A VM's disk-sized transfers started together: their pieces, in order, at most
     * {@code threads} at once, the next asked for when one arrives.
     */
    private static final class PieceBatch {
        final List<Attempt> transfers;
        final java.util.ArrayDeque<long[]> queue = new java.util.ArrayDeque<>(); // {bytes, transfer}
        final int[] piecesLeft;
        final long[] arrived;
        int pieces;

        PieceBatch(List<Attempt> transfers) {
            this.transfers = transfers;
            this.piecesLeft = new int[transfers.size()];
            this.arrived = new long[transfers.size()];
            Arrays.fill(arrived, -1);
        }

        void add(int transfer, long bytes) {
            queue.add(new long[] {bytes, transfer});
            piecesLeft[transfer]++;
            pieces++;
        }
    }

    /** An interval of the site's timeline: a log's flow, a batch of pieces, or (both null) a stretch not judged. */
    private record Span(long begin, long end, Flow flow, PieceBatch batch) {
        boolean known() {
            return flow != null || batch != null;
        }
    }

    private static void fairShares(SiteLink s, List<Violation> found) {
        if (s.unfair) {
            return;
        }
        List<Span> spans = new ArrayList<>();
        Map<String, List<Attempt>> byVm = new LinkedHashMap<>();
        for (Attempt a : s.attempts) {
            byVm.computeIfAbsent(a.vm, k -> new ArrayList<>()).add(a);
        }
        for (List<Attempt> vm : byVm.values()) {
            spansOfVm(s, s.pieces, vm, spans);
        }
        spans.sort(Comparator.comparingLong(Span::begin));
        int i = 0;
        while (i < spans.size()) {
            // a busy period: spans back to back; judged if every span in it is known
            long periodEnd = spans.get(i).end();
            boolean judged = spans.get(i).known();
            int j = i + 1;
            while (j < spans.size() && spans.get(j).begin() <= periodEnd) {
                periodEnd = Math.max(periodEnd, spans.get(j).end());
                judged &= spans.get(j).known();
                j++;
            }
            if (judged) {
                Violation v = replay(s, s.capacity, spans.subList(i, j));
                if (v != null) {
                    found.add(v);
                    s.unfair = true;
                    return;
                }
            }
            i = j;
        }
    }

    /**
     * How a disk-sized transfer travels (docs/domain.md, Initial replication and How a resync runs;
     * docs/trace.md on {@code transfer.*}): an initial copy in pieces of 4 MiB, or of the least
     * multiple of 4 MiB that makes at most 256 pieces, when it sends the whole disk; a resync's or
     * reprotect's blocks of the resync block size, the disk's last block possibly shorter (not in
     * flow fidelity, where blocks travel in pieces of a size the trace does not give).
     */
    private static final class Pieces {
        private static final long CHUNK = 4L << 20;
        private static final long MAX_PIECES = 256;
        private final Map<String, Long> diskBytes = new HashMap<>();
        private final long blockBytes;
        private final boolean blocks;

        Pieces(Scenario scenario, Site site) {
            for (Site.Host h : site.hosts() == null ? List.<Site.Host>of() : site.hosts()) {
                for (Site.Vm v : h.vms() == null ? List.<Site.Vm>of() : h.vms()) {
                    List<Site.Disk> disks = v.disks() == null ? List.of() : v.disks();
                    for (int d = 0; d < disks.size(); d++) {
                        String name = disks.get(d).name() != null ? disks.get(d).name() : "disk" + d;
                        diskBytes.put(v.name() + "|" + name, disks.get(d).size().bytes());
                    }
                }
            }
            blockBytes = scenario.effectiveResync().blockSize().bytes();
            blocks = scenario.effectiveFidelity() != io.replisim.simulator.scenario.Fidelity.FLOW;
        }

        /** The pieces' sizes of {@code a}, in the order they go, or null when the trace does not tell them. */
        long[] of(Attempt a) {
            Long size = diskBytes.get(a.vm + "|" + a.disk);
            if (size == null || a.bytes <= 0) {
                return null;
            }
            long piece;
            if ("initial".equals(a.kind) && a.bytes == size) {
                long fourMiB = (size + CHUNK - 1) / CHUNK;
                piece = CHUNK * ((fourMiB + MAX_PIECES - 1) / MAX_PIECES);
            } else if (("resync".equals(a.kind) || "reprotect".equals(a.kind)) && blocks
                    && (a.bytes % blockBytes == 0 || a.bytes % blockBytes == size % blockBytes)) {
                piece = blockBytes;
            } else {
                return null;
            }
            int n = (int) ((a.bytes + piece - 1) / piece);
            long[] sizes = new long[n];
            Arrays.fill(sizes, piece);
            sizes[n - 1] = a.bytes - (n - 1) * piece;
            return sizes;
        }
    }

    /** A VM's attempts as flows where the thread rule places them, as spans not judged elsewhere. */
    private static void spansOfVm(SiteLink s, Pieces pieces, List<Attempt> attempts, List<Span> spans) {
        long busyUntil = Long.MIN_VALUE; // when the VM's earlier flows had all ended
        int k = 0;
        while (k < attempts.size()) {
            Attempt first = attempts.get(k);
            int to = k + 1;
            while (to < attempts.size() && attempts.get(to).requested == first.requested
                    && attempts.get(to).kind.equals(first.kind)) {
                to++;
            }
            long nextRequest = to < attempts.size() ? attempts.get(to).requested : s.end;
            List<Attempt> batch = attempts.subList(k, to);
            long batchEnd = first.requested;
            for (Attempt a : batch) {
                batchEnd = Math.max(batchEnd, a.end < 0 ? nextRequest : a.end);
            }
            boolean inTurn = first.requested >= busyUntil;
            if (first.log) {
                List<Flow> flows = inTurn ? logBatch(s, batch) : null;
                if (flows == null) {
                    spans.add(new Span(first.requested, batchEnd, null, null));
                } else {
                    for (Flow f : flows) {
                        if (f.attempt.end > f.begin) {
                            spans.add(new Span(f.begin, f.attempt.end, f, null));
                        }
                    }
                }
            } else {
                PieceBatch known = inTurn ? pieceBatch(pieces, batch) : null;
                spans.add(new Span(first.requested, batchEnd, null, known));
            }
            busyUntil = Math.max(busyUntil, batchEnd);
            k = to;
        }
    }

    /** The pieces of disk-sized transfers started together, if each went through without a failure and finished. */
    private static PieceBatch pieceBatch(Pieces pieces, List<Attempt> batch) {
        PieceBatch b = new PieceBatch(List.copyOf(batch));
        for (int t = 0; t < batch.size(); t++) {
            Attempt a = batch.get(t);
            long[] sizes = a.end < 0 || a.pieceFailed ? null : pieces.of(a);
            if (sizes == null) {
                return null;
            }
            for (long size : sizes) {
                b.add(t, size);
            }
        }
        return b;
    }

    /**
     * Where a batch of logs flows: the first {@code threads} asked for at once, each later one when
     * an earlier one ends, none after a failure; each flows from its request plus the latency.
     * Null if the trace does not fit that (a log that ends without being asked for, or never ends).
     */
    private static List<Flow> logBatch(SiteLink s, List<Attempt> batch) {
        List<Attempt> byEnd = new ArrayList<>(batch);
        if (byEnd.stream().anyMatch(a -> a.end < 0)) {
            return null;
        }
        byEnd.sort(Comparator.comparingLong((Attempt a) -> a.endSeq));
        List<Flow> flows = new ArrayList<>();
        for (int p = 0; p < batch.size(); p++) {
            long requested;
            if (p < s.threads) {
                requested = batch.get(p).requested;
            } else {
                int freedBy = p - s.threads; // the (p - threads + 1)-th end frees its thread
                for (int e = 0; e <= freedBy; e++) {
                    if (byEnd.get(e).failed) {
                        return null; // no log is asked for after a failure, yet this one ended
                    }
                }
                requested = byEnd.get(freedBy).end;
            }
            Attempt a = batch.get(p);
            flows.add(new Flow(a, null, -1, requested + s.latency, a.bytes, p));
        }
        return flows;
    }

    /** Replays one busy period; the first flow or transfer that ends off its fair share, or null. */
    private static Violation replay(SiteLink s, ScenarioCapacity capacity, List<Span> period) {
        PriorityQueue<Flow> pending = new PriorityQueue<>(Comparator.comparingLong((Flow f) -> f.begin)
                .thenComparingLong(f -> f.order));
        List<long[]> checkpoints = new ArrayList<>(); // {observed end, span, transfer} of disk-sized transfers
        long[] order = {0};
        long now = Long.MAX_VALUE;
        for (int i = 0; i < period.size(); i++) {
            Span span = period.get(i);
            now = Math.min(now, span.begin());
            if (span.flow() != null) {
                pending.add(span.flow());
            } else {
                PieceBatch b = span.batch();
                for (int t = 0; t < b.transfers.size(); t++) {
                    checkpoints.add(new long[] {b.transfers.get(t).end, i, t});
                }
                for (int p = 0; p < s.threads && !b.queue.isEmpty(); p++) {
                    pending.add(nextPiece(s, b, span.begin(), order));
                }
            }
        }
        checkpoints.sort(Comparator.comparingLong((long[] c) -> c[0]));
        List<Flow> active = new ArrayList<>();
        double[] lag = {0}; // bits the stack's rounding may have lost so far in the period, all flows together
        int checkpoint = 0;
        while (!pending.isEmpty() || !active.isEmpty() || checkpoint < checkpoints.size()) {
            while (!pending.isEmpty() && pending.peek().begin <= now) {
                active.add(pending.poll());
            }
            double share = active.isEmpty() ? 0 : capacity.bitsPerSecond(now) / (double) active.size();
            long next = pending.isEmpty() ? Long.MAX_VALUE : pending.peek().begin;
            for (Flow f : active) {
                if (f.batch == null) {
                    next = Math.min(next, f.attempt.end);
                } else if (share > 0) {
                    next = Math.min(next, now + Math.max(1, (long) Math.ceil(f.left / share * NANOS)));
                }
            }
            if (checkpoint < checkpoints.size()) {
                next = Math.min(next, checkpoints.get(checkpoint)[0]);
            }
            if (!active.isEmpty()) {
                next = Math.min(next, capacity.nextBreakpoint(now));
            }
            if (next == Long.MAX_VALUE) {
                break; // pieces that can never arrive: their transfers' ends are judged already
            }
            double seconds = (next - now) / NANOS;
            for (Flow f : active) {
                double sent = share * seconds;
                if (f.left > 0 && sent >= f.left && Double.isNaN(f.zeroAt)) {
                    f.zeroAt = now + f.left / share * NANOS;
                }
                f.left -= sent;
            }
            now = next;
            lag[0] += active.size() * (seconds + 1);
            for (int i = 0; i < active.size(); i++) {
                Flow f = active.get(i);
                if (f.batch != null && f.left <= 1e-6) {
                    active.remove(i--);
                    Violation v = pieceArrived(s, f, now, share, lag, order, pending);
                    if (v != null) {
                        return v;
                    }
                } else if (f.batch == null && f.attempt.end == now) {
                    Violation v = judge(s, f, active.size(), capacity, lag[0]);
                    if (v != null) {
                        return v;
                    }
                    active.remove(i--);
                }
            }
            while (checkpoint < checkpoints.size() && checkpoints.get(checkpoint)[0] == now) {
                long[] c = checkpoints.get(checkpoint++);
                PieceBatch b = period.get((int) c[1]).batch();
                int t = (int) c[2];
                if (b.arrived[t] < 0) {
                    double left = 0;
                    for (Flow f : active) {
                        left += f.batch == b && f.transfer == t ? Math.max(0, f.left) : 0;
                    }
                    for (long[] q : b.queue) {
                        left += q[1] == t ? q[0] * 8.0 : 0;
                    }
                    for (Flow f : pending) {
                        left += f.batch == b && f.transfer == t ? f.left : 0;
                    }
                    if (left > slack(lag[0])) {
                        Attempt a = b.transfers.get(t);
                        return new Violation(NAME, a.endSeq, a.kind + " transfer " + a.id + " (" + a.bytes + " bytes in "
                                + b.piecesLeft.length + " transfers of " + b.pieces + " pieces) finished at " + iso(a.end)
                                + ", but its fair share of the uplink of " + s.site.effectiveName() + " still had "
                                + (long) Math.ceil(left / 8) + " bytes to deliver");
                    }
                }
            }
        }
        return null;
    }

    private static Flow nextPiece(SiteLink s, PieceBatch b, long requested, long[] order) {
        long[] piece = b.queue.poll();
        return new Flow(b.transfers.get((int) piece[1]), b, (int) piece[1], requested + s.latency, piece[0], order[0]++);
    }

    /**
     * A piece arrived: the next is asked for; when it was its transfer's last, the transfer must
     * not have finished later than that.
     */
    private static Violation pieceArrived(SiteLink s, Flow f, long now, double share, double[] lag, long[] order,
                                          PriorityQueue<Flow> pending) {
        PieceBatch b = f.batch;
        lag[0] += 1; // its end rounded
        if (!b.queue.isEmpty()) {
            pending.add(nextPiece(s, b, now, order));
        }
        if (--b.piecesLeft[f.transfer] > 0) {
            return null;
        }
        b.arrived[f.transfer] = now;
        Attempt a = f.attempt;
        if (a.end > now && (a.end - now) / NANOS * share > slack(lag[0])) {
            return new Violation(NAME, a.endSeq, a.kind + " transfer " + a.id + " (" + a.bytes + " bytes) finished at "
                    + iso(a.end) + ", but its fair share of the uplink of " + s.site.effectiveName() + " had delivered it by "
                    + iso(now));
        }
        return null;
    }

    /**
     * How far a flow may stray from its exact share in bits, given what the stack's rounding may
     * have lost in the busy period so far: each flow a bit per second and a bit per rate change,
     * each piece a bit for its rounded end. Not only a flow's own: a flow that ends late holds
     * the others to a smaller share meanwhile, so the loss passes on (the link does the same work
     * in all, it is only shifted); twice that plus 8 bits.
     */
    private static double slack(double lag) {
        return 2 * (lag + 4) + 8;
    }

    /** A flow at its end: finished when its share delivered its bytes, failed not after that. */
    private static Violation judge(SiteLink s, Flow f, int sharing, ScenarioCapacity capacity, double lag) {
        Attempt a = f.attempt;
        double slack = slack(lag);
        String what = "log transfer " + a.id + " (" + a.bytes + " bytes, flowing from " + iso(f.begin) + ")";
        if (f.left < -slack) {
            return new Violation(NAME, a.endSeq, what + (a.failed ? " failed" : " finished") + " at " + iso(a.end)
                    + ", but its fair share of the uplink of " + s.site.effectiveName() + " had delivered it by "
                    + iso((long) f.zeroAt) + " (" + sharing + " flows sharing)");
        }
        if (!a.failed && f.left > slack) {
            double share = capacity.bitsPerSecond(a.end - 1) / (double) sharing;
            return new Violation(NAME, a.endSeq, what + " finished at " + iso(a.end) + ", but its fair share of the uplink of "
                    + s.site.effectiveName() + " still had " + (long) Math.ceil(f.left / 8) + " bytes to deliver"
                    + (share > 0 ? " (about " + Duration.ofNanos((long) (f.left / share * NANOS)) + " more)" : ""));
        }
        return null;
    }

    private static String iso(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }
}
