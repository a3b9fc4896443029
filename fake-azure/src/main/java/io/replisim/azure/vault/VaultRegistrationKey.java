package io.replisim.azure.vault;

import java.time.Instant;
import java.util.Objects;

/**
 * A vault registration key (the portal's "vault credentials" file): which vault issued it, a
 * secret only that vault knows, and when it stops being valid.
 */
public record VaultRegistrationKey(String vaultName, String secret, Instant issuedAt, Instant expiresAt) {
    public VaultRegistrationKey {
        Objects.requireNonNull(vaultName, "vaultName");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether the key is still valid at {@code now}; it expires at {@code expiresAt} exactly. */
    public boolean isValidAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
