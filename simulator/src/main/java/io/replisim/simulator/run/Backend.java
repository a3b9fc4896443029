package io.replisim.simulator.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The storage account a run replicates to: {@link #MEMORY} (deterministic, fast) or
 * {@link #AZURITE} (the official Azure Storage SDK against an Azurite the run starts and stops).
 * Both give the same trace for the same seed.
 */
public enum Backend {
    MEMORY, AZURITE;

    /** The name outputs and the CLI use: {@code memory}, {@code azurite}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The backend of this {@link #label()}. */
    public static Backend of(String label) {
        for (Backend b : values()) {
            if (b.label().equals(label)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown Azure backend '" + label + "': expected "
                + Arrays.stream(values()).map(Backend::label).collect(Collectors.joining(" or ")));
    }
}
