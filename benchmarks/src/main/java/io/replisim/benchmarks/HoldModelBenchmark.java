package io.replisim.benchmarks;

import io.replisim.simulator.kernel.Action;
import io.replisim.simulator.kernel.EventQueue;
import io.replisim.simulator.kernel.Kernel;
import io.replisim.simulator.kernel.RandomStreams;
import io.replisim.simulator.kernel.SimTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The classic hold model: N events are pending; one operation removes the earliest and schedules
 * a new one at its time + U(0, 2 minutes). Every variant draws its increments from the same
 * pre-generated table, so the random generator costs nothing and all variants see the same times.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HoldModelBenchmark {

    private static final int INCREMENTS = 1 << 14; // 128 KiB: cheap to index, long enough a cycle
    private static final long MAX_INCREMENT = SimTime.minutes(2);

    /** The increment table and a cursor over it; one per variant state. */
    @State(Scope.Thread)
    public abstract static class Hold {
        @Param({"1000", "100000", "1000000"})
        public int n;

        final long[] increments = new long[INCREMENTS];
        int cursor;

        final long nextIncrement() {
            return increments[cursor++ & (INCREMENTS - 1)];
        }

        @Setup(Level.Trial)
        public final void setUp() {
            var random = new RandomStreams(42).stream("hold-model");
            for (int i = 0; i < INCREMENTS; i++) {
                increments[i] = random.nextLong(MAX_INCREMENT);
            }
            cursor = 0;
            for (int i = 0; i < n; i++) {
                insert(nextIncrement());
            }
        }

        abstract void insert(long time);
    }

    public static class EventQueueHold extends Hold {
        private static final Object TOKEN = new Object();
        final EventQueue<Object> queue = new EventQueue<>();

        @Override
        void insert(long time) {
            queue.add(time, TOKEN);
        }
    }

    /** One Action instance that reschedules itself: the kernel's own step loop. */
    public static class KernelHold extends Hold {
        final Kernel kernel = new Kernel(Instant.EPOCH, ZoneOffset.UTC, 42);
        final Action reschedule = new Action() {
            @Override
            public void run() {
                kernel.scheduleIn(nextIncrement(), this);
            }
        };

        @Override
        void insert(long time) {
            kernel.schedule(time, reschedule);
        }
    }

    /** What a simulator built on java.util.PriorityQueue would use. */
    static final class Event implements Comparable<Event> {
        long time;
        long seq;

        Event(long time, long seq) {
            this.time = time;
            this.seq = seq;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    public static class PriorityQueueHold extends Hold {
        final PriorityQueue<Event> queue = new PriorityQueue<>();
        long seq;

        @Override
        void insert(long time) {
            queue.add(new Event(time, seq++));
        }
    }

    /** Times only, no ties, no handles, no items: the near-physical limit of a binary heap. */
    public static class PrimitiveHeapHold extends Hold {
        long[] heap;
        int size;

        @Override
        void insert(long time) {
            if (heap == null) {
                heap = new long[n + 1];
            }
            push(time);
        }

        void push(long t) {
            long[] h = heap;
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                long p = h[parent];
                if (t >= p) {
                    break;
                }
                h[i] = p;
                i = parent;
            }
            h[i] = t;
        }

        long pop() {
            long[] h = heap;
            long top = h[0];
            int n = --size;
            long t = h[n];
            int i = 0;
            int half = n >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                long c = h[child];
                int right = child + 1;
                if (right < n && h[right] < c) {
                    child = right;
                    c = h[right];
                }
                if (t <= c) {
                    break;
                }
                h[i] = c;
                i = child;
            }
            h[i] = t;
            return top;
        }
    }

    @Benchmark
    public long eventQueue(EventQueueHold s) {
        EventQueue<Object> q = s.queue;
        Object item = q.poll();
        long now = q.lastPolledTime();
        q.add(now + s.nextIncrement(), item);
        return now;
    }

    @Benchmark
    public long kernel(KernelHold s) {
        s.kernel.step();
        return s.kernel.now();
    }

    @Benchmark
    public long priorityQueue(PriorityQueueHold s) {
        Event e = s.queue.poll(); // reused, so the heap is measured rather than the allocator
        long now = e.time;
        e.time = now + s.nextIncrement();
        e.seq = s.seq++;
        s.queue.add(e);
        return now;
    }

    @Benchmark
    public long primitiveHeap(PrimitiveHeapHold s) {
        long now = s.pop();
        s.push(now + s.nextIncrement());
        return now;
    }
}
