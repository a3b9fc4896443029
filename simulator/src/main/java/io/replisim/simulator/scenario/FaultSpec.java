package io.replisim.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * A scheduled fault: {@code {at: 6h, kind: network-outage, for: 3h}}. Without {@code for} it
 * lasts to the end of the run. A host fault names its {@code host}, a VM fault its {@code vm}
 * (and may name a {@code disk}); {@code bytes} sizes {@code low-disk-space} (the space left free)
 * and {@code vhd-changed-offline} (how much is written).
 */
public record FaultSpec(Duration at, String kind, @JsonProperty("for") Duration lasting, String host, String vm, String disk,
                        DataSize bytes) {}
