package io.replisim.simulator.run;

import io.replisim.simulator.trace.TraceJson;
import io.replisim.simulator.trace.TraceRecord;
import java.util.function.Consumer;

/** The run's trace as written: numbers every record in the order it is written (from 0), whichever site made it. */
final class TraceOut implements Consumer<TraceRecord> {
    private final TraceJson json;
    private long seq;

    TraceOut(TraceJson json) {
        this.json = json;
    }

    /** Whether records are written at all (a run without a trace only counts them). */
    boolean writes() {
        return json != null;
    }

    TraceJson json() {
        return json;
    }

    @Override
    public void accept(TraceRecord r) {
        if (json != null) {
            json.accept(new TraceRecord(seq, r.time(), r.event()));
        }
        seq++;
    }

    /** A record a site wrote as {@link TraceJson#body}. */
    void acceptBody(String body) {
        if (json != null) {
            json.accept(seq, body);
        }
        seq++;
    }
}
