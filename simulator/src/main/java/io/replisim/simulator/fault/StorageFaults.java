package io.replisim.simulator.fault;

import io.replisim.azure.AzureErrorClassifier;
import io.replisim.azure.storage.AzuriteBlobStorage;
import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.storage.BlobStorageException;
import io.replisim.azure.storage.ForwardingBlobStorage;
import io.replisim.azure.wire.WireFault;
import io.replisim.azure.wire.WireFaultProxy;
import io.replisim.simulator.trace.TraceEvent;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where a site's storage faults strike (docs/fake-azure.md, "Two retry layers").
 *
 * <p>In front of the account (the {@code memory} backend, which has no client library): while a
 * fault lasts, each call answers as Azure would before it reaches the account, one request a call.
 *
 * <p>On the wire (the {@code azurite} backend): the fault goes into the {@link WireFaultProxy}
 * between the Azure SDK and Azurite, which answers request by request, counted, never timed. The
 * SDK's retry policy meets the answer first; what it absorbs is a {@code storage.retried} event,
 * what it gives up on reaches the stack as the very answer the memory backend gives (same code
 * and message, the wire's exception kept as the cause), carrying how often the SDK retried.
 *
 * <p>A later storage fault replaces an earlier one; clearing a kind that is not the active one
 * changes nothing. Faults strike only between the stack's calls, at simulated instants, and a
 * site runs on one thread, so which requests fail follows from the run alone.
 */
public final class StorageFaults {
    private final WireFaultProxy proxy;
    private final AzuriteBlobStorage client;
    private FaultKind active;
    /** Calls the active fault still strikes in front of the account; -1: every call while it lasts. */
    private int remaining;
    private WireFaultProxy.InjectedFault injected;

    private StorageFaults(WireFaultProxy proxy, AzuriteBlobStorage client) {
        this.proxy = proxy;
        this.client = client;
    }

    /** Faults answered in front of the account, for the memory backend. */
    public static StorageFaults inFront() {
        return new StorageFaults(null, null);
    }

    /** Faults injected into {@code proxy}, which {@code client} (the SDK, with its retry policy) reaches the account through. */
    public static StorageFaults onTheWire(WireFaultProxy proxy, AzuriteBlobStorage client) {
        return new StorageFaults(Objects.requireNonNull(proxy, "proxy"), Objects.requireNonNull(client, "client"));
    }

    /** Whether faults strike on the wire rather than in front of the account. */
    public boolean onTheWire() {
        return proxy != null;
    }

    /**
     * The storage account answers {@code kind} from now on: to every request while it lasts, or
     * to the next {@code requests} only (calls in front of the account, HTTP requests on the wire,
     * the SDK's retries among them).
     */
    public void strike(FaultKind kind, Integer requests) {
        if (!kind.storage()) {
            throw new IllegalArgumentException(kind + " is not a storage fault");
        }
        active = kind;
        remaining = requests == null ? -1 : requests;
        if (proxy != null) {
            removeInjected();
            WireFault fault = wireFault(kind);
            injected = proxy.inject(requests == null ? fault : fault.times(requests));
        }
    }

    /** {@code kind} ends, if it is the active fault. */
    public void clear(FaultKind kind) {
        if (active == kind) {
            clearAll();
        }
    }

    public void clearAll() {
        active = null;
        removeInjected();
    }

    private void removeInjected() {
        if (injected != null) {
            injected.remove();
            injected = null;
        }
    }

    /** What the proxy does for {@code kind}: what the SDK would meet from a real account. */
    private WireFault wireFault(FaultKind kind) {
        return switch (kind) {
            case STORAGE_UNAVAILABLE -> WireFault.serverBusy();
            case STORAGE_INTERNAL_ERROR -> WireFault.internalError();
            case AUTHENTICATION_FAILURE -> WireFault.authenticationFailed();
            case STORAGE_CONNECTION_RESET -> WireFault.connectionReset();
            // held past the SDK's try timeout, then refused unseen by the account: a timeout without side effects
            case STORAGE_SLOW -> WireFault.serverTimeout(client.requestTimeout().multipliedBy(2));
            default -> throw new IllegalArgumentException(kind + " is not a storage fault");
        };
    }

    /**
     * The account as the stack sees it through these faults; {@code events} receives
     * {@code storage.retried} (on the wire only).
     */
    public BlobStorage wrap(BlobStorage target, Consumer<TraceEvent> events) {
        if (proxy == null) {
            return new ForwardingBlobStorage(target) {
                @Override
                protected void before(String operation) {
                    if (active != null && remaining != 0) {
                        if (remaining > 0) {
                            remaining--;
                        }
                        throw answer(active, operation);
                    }
                }
            };
        }
        return new ForwardingBlobStorage(target) {
            private long retriesBefore;

            @Override
            protected void before(String operation) {
                retriesBefore = client.sdkRetries();
            }

            @Override
            protected void after(String operation) {
                long retried = client.sdkRetries() - retriesBefore;
                if (retried > 0) {
                    events.accept(new TraceEvent.StorageRetried(operation, retried,
                            active == null ? null : code(answer(active, operation))));
                }
            }

            @Override
            protected RuntimeException failed(String operation, RuntimeException wire) {
                long retried = client.sdkRetries() - retriesBefore;
                if (active != null) {
                    RuntimeException answer = answer(active, operation);
                    if (code(answer).equals(code(wire))) {
                        answer.addSuppressed(new SdkRetried(retried, wire));
                        return answer;
                    }
                }
                wire.addSuppressed(new SdkRetried(retried, null));
                return wire;
            }
        };
    }

    private static String code(RuntimeException e) {
        return AzureErrorClassifier.classify(e).code();
    }

    /** Azure's answer to {@code operation} under {@code kind}, as a client library reports it. */
    private static RuntimeException answer(FaultKind kind, String operation) {
        return switch (kind) {
            case STORAGE_UNAVAILABLE -> new BlobStorageException("ServerBusy", 503,
                    "The server is busy (" + operation + ")");
            case AUTHENTICATION_FAILURE -> new BlobStorageException("AuthenticationFailed", 403,
                    "Server failed to authenticate the request (" + operation + ")");
            case STORAGE_INTERNAL_ERROR -> new BlobStorageException("InternalError", 500,
                    "The server encountered an internal error (" + operation + ")");
            case STORAGE_CONNECTION_RESET -> new UncheckedIOException("Connection reset (" + operation + ")",
                    new SocketException("Connection reset"));
            case STORAGE_SLOW -> new UncheckedIOException("No answer in time (" + operation + ")",
                    new SocketTimeoutException("Read timed out"));
            default -> throw new IllegalStateException(kind + " is not a storage fault");
        };
    }

    /** How many times the SDK sent a failed call's requests again: on the exception the stack gets, as a suppressed one. */
    public static final class SdkRetried extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long retries;

        SdkRetried(long retries, RuntimeException wire) {
            super("the Azure SDK sent the request again " + retries + " times", wire, false, false);
            this.retries = retries;
        }

        public long retries() {
            return retries;
        }

        /** The retries recorded on {@code error}, or null if it did not come through the SDK. */
        public static Long of(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                for (Throwable s : t.getSuppressed()) {
                    if (s instanceof SdkRetried r) {
                        return r.retries;
                    }
                }
            }
            return null;
        }
    }
}
