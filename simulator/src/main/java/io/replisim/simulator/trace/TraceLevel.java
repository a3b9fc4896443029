package io.replisim.simulator.trace;

import java.util.Locale;

/**
 * How much of a run goes into {@code trace.jsonl} (docs/trace.md, "Trace levels"). {@code full}:
 * every event. {@code states}: every event but the per-cycle ones ({@code log.*},
 * {@code transfer.*}, {@code recovery-point.*}), so a fleet's month stays a file a person can
 * open; the summary's figures and the report's fleet charts are aggregated while the run goes
 * and do not need them. {@code none}: no trace file.
 */
public enum TraceLevel {
    FULL, STATES, NONE;

    /** Up to this many VMs a run writes a full trace by default; beyond, the states. */
    public static final int FULL_BY_DEFAULT_UP_TO_VMS = 100;

    /** The default for a run of {@code vms} VMs. */
    public static TraceLevel defaultFor(int vms) {
        return vms <= FULL_BY_DEFAULT_UP_TO_VMS ? FULL : STATES;
    }

    /** Whether an event of this type is written at this level. */
    public boolean keeps(TraceEvent event) {
        return switch (this) {
            case FULL -> true;
            case NONE -> false;
            case STATES -> !perCycle(event.type());
        };
    }

    /** The events of every delta cycle: what {@code states} leaves out. */
    static boolean perCycle(String type) {
        return type.startsWith("log.") || type.startsWith("transfer.") || type.startsWith("recovery-point.");
    }

    /** {@code full}, {@code states} or {@code none}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level named {@code label}, or null. */
    public static TraceLevel of(String label) {
        for (TraceLevel l : values()) {
            if (l.label().equals(label)) {
                return l;
            }
        }
        return null;
    }
}
