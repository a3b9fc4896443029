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
    private final List<Consumer<TraceRecord>> sinks = new ArrayList<>();
    private long seq;

    public Trace(LongSupplier clock) {
        this.clock = clock;
    }

    public Trace addSink(Consumer<TraceRecord> sink) {
        sinks.add(sink);
        return this;
    }

    public void emit(TraceEvent event) {
        TraceRecord record = new TraceRecord(seq++, clock.getAsLong(), event);
        for (Consumer<TraceRecord> sink : sinks) {
            sink.accept(record);
        }
    }

    /** How many events were emitted. */
    public long size() {
        return seq;
    }
}
