package io.replisim.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * A scheduled fault: {@code {at: 6h, kind: network-outage, for: 3h}}. Without {@code for} it
 * lasts to the end of the run. {@code host} or {@code vm} narrow it where the kind allows.
 */
public record FaultSpec(Duration at, String kind, @JsonProperty("for") Duration lasting, String host, String vm) {}
