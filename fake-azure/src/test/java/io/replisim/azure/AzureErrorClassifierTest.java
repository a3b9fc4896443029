package io.replisim.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.replisim.azure.AzureErrorClassifier.Classification;
import io.replisim.azure.AzureErrorClassifier.ErrorClass;
import io.replisim.azure.storage.BlobErrorCode;
import io.replisim.azure.storage.BlobStorageException;
import io.replisim.azure.storage.InvalidVhdException;
import io.replisim.azure.vault.AuthenticationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AzureErrorClassifierTest {

    @ParameterizedTest(name = "{1} {0} -> {2}")
    @CsvSource({
        "InvalidRegistrationKey, 401, NON_RECOVERABLE",
        "RegistrationKeyExpired, 401, NON_RECOVERABLE",
        "AuthenticationFailed, 403, NON_RECOVERABLE",
        "AuthorizationFailure, 403, NON_RECOVERABLE",
        "AuthorizationPermissionMismatch, 403, NON_RECOVERABLE",
        "ServerBusy, 503, RECOVERABLE",
        "InternalError, 500, RECOVERABLE",
        "OperationTimedOut, 500, RECOVERABLE",
        "RequestTimeout, 408, RECOVERABLE",
        "TooManyRequests, 429, RECOVERABLE",
        "BlobNotFound, 404, NON_RECOVERABLE",
        "ContainerNotFound, 404, NON_RECOVERABLE",
        "SnapshotsPresent, 409, NON_RECOVERABLE",
        "InvalidPageRange, 416, NON_RECOVERABLE",
        "InvalidHeaderValue, 400, NON_RECOVERABLE",
    })
    void serviceErrorsAreClassifiedByTheTable(String code, int status, ErrorClass expected) {
        Classification k = AzureErrorClassifier.classify(new BlobStorageException(code, status, "message"));
        assertEquals(expected, k.errorClass(), k.reason());
        assertEquals(code, k.code());
        assertEquals(status, k.status());
    }

    @Test
    void anExpiredRegistrationKeyIsAnAuthenticationErrorThatNeedsAnAdministrator() {
        Classification k = AzureErrorClassifier.classify(new AuthenticationException(
                AuthenticationException.REGISTRATION_KEY_EXPIRED, "expired"));
        assertEquals(ErrorClass.NON_RECOVERABLE, k.errorClass());
        assertEquals("authentication error: the credentials or registration key were refused", k.reason());
    }

    @Test
    void networkErrorsAndTimeoutsAreRecoverableWhereverTheyHideInTheCauseChain() {
        Classification refused = AzureErrorClassifier.classify(
                new UncheckedIOException("Put Page", new ConnectException("Connection refused")));
        assertEquals(new Classification(ErrorClass.RECOVERABLE, "NetworkError", 0,
                "network error: the connection failed (ConnectException)"), refused);
        Classification wrapped = AzureErrorClassifier.classify(
                new IllegalStateException("reactor", new RuntimeException(new IOException("Connection reset by peer"))));
        assertEquals("NetworkError", wrapped.code());
        assertEquals(ErrorClass.RECOVERABLE, wrapped.errorClass());
        assertEquals("Timeout", AzureErrorClassifier.classify(new UncheckedIOException(
                new SocketTimeoutException("read timed out"))).code());
        assertEquals("Timeout", AzureErrorClassifier.classify(
                new IllegalStateException("Timeout on blocking read", new TimeoutException())).code());
    }

    @Test
    void aBrokenVhdAndAnythingUnknownNeedAnAdministrator() {
        assertEquals(new Classification(ErrorClass.NON_RECOVERABLE, "InvalidVhd", 0,
                "broken replica VHD: its footer does not parse"),
                AzureErrorClassifier.classify(new InvalidVhdException("bad cookie")));
        Classification unknown = AzureErrorClassifier.classify(new IllegalStateException("secret detail"));
        assertEquals(ErrorClass.NON_RECOVERABLE, unknown.errorClass());
        assertEquals("UnexpectedError", unknown.code());
        assertFalse(unknown.reason().contains("secret detail"), "reasons never echo messages");
    }

    @Test
    void theMemoryBackendsCodesAreAllNonRecoverable() {
        for (BlobErrorCode code : BlobErrorCode.values()) {
            assertEquals(ErrorClass.NON_RECOVERABLE,
                    AzureErrorClassifier.classify(new BlobStorageException(code, "x")).errorClass(), code.code());
        }
    }
}
