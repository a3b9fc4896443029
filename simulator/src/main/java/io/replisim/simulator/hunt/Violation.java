package io.replisim.simulator.hunt;

/**
 * An invariant that did not hold: its name, the {@code seq} of the offending trace event, and
 * a one-line reason.
 */
public record Violation(String invariant, long seq, String reason) implements java.io.Serializable {
    @Override
    public String toString() {
        return invariant + " violated at seq " + seq + ": " + reason;
    }
}
