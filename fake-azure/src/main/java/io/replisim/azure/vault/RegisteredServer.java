package io.replisim.azure.vault;

import java.time.Instant;
import java.util.Objects;

/** A server registered with the vault (the Provider installed and registered on it). */
public record RegisteredServer(String name, ServerKind kind, Instant registeredAt) {
    public RegisteredServer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(registeredAt, "registeredAt");
    }
}
