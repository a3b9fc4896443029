package io.replisim.simulator.kernel;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * The simulation kernel: a virtual clock, a queue of scheduled actions and the run's random
 * streams. Time is {@code long} nanoseconds since {@link #start()}; it only moves when an event
 * fires or {@link #runUntil(long)} returns. Events at the same time fire in the order they were
 * scheduled. One thread; actions run inside {@link #step()} and may schedule and cancel events,
 * but may not step the kernel themselves.
 */
public final class Kernel {

    private final Instant start;
    private final ZoneId zone;
    private final RandomStreams streams;
    private final EventQueue<Action> queue = new EventQueue<>(1024);
    private final InstantSource clock = new KernelClock();
    private long now;
    private long eventsFired;
    private Action current;
    private boolean stopRequested;

    public Kernel(Instant start, ZoneId zone, long seed) {
        this.start = Objects.requireNonNull(start, "start");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.streams = new RandomStreams(seed);
    }

    /** Nanoseconds since {@link #start()}. */
    public long now() {
        return now;
    }

    public Instant start() {
        return start;
    }

    public ZoneId zone() {
        return zone;
    }

    public long seed() {
        return streams.seed();
    }

    public Instant instantAt(long t) {
        return start.plusNanos(t);
    }

    public ZonedDateTime dateTimeAt(long t) {
        return instantAt(t).atZone(zone);
    }

    /** A live view of the virtual clock, for code that takes an {@link InstantSource}. */
    public InstantSource clock() {
        return clock;
    }

    /**
     * Schedules {@code action} at time {@code at}; returns a handle for {@link #cancel(long)}.
     *
     * @throws IllegalArgumentException if {@code at} is before {@link #now()}
     */
    public long schedule(long at, Action action) {
        Objects.requireNonNull(action, "action");
        if (at < now) {
            throw new IllegalArgumentException("cannot schedule " + action.name() + " at " + at
                    + ", before now " + now);
        }
        return queue.add(at, action);
    }

    /**
     * Schedules {@code action} {@code delay} nanoseconds from now.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws ArithmeticException if now + delay overflows
     */
    public long scheduleIn(long delay, Action action) {
        if (delay < 0) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        return schedule(Math.addExact(now, delay), action);
    }

    /** Cancels a pending event; false if it already fired, was cancelled or is unknown. */
    public boolean cancel(long handle) {
        return queue.cancel(handle);
    }

    /**
     * Moves a pending event to {@code at}, as cancelling it and scheduling its action again would
     * (same order among events at {@code at}); false, and nothing done, if it is not pending.
     */
    public boolean reschedule(long handle, long at) {
        if (at < now) {
            throw new IllegalArgumentException("cannot reschedule at " + at + ", before now " + now);
        }
        return queue.reschedule(handle, at);
    }

    public boolean isPending(long handle) {
        return queue.contains(handle);
    }

    /** Fires the next event, advancing {@link #now()} to its time; false when idle. */
    public boolean step() {
        requireNotFiring();
        if (queue.isEmpty()) {
            return false;
        }
        Action action = queue.poll();
        now = queue.lastPolledTime();
        eventsFired++;
        current = action;
        try {
            action.run();
        } finally {
            current = null;
        }
        return true;
    }

    /**
     * Fires every event due at or before {@code t}, including those scheduled at {@code t} while
     * running, then sets {@link #now()} to {@code t} if that is later. After {@link #stop()},
     * returns at once, leaving the clock at the last fired event.
     */
    public void runUntil(long t) {
        requireNotFiring();
        stopRequested = false;
        while (queue.peekTime() <= t) {
            step();
            if (stopRequested) {
                return;
            }
        }
        now = Math.max(now, t);
    }

    /** Fires events until none is left or {@link #stop()} is called. */
    public void runUntilIdle() {
        requireNotFiring();
        stopRequested = false;
        while (!stopRequested && step()) {
            // each step fires one event
        }
    }

    /** Asks a running {@link #runUntil} or {@link #runUntilIdle} to return after the current event. */
    public void stop() {
        stopRequested = true;
    }

    /** The time of the next event, or {@link Long#MAX_VALUE} when idle. */
    public long nextEventTime() {
        return queue.peekTime();
    }

    public long eventsFired() {
        return eventsFired;
    }

    public int pendingEvents() {
        return queue.size();
    }

    /** The action firing now, or null between events. */
    public Action currentAction() {
        return current;
    }

    public RandomStream stream(String name) {
        return streams.stream(name);
    }

    private void requireNotFiring() {
        if (current != null) {
            throw new IllegalStateException("an action (" + current.name() + ") cannot step the kernel");
        }
    }

    @Override
    public String toString() {
        return "Kernel[now=" + now + ", pending=" + queue.size() + ", fired=" + eventsFired + "]";
    }

    private final class KernelClock implements InstantSource {
        @Override
        public Instant instant() {
            return instantAt(now);
        }

        @Override
        public String toString() {
            return "KernelClock[" + instant() + "]";
        }
    }
}
