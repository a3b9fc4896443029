package io.replisim.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How much of the disks' content is simulated. */
public enum Fidelity {
    /** Real bytes everywhere; replicas verified byte for byte. Small disks only. */
    @JsonProperty("bytes") BYTES,
    /** Content-free disks (extent maps, logical sizes) that scale to thousands of VMs. */
    @JsonProperty("model") MODEL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
