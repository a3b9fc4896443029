package io.replisim.simulator.hunt;

import java.util.Set;

/**
 * docs/domain.md's error table (with docs/fake-azure.md's codes for it), written out again for the
 * invariants so that they judge an {@code error} by its {@code code} rather than trust the
 * {@code recoverable} flag the stack under test sets: the stack's classifiers are not consulted.
 */
final class ErrorTable {
    private ErrorTable() {}

    /** Retried on the ladder: the uplink or a connection, Azure throttling or failing transiently, the host short of space or memory. */
    private static final Set<String> RECOVERABLE = Set.of("NetworkError", "Timeout", "ServerBusy", "OperationTimedOut",
            "InternalError", "LowDiskSpace", "LowMemory", "Http408", "Http429");
    /** Waiting for an administrator: credentials, permissions, a missing replica or a request its state does not fit, the VM or its chain broken. */
    private static final Set<String> NON_RECOVERABLE = Set.of("AuthenticationFailed", "InvalidAuthenticationInfo",
            "InvalidRegistrationKey", "RegistrationKeyExpired", "AuthorizationFailure", "AuthorizationPermissionMismatch",
            "BlobNotFound", "ContainerNotFound", "InvalidVhd", "VmNotFound", "BrokenVhdChain", "UnexpectedError");
    /** Tracking cannot be trusted: neither retried nor waiting, a resynchronization instead. */
    static final String RESYNC = "ResynchronizationRequired";

    /**
     * Whether the table retries an error with {@code code}: TRUE, FALSE ({@value #RESYNC} is not
     * retried either), or null for a code the table does not name (a service's other 4xx or 5xx
     * code, which only the HTTP status the trace leaves out would classify).
     */
    static Boolean recoverable(String code) {
        if (code == null) {
            return null;
        }
        if (RECOVERABLE.contains(code) || code.matches("Http5\\d\\d")) {
            return Boolean.TRUE;
        }
        if (NON_RECOVERABLE.contains(code) || RESYNC.equals(code) || code.matches("Http4\\d\\d")) {
            return Boolean.FALSE;
        }
        return null;
    }

    /** The table's verdict on an {@code error} line; the line's own flag only for a code the table does not name. */
    static boolean recoverable(TraceLine error) {
        Boolean byCode = recoverable(error.str("code"));
        return byCode != null ? byCode : error.bool("recoverable");
    }

    /** Whether the error waits for an administrator by the table (not a resync requirement). */
    static boolean awaitsAdministrator(TraceLine error) {
        return !recoverable(error) && !RESYNC.equals(error.str("code"));
    }
}
