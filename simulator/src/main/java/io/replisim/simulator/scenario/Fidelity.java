package io.replisim.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How much of the disks' content is simulated. */
public enum Fidelity {
    /** Real bytes everywhere; replicas verified byte for byte. Small disks only. */
    @JsonProperty("bytes") BYTES,
    /** Content-free disks (extent maps, logical sizes) that scale to hundreds of VMs with multi-TB disks. */
    @JsonProperty("model") MODEL,
    /** Rate processes: counted writes, logs as sizes, distinct blocks from the locality model: fleets over months. */
    @JsonProperty("flow") FLOW;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
