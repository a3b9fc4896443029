package io.replisim.simulator.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The run's trace: numbers events in order and stamps them with the simulated time, then hands
 * them to every sink (the JSONL file, the summary's collectors, tests).
 */
public final class Trace {
    private final LongSupplier clock;
    private final TraceLevel level;
    private final List<Consumer<TraceRecord>> sinks = new ArrayList<>();
    private long seq;

    /** A trace of every event. */
    public Trace(LongSupplier clock) {
        this(clock, TraceLevel.FULL);
    }

    /** A trace of the events {@code level} keeps: the others are not handed to the sinks. */
    public Trace(LongSupplier clock, TraceLevel level) {
        this.clock = clock;
        this.level = level;
    }

    /**
     * Whether the per-cycle events ({@code log.*}, {@code transfer.*}, {@code recovery-point.*})
     * are kept: a fleet's delta cycles need not even make them when not.
     */
    public boolean keepsPerCycle() {
        return level == TraceLevel.FULL;
    }

    public Trace addSink(Consumer<TraceRecord> sink) {
        sinks.add(sink);
        return this;
    }

    public void emit(TraceEvent event) {
        if (level != TraceLevel.FULL && !level.keeps(event)) {
            return;
        }
        TraceRecord record = new TraceRecord(seq++, clock.getAsLong(), event);
        for (Consumer<TraceRecord> sink : sinks) {
            sink.accept(record);
        }
    }

    /** How many events were emitted (and kept). */
    public long size() {
        return seq;
    }
}
