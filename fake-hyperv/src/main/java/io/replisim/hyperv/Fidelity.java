package io.replisim.hyperv;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much of a host is real. Both fidelities offer the same API and report the same tracker
 * figures for the same writes; they differ in what is kept.
 */
public enum Fidelity {
    /** Real bytes: VHDX files and {@code .hrl} logs on the Jimfs volume. For small disks (Jimfs is not sparse). */
    BYTES("bytes"),
    /**
     * Content-free: each disk is an {@link ExtentMap} of written ranges with their versions, logs
     * are lists of (offset, length, version) with the size their file would have, and the volume
     * counts those sizes against its capacity. No payload is stored, so a 2 TiB disk costs
     * kilobytes until it is written; reads return the content {@link BlockContent} gives the
     * versions.
     */
    MODEL("model"),
    /**
     * Rate processes: a disk's content is one version for the whole disk (the count of writes
     * it took), a workload's writes are counted, not placed, in one batch per step, and logs are
     * byte and record counts with the sizes their files would have, booked on the volume. What
     * needs distinct blocks (a resync's, a failback's, the blocks a failover loses) comes from
     * the workload's locality model ({@link Workload#distinctBlocks}). Cost grows with steps, not
     * with writes.
     */
    FLOW("flow");

    private final String scenarioName;

    Fidelity(String scenarioName) {
        this.scenarioName = scenarioName;
    }

    /** The name used on the command line and in scenario files: {@code bytes}, {@code model} or {@code flow}. */
    public String scenarioName() {
        return scenarioName;
    }

    /** The fidelity named {@code name} (case-insensitive). */
    public static Fidelity fromScenarioName(String name) {
        for (Fidelity f : values()) {
            if (f.scenarioName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fidelity " + Names.quote(name) + "; expected one of "
                + Arrays.stream(values()).map(Fidelity::scenarioName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return scenarioName;
    }
}
