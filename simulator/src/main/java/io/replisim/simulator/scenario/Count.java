package io.replisim.simulator.scenario;

/**
 * A bound on a count, written as a number (exactly that many) or as {@code {atLeast: 1, atMost: 3}}.
 */
public record Count(Long atLeast, Long atMost) {
    public static Count exactly(long n) {
        return new Count(n, n);
    }

    public boolean holds(long value) {
        return (atLeast == null || value >= atLeast) && (atMost == null || value <= atMost);
    }

    @Override
    public String toString() {
        if (atLeast != null && atLeast.equals(atMost)) {
            return Long.toString(atLeast);
        }
        if (atLeast != null && atMost != null) {
            return atLeast + " to " + atMost;
        }
        return atLeast != null ? "at least " + atLeast : "at most " + atMost;
    }
}
