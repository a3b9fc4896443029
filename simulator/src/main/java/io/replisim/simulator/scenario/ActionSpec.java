package io.replisim.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * An administrator's action at a time: {@code {at: 3h, do: resume, vm: app01}}. Without
 * {@code vm} it applies to every VM it can.
 */
public record ActionSpec(Duration at, @JsonProperty("do") String action, String vm) {
    /** The actions replisim knows. */
    public static final java.util.List<String> KNOWN = java.util.List.of("resume", "resync");
}
