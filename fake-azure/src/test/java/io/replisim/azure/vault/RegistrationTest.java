package io.replisim.azure.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.azure.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationTest {
    private final ManualClock clock = ManualClock.at("2026-01-05T07:00:00Z");
    private final RecoveryServicesVault vault = new RecoveryServicesVault("contoso-vault", clock);

    @Test
    void aKeyIsValidForFiveDaysFromItsIssue() {
        VaultRegistrationKey key = vault.generateRegistrationKey();
        assertEquals(clock.instant().plus(Duration.ofDays(5)), key.expiresAt());
        clock.advance(Duration.ofDays(5).minusNanos(1));
        RegisteredServer server = vault.registerServer("hv01", ServerKind.HYPERV_HOST, key);
        assertEquals(clock.instant(), server.registeredAt());
        assertEquals(List.of(server), vault.registeredServers());
    }

    @Test
    void aKeyExpiresExactlyFiveDaysAfterItsIssue() {
        VaultRegistrationKey key = vault.generateRegistrationKey();
        clock.advance(Duration.ofDays(5));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> vault.registerServer("hv01", ServerKind.HYPERV_HOST, key));
        assertEquals(AuthenticationException.REGISTRATION_KEY_EXPIRED, e.errorCode());
        assertEquals(401, e.statusCode());
        assertTrue(e.getMessage().contains("expired at 2026-01-10T07:00:00Z"), e.getMessage());
        assertTrue(vault.registeredServers().isEmpty());
    }

    @Test
    void aKeyFromAnotherVaultIsRejected() {
        VaultRegistrationKey foreign = new RecoveryServicesVault("other-vault", clock).generateRegistrationKey();
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> vault.registerServer("hv01", ServerKind.HYPERV_HOST, foreign));
        assertEquals(AuthenticationException.INVALID_REGISTRATION_KEY, e.errorCode());
        assertTrue(e.getMessage().contains("not issued by vault contoso-vault"), e.getMessage());
    }

    @Test
    void aForgedKeyIsRejectedEvenIfItNamesThisVault() {
        VaultRegistrationKey real = vault.generateRegistrationKey();
        VaultRegistrationKey forged = new VaultRegistrationKey("contoso-vault", "guessed", real.issuedAt(),
                real.expiresAt());
        VaultRegistrationKey extended = new VaultRegistrationKey("contoso-vault", real.secret(), real.issuedAt(),
                real.expiresAt().plus(Duration.ofDays(30)));
        for (VaultRegistrationKey key : List.of(forged, extended)) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> vault.registerServer("hv01", ServerKind.HYPERV_HOST, key));
            assertEquals(AuthenticationException.INVALID_REGISTRATION_KEY, e.errorCode());
        }
    }

    @Test
    void keysAreDeterministicPerVaultNameAndDistinctPerIssue() {
        VaultRegistrationKey first = vault.generateRegistrationKey();
        VaultRegistrationKey second = vault.generateRegistrationKey();
        assertTrue(!first.secret().equals(second.secret()));
        RecoveryServicesVault twin = new RecoveryServicesVault("contoso-vault", ManualClock.at("2026-01-05T07:00:00Z"));
        assertEquals(first, twin.generateRegistrationKey());
    }

    @Test
    void aServerKeepsItsKindWhenRegisteredAgain() {
        VaultRegistrationKey key = vault.generateRegistrationKey();
        vault.registerServer("vmm01", ServerKind.VMM_SERVER, key);
        clock.advance(Duration.ofHours(1));
        assertEquals(clock.instant(), vault.registerServer("vmm01", ServerKind.VMM_SERVER, key).registeredAt());
        assertThrows(IllegalArgumentException.class, () -> vault.registerServer("vmm01", ServerKind.HYPERV_HOST, key));
    }
}
