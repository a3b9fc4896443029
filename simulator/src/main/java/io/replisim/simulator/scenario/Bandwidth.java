package io.replisim.simulator.scenario;

/** A link capacity in bits per second, written as {@code 50Mbps}. */
public record Bandwidth(long bitsPerSecond) {
    public Bandwidth {
        if (bitsPerSecond < 0) {
            throw new IllegalArgumentException("a bandwidth cannot be negative");
        }
    }

    public static Bandwidth parse(String text) {
        return new Bandwidth(Units.bandwidthBitsPerSecond(text));
    }

    @Override
    public String toString() {
        long v = bitsPerSecond;
        if (v % 1_000_000_000L == 0 && v > 0) {
            return v / 1_000_000_000L + "Gbps";
        }
        if (v % 1_000_000L == 0 && v > 0) {
            return v / 1_000_000L + "Mbps";
        }
        if (v % 1_000L == 0 && v > 0) {
            return v / 1_000L + "Kbps";
        }
        return v + "bps";
    }
}
