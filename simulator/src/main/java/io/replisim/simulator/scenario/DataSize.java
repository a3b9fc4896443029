package io.replisim.simulator.scenario;

/** A size in bytes, written in scenario files as {@code 64MiB}, {@code 8GiB}, ... */
public record DataSize(long bytes) {
    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative");
        }
    }

    public static DataSize parse(String text) {
        return new DataSize(Units.sizeBytes(text));
    }

    public static DataSize ofMiB(long mib) {
        return new DataSize(mib << 20);
    }

    @Override
    public String toString() {
        return Units.formatSize(bytes);
    }
}
