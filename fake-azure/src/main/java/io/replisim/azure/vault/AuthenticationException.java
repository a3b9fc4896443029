package io.replisim.azure.vault;

import io.replisim.azure.AzureException;

/**
 * The vault refused a caller's credentials (HTTP 401). Non-recoverable in ASR's terms: retrying
 * with the same key cannot succeed, an administrator must supply a new one.
 */
public class AuthenticationException extends AzureException {
    private static final long serialVersionUID = 1L;

    /** The key was not issued by this vault. */
    public static final String INVALID_REGISTRATION_KEY = "InvalidRegistrationKey";
    /** The key was issued by this vault but is past its validity. */
    public static final String REGISTRATION_KEY_EXPIRED = "RegistrationKeyExpired";

    public AuthenticationException(String errorCode, String message) {
        super(errorCode, 401, message);
    }
}
