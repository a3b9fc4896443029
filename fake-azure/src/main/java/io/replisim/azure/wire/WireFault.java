package io.replisim.azure.wire;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A fault the {@link WireFaultProxy} injects: one of a closed set of kinds, on one operation
 * (default all), for a number of requests (default unlimited) and, optionally, only while a clock
 * is inside a time window. Immutable; build with the factory methods and the withers:
 *
 * <pre>{@code
 * WireFault.serverBusy().on(BlobOperation.PUT_PAGE).times(3)
 * WireFault.connectionReset().between(outageStart, outageEnd)
 * WireFault.slowResponse(Duration.ofSeconds(2)).on(BlobOperation.GET_BLOB)
 * WireFault.serverTimeout(Duration.ofSeconds(10)).times(4)
 * }</pre>
 */
public final class WireFault {

    /** What the proxy does to a matching request. */
    public enum Kind {
        /** 503 with {@code x-ms-error-code: ServerBusy}: Azure throttling the account. */
        SERVER_BUSY(503, "ServerBusy", "The server is currently unable to receive requests. Please retry your request."),
        /** 500 {@code InternalError}. */
        INTERNAL_ERROR(500, "InternalError", "The server encountered an internal error. Please retry the request."),
        /** 403 {@code AuthorizationFailure}: e.g. a firewall rule or a revoked role. */
        AUTHORIZATION_FAILURE(403, "AuthorizationFailure", "This request is not authorized to perform this operation."),
        /** 403 {@code AuthenticationFailed}: Azure's answer to a wrong or revoked account key. */
        AUTHENTICATION_FAILED(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value"
                + " of Authorization header is formed correctly including the signature."),
        /**
         * 500 {@code OperationTimedOut} after a delay, and the request never reaches the account: the
         * service gave up before acting on it, so a client that waits less sees its own timeout and
         * nothing changed.
         */
        SERVER_TIMEOUT(500, "OperationTimedOut", "Operation could not be completed within the specified time."),
        /** The connection is reset before any response (TCP RST). */
        CONNECTION_RESET(0, null, null),
        /** The real response, from Azurite, after a delay. */
        SLOW_RESPONSE(0, null, null);

        private final int status;
        private final String errorCode;
        private final String message;

        Kind(int status, String errorCode, String message) {
            this.status = status;
            this.errorCode = errorCode;
            this.message = message;
        }

        /** The HTTP status of an error response, 0 for the kinds that send none. */
        public int status() {
            return status;
        }

        /** The {@code x-ms-error-code} of an error response, null for the kinds that send none. */
        public String errorCode() {
            return errorCode;
        }

        String message() {
            return message;
        }
    }

    private final Kind kind;
    private final BlobOperation operation;
    private final int times;
    private final Instant from;
    private final Instant until;
    private final Duration delay;

    private WireFault(Kind kind, BlobOperation operation, int times, Instant from, Instant until, Duration delay) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.times = times;
        this.from = from;
        this.until = until;
        this.delay = delay;
    }

    public static WireFault serverBusy() {
        return new WireFault(Kind.SERVER_BUSY, BlobOperation.ANY, 0, null, null, Duration.ZERO);
    }

    public static WireFault internalError() {
        return new WireFault(Kind.INTERNAL_ERROR, BlobOperation.ANY, 0, null, null, Duration.ZERO);
    }

    public static WireFault authorizationFailure() {
        return new WireFault(Kind.AUTHORIZATION_FAILURE, BlobOperation.ANY, 0, null, null, Duration.ZERO);
    }

    public static WireFault authenticationFailed() {
        return new WireFault(Kind.AUTHENTICATION_FAILED, BlobOperation.ANY, 0, null, null, Duration.ZERO);
    }

    public static WireFault connectionReset() {
        return new WireFault(Kind.CONNECTION_RESET, BlobOperation.ANY, 0, null, null, Duration.ZERO);
    }

    /** Responses arrive {@code delay} late (whole milliseconds). */
    public static WireFault slowResponse(Duration delay) {
        return new WireFault(Kind.SLOW_RESPONSE, BlobOperation.ANY, 0, null, null, checkedDelay(delay));
    }

    /**
     * Requests are held {@code delay} (whole milliseconds) and then answered 500
     * {@code OperationTimedOut} without reaching the account: give a delay above the client's
     * request timeout for a client-side timeout that leaves no side effect behind.
     */
    public static WireFault serverTimeout(Duration delay) {
        return new WireFault(Kind.SERVER_TIMEOUT, BlobOperation.ANY, 0, null, null, checkedDelay(delay));
    }

    private static Duration checkedDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.isZero() || delay.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("delay " + delay + " must be positive and under 24 days");
        }
        return delay;
    }

    /** Only on this operation. */
    public WireFault on(BlobOperation op) {
        return new WireFault(kind, op, times, from, until, delay);
    }

    /** Only the next {@code n} matching requests (n >= 1); then requests pass again. */
    public WireFault times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a wire fault applies to at least 1 request, not " + n);
        }
        return new WireFault(kind, operation, n, from, until, delay);
    }

    /**
     * Only while the proxy's clock reads an instant in {@code [start, end)}: the simulation's clock
     * for runs, so that outages follow virtual time.
     */
    public WireFault between(Instant start, Instant end) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("wire fault window [" + start + ", " + end + ") is empty");
        }
        return new WireFault(kind, operation, times, start, end, delay);
    }

    public Kind kind() {
        return kind;
    }

    public BlobOperation operation() {
        return operation;
    }

    /** How many requests it applies to; 0 for all. */
    public int times() {
        return times;
    }

    public boolean hasWindow() {
        return from != null;
    }

    public Instant windowStart() {
        return from;
    }

    public Instant windowEnd() {
        return until;
    }

    /** The delay of a slow response or a server timeout; zero for the other kinds. */
    public Duration delay() {
        return delay;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireFault f && kind == f.kind && operation == f.operation && times == f.times
                && Objects.equals(from, f.from) && Objects.equals(until, f.until) && delay.equals(f.delay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, operation, times, from, until, delay);
    }

    @Override
    public String toString() {
        return kind + (delay.isZero() ? "" : " " + delay) + " on " + operation
                + (times > 0 ? " x" + times : "") + (from != null ? " in [" + from + ", " + until + ")" : "");
    }
}
