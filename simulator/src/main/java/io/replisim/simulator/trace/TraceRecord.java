package io.replisim.simulator.trace;

/** One line of the trace: the event, its sequence number and its simulated time (ns from start). */
public record TraceRecord(long seq, long time, TraceEvent event) {}
