package io.replisim.simulator.scenario;

/** A write rate in bytes per second, written as {@code 2MiB/min}. */
public record DataRate(long bytesPerSecond) {
    public DataRate {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate cannot be negative");
        }
    }

    public static DataRate parse(String text) {
        return new DataRate(Units.rateBytesPerSecond(text));
    }

    @Override
    public String toString() {
        return Units.formatSize(bytesPerSecond) + "/s";
    }
}
