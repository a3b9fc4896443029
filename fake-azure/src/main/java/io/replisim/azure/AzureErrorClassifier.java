package io.replisim.azure;

import io.replisim.azure.storage.InvalidVhdException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;

/**
 * The one table that says whether an error reaching replication is worth retrying, after
 * docs/domain.md, Error table: network errors, timeouts, throttling and server errors are
 * recoverable (retried with back-off); authentication and authorization errors, and requests
 * that are wrong for the replica's state, are not (health Critical, an administrator must act).
 *
 * <p>Works on what the fakes throw: {@link AzureException}s (service code and HTTP status, from
 * either backend or the vault), {@link IOException}s and {@link UncheckedIOException}s (connection
 * refused or reset, timeouts; anywhere in the cause chain), {@link TimeoutException}s. The result
 * carries a stable code and reason, never the exception's message, so it may go into traces.
 */
public final class AzureErrorClassifier {

    /** Whether the replication stack retries. */
    public enum ErrorClass {
        RECOVERABLE,
        NON_RECOVERABLE
    }

    /**
     * @param errorClass what to do
     * @param code       the service's error code, or one of {@code NetworkError}, {@code Timeout},
     *                   {@code InvalidVhd}, {@code UnexpectedError}
     * @param status     the HTTP status, 0 when no response came
     * @param reason     the table row's reason, for people
     */
    public record Classification(ErrorClass errorClass, String code, int status, String reason) {
        public Classification {
            Objects.requireNonNull(errorClass, "errorClass");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }

        public boolean recoverable() {
            return errorClass == ErrorClass.RECOVERABLE;
        }
    }

    /** One row of the table for service errors: first match wins. */
    private record Row(ErrorClass errorClass, String reason, BiPredicate<String, Integer> matches) {}

    private static final List<Row> SERVICE_ERRORS = List.of(
            new Row(ErrorClass.NON_RECOVERABLE, "authentication error: the credentials or registration key were refused",
                    (code, status) -> status == 401 || "AuthenticationFailed".equals(code)
                            || "InvalidAuthenticationInfo".equals(code)),
            new Row(ErrorClass.NON_RECOVERABLE, "authorization error: the caller may not perform this operation",
                    (code, status) -> status == 403),
            new Row(ErrorClass.RECOVERABLE, "throttled: the service is busy, retry with back-off",
                    (code, status) -> status == 429 || status == 503 || "ServerBusy".equals(code)),
            new Row(ErrorClass.RECOVERABLE, "the request timed out on the service",
                    (code, status) -> status == 408 || "OperationTimedOut".equals(code)),
            new Row(ErrorClass.RECOVERABLE, "server error: transient on Azure's side",
                    (code, status) -> status >= 500 && status <= 599),
            new Row(ErrorClass.NON_RECOVERABLE, "the replica's container or blob is missing",
                    (code, status) -> status == 404),
            new Row(ErrorClass.NON_RECOVERABLE, "the request is invalid for the replica's state; retrying cannot help",
                    (code, status) -> status >= 400 && status <= 499));

    private AzureErrorClassifier() {
    }

    /** Classifies a service error by its code and HTTP status. */
    public static Classification classify(String code, int status) {
        String c = code == null || code.isEmpty() ? "Http" + status : code;
        for (Row row : SERVICE_ERRORS) {
            if (row.matches().test(c, status)) {
                return new Classification(row.errorClass(), c, status, row.reason());
            }
        }
        return new Classification(ErrorClass.NON_RECOVERABLE, c, status, "unexpected service answer");
    }

    /** Classifies anything a fake or the SDK-backed storage threw. */
    public static Classification classify(Throwable error) {
        Objects.requireNonNull(error, "error");
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AzureException azure) {
                return classify(azure.errorCode(), azure.statusCode());
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof InterruptedIOException) {
                return new Classification(ErrorClass.RECOVERABLE, "Timeout", 0,
                        "network error: no answer in time (" + t.getClass().getSimpleName() + ")");
            }
            if (t instanceof IOException && !(t.getCause() instanceof IOException)) {
                return new Classification(ErrorClass.RECOVERABLE, "NetworkError", 0,
                        "network error: the connection failed (" + t.getClass().getSimpleName() + ")");
            }
            if (t instanceof InvalidVhdException) {
                return new Classification(ErrorClass.NON_RECOVERABLE, "InvalidVhd", 0,
                        "broken replica VHD: its footer does not parse");
            }
        }
        return new Classification(ErrorClass.NON_RECOVERABLE, "UnexpectedError", 0,
                "unexpected error (" + error.getClass().getSimpleName() + "): needs an administrator");
    }
}
