package io.replisim.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * A scheduled fault: {@code {at: 6h, kind: network-outage, for: 3h}}. Without {@code for} it
 * lasts to the end of the run. A host fault names its {@code host}, a VM fault its {@code vm}
 * (and may name a {@code disk}); {@code bytes} sizes {@code low-disk-space} (the space left free)
 * and {@code vhd-changed-offline} (how much is written). A site's fault strikes the site named
 * {@code site}, or every site without one. A storage fault with {@code requests} strikes only
 * that many requests to the storage account (a burst), within its time.
 */
public record FaultSpec(Duration at, String kind, @JsonProperty("for") Duration lasting, String host, String vm, String disk,
                        DataSize bytes, String site, Integer requests) {
    /** A fault of a scenario's only site, or of a host or VM. */
    public FaultSpec(Duration at, String kind, Duration lasting, String host, String vm, String disk, DataSize bytes) {
        this(at, kind, lasting, host, vm, disk, bytes, null, null);
    }

    /** A fault striking every request while it lasts. */
    public FaultSpec(Duration at, String kind, Duration lasting, String host, String vm, String disk, DataSize bytes,
                     String site) {
        this(at, kind, lasting, host, vm, disk, bytes, site, null);
    }
}
