package io.replisim.simulator.net;

import io.replisim.simulator.kernel.Action;
import io.replisim.simulator.kernel.Kernel;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A site's link to Azure, modelled as fluid flows sharing the capacity by max-min fairness
 * (SimGrid's model). Rates are recomputed only when a flow starts or ends or the capacity
 * changes, never per byte or per tick; in between every flow progresses at a constant rate.
 * Volumes are tracked in bits and rates in bits per second, all in {@code long} arithmetic.
 */
public final class Uplink {
    private static final long NANOS = 1_000_000_000L;

    private final Kernel kernel;
    private final String name;
    private final List<Flow> flows = new ArrayList<>();
    private final Action completion = new Action() {
        @Override
        public void run() {
            completionHandle = 0;
            settle();
        }

        @Override
        public String name() {
            return "uplink.completion";
        }
    };
    private long capacity;
    private final long latency;
    private boolean available = true;
    private String outageReason;
    private long lastUpdate;
    private long completionHandle;
    private long flowCounter;
    private long bitsDelivered;
    private Meter meter;

    /** Told what the link could send, as time goes (a report's figures). */
    public interface Meter {
        /** From {@code at}, the link can send {@code bitsPerSecond} (0 while down). */
        void capacity(long at, long bitsPerSecond);
    }

    /** Told what the flows charged to it carried, as the fair shares allocated it (a report's figures). */
    public interface Account {
        /** {@code bits} went over the link, evenly, over [from, to): the rates hold between two updates. */
        void sent(long from, long to, long bits);
    }

    /** Reports to {@code meter} from now on. */
    public void meter(Meter meter) {
        this.meter = meter;
        meter.capacity(kernel.now(), available ? capacity : 0);
    }

    private void metered() {
        if (meter != null) {
            meter.capacity(kernel.now(), available ? capacity : 0);
        }
    }

    public Uplink(Kernel kernel, String name, long capacityBitsPerSecond) {
        this(kernel, name, capacityBitsPerSecond, 0);
    }

    /** {@code latency}: nanoseconds each request waits (a round trip, the request's set-up) before its data flows. */
    public Uplink(Kernel kernel, String name, long capacityBitsPerSecond, long latency) {
        if (capacityBitsPerSecond < 0 || latency < 0) {
            throw new IllegalArgumentException("capacity and latency must not be negative");
        }
        this.kernel = kernel;
        this.name = name;
        this.capacity = capacityBitsPerSecond;
        this.latency = latency;
        this.lastUpdate = kernel.now();
    }

    public String name() {
        return name;
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes fully delivered so far, over all flows. */
    public long bytesDelivered() {
        return bitsDelivered / 8;
    }

    public int activeFlows() {
        return flows.size();
    }

    /**
     * Starts sending {@code bytes}; {@code onFinished} runs when the last bit arrived, or
     * {@code onFailed} with the reason if the link goes down first (or is down now: then it runs
     * as a separate event at the current time, never inside this call). {@code rateCap} limits
     * this flow (bits per second; 0 for none).
     */
    public Flow start(String label, long bytes, long rateCap, Consumer<Flow> onFinished, Consumer<String> onFailed) {
        return start(label, bytes, rateCap, null, onFinished, onFailed);
    }

    /** As above, telling {@code account} (unless null) what the flow carries as it goes. */
    public Flow start(String label, long bytes, long rateCap, Account account, Consumer<Flow> onFinished,
                      Consumer<String> onFailed) {
        if (bytes < 0 || rateCap < 0) {
            throw new IllegalArgumentException("bytes and rate cap must not be negative");
        }
        Flow flow = new Flow(this, label, ++flowCounter, Math.multiplyExact(bytes, 8L), rateCap, kernel.now(), account,
                onFinished, onFailed);
        // Even without latency, a refused request fails as its own event, never inside this call.
        if (latency > 0 || !available) {
            kernel.schedule(kernel.now() + latency, new Action() {
                @Override
                public void run() {
                    activate(flow);
                }

                @Override
                public String name() {
                    return "uplink.request";
                }
            });
        } else {
            activate(flow);
        }
        return flow;
    }

    private void activate(Flow flow) {
        if (flow.cancelled) {
            return;
        }
        if (!available) {
            flow.onFailed.accept(outageReason);
            return;
        }
        progress();
        flows.add(flow);
        settle();
    }

    /**
     * Takes the link down (an outage): every transfer in flight fails with {@code reason} and
     * new ones are refused until {@link #restore()}.
     */
    public void fail(String reason) {
        progress();
        available = false;
        outageReason = reason;
        metered();
        List<Flow> failed = new ArrayList<>(flows);
        flows.clear();
        settle();
        for (Flow f : failed) {
            f.rate = 0;
            f.onFailed.accept(reason);
        }
    }

    /** Brings the link back after an outage. */
    public void restore() {
        available = true;
        outageReason = null;
        metered();
    }

    public boolean isAvailable() {
        return available;
    }

    /** Changes the capacity (a throttle window, a profile step, an outage) from now on. */
    public void setCapacity(long bitsPerSecond) {
        if (bitsPerSecond < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
        progress();
        capacity = bitsPerSecond;
        metered();
        settle();
    }

    void cancel(Flow flow) {
        flow.cancelled = true;
        progress();
        if (flows.remove(flow)) {
            flow.rate = 0;
            settle();
        }
    }

    /** Advances every flow to now at its current rate. */
    private void progress() {
        long now = kernel.now();
        long elapsed = now - lastUpdate;
        if (elapsed > 0) {
            long all = 0;
            for (Flow f : flows) {
                long sent = Math.min(f.remainingBits, mulDiv(f.rate, elapsed, NANOS, false));
                f.remainingBits -= sent;
                all += sent;
                if (sent > 0 && f.account != null) {
                    f.account.sent(lastUpdate, now, sent);
                }
            }
            bitsDelivered += all;
        }
        lastUpdate = now;
    }

    /** Finishes completed flows, recomputes the shares and schedules the next completion. */
    private void settle() {
        progress();
        List<Flow> finished = new ArrayList<>();
        flows.removeIf(f -> {
            if (f.remainingBits == 0) {
                finished.add(f);
                return true;
            }
            return false;
        });
        share();
        long next = Long.MAX_VALUE;
        for (Flow f : flows) {
            if (f.rate > 0) {
                next = Math.min(next, mulDiv(f.remainingBits, NANOS, f.rate, true));
            }
        }
        // the next completion moves (as a cancel and a new schedule would order it, in one step)
        if (next == Long.MAX_VALUE) {
            if (completionHandle != 0) {
                kernel.cancel(completionHandle);
                completionHandle = 0;
            }
        } else if (completionHandle == 0 || !kernel.reschedule(completionHandle, kernel.now() + next)) {
            completionHandle = kernel.schedule(kernel.now() + next, completion);
        }
        for (Flow f : finished) {
            f.finishedAt = kernel.now();
            f.onFinished.accept(f);
        }
    }

    /** Max-min fair shares by water-filling: capped flows take their cap, the rest split what is left. */
    private void share() {
        if (uncappedInIdOrder()) { // the usual case: the order the sort below would give, without sorting
            long left = capacity;
            int n = flows.size();
            for (Flow f : flows) {
                f.rate = left / n;
                left -= f.rate;
                n--;
            }
            return;
        }
        List<Flow> open = new ArrayList<>(flows);
        open.sort((a, b) -> {
            long ca = a.rateCap == 0 ? Long.MAX_VALUE : a.rateCap;
            long cb = b.rateCap == 0 ? Long.MAX_VALUE : b.rateCap;
            return ca != cb ? Long.compare(ca, cb) : Long.compare(a.id, b.id);
        });
        long left = capacity;
        int n = open.size();
        for (Flow f : open) {
            long fair = left / n;
            f.rate = f.rateCap != 0 && f.rateCap < fair ? f.rateCap : fair;
            left -= f.rate;
            n--;
        }
    }

    /** Whether no flow is capped and the flows are in the order they were started (the sort's order then). */
    private boolean uncappedInIdOrder() {
        long last = Long.MIN_VALUE;
        for (Flow f : flows) {
            if (f.rateCap != 0 || f.id <= last) {
                return false;
            }
            last = f.id;
        }
        return true;
    }

    /**
     * a * b / c for non-negative a, b and positive c in 128-bit precision, rounded down or up; a
     * quotient of 2^62 or more beyond 64-bit products is {@code Long.MAX_VALUE / 2} ("never"). Exact in long arithmetic:
     * the 128-bit product divided as two 64-bit digits (Knuth's algorithm D, Hacker's Delight's divlu).
     */
    static long mulDiv(long a, long b, long c, boolean ceil) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if (hi == 0 && lo >= 0) {
            return ceil ? -Math.floorDiv(-lo, c) : lo / c;
        }
        if (a < 0 || b < 0 || c <= 0 || hi >= c) {
            return a < 0 || b < 0 || c <= 0 ? bigMulDiv(a, b, c, ceil) : Long.MAX_VALUE / 2; // hi >= c: the quotient needs over 64 bits
        }
        long q = divide128(hi, lo, c);
        long r = lo - q * c; // the remainder, below c, fits the low 64 bits
        if (ceil && r != 0) {
            q++;
        }
        return q < 0 || q >= 1L << 62 ? Long.MAX_VALUE / 2 : q; // as bigMulDiv: from 2^62 on, "never"
    }

    /** (hi:lo) / v, unsigned, for 0 <= hi < v, v > 0: the quotient's low 64 bits (it fits since hi < v). */
    private static long divide128(long hi, long lo, long v) {
        final long b = 1L << 32;
        int s = Long.numberOfLeadingZeros(v);
        v <<= s;
        long vn1 = v >>> 32;
        long vn0 = v & 0xFFFFFFFFL;
        long un32 = (hi << s) | (s == 0 ? 0 : lo >>> (64 - s));
        long un10 = lo << s;
        long un1 = un10 >>> 32;
        long un0 = un10 & 0xFFFFFFFFL;
        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, b) >= 0 || Long.compareUnsigned(q1 * vn0, rhat * b + un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, b) >= 0) {
                break;
            }
        }
        long un21 = un32 * b + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, b) >= 0 || Long.compareUnsigned(q0 * vn0, rhat * b + un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, b) >= 0) {
                break;
            }
        }
        return q1 * b + q0;
    }

    /** The same in BigInteger: for arguments outside the fast path's domain, and for the tests to compare with. */
    static long bigMulDiv(long a, long b, long c, boolean ceil) {
        BigInteger[] qr = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divideAndRemainder(BigInteger.valueOf(c));
        BigInteger q = ceil && qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        return q.bitLength() < 63 ? q.longValue() : Long.MAX_VALUE / 2;
    }

    /** One transfer in progress on an uplink. */
    public static final class Flow {
        private final Uplink uplink;
        private final String label;
        private final long id;
        private final long bits;
        private final long rateCap;
        private final long startedAt;
        private final Account account;
        private final Consumer<Flow> onFinished;
        private final Consumer<String> onFailed;
        private long remainingBits;
        private long rate;
        private long finishedAt = -1;
        private boolean cancelled;

        Flow(Uplink uplink, String label, long id, long bits, long rateCap, long startedAt, Account account,
             Consumer<Flow> onFinished, Consumer<String> onFailed) {
            this.uplink = uplink;
            this.label = label;
            this.id = id;
            this.bits = bits;
            this.remainingBits = bits;
            this.rateCap = rateCap;
            this.startedAt = startedAt;
            this.account = account;
            this.onFinished = onFinished;
            this.onFailed = onFailed;
        }

        public String label() {
            return label;
        }

        public long bytes() {
            return bits / 8;
        }

        /** The current rate in bits per second. */
        public long rate() {
            return rate;
        }

        public long startedAt() {
            return startedAt;
        }

        /** When the last bit arrived, or -1 while in flight. */
        public long finishedAt() {
            return finishedAt;
        }

        /** Aborts the transfer (an outage, a failed request); no callback runs. */
        public void cancel() {
            uplink.cancel(this);
        }
    }
}
