package io.replisim.azure.wire;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.replisim.azure.storage.BlobEndpoint;
import java.net.URI;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WireMock server on 127.0.0.1 that forwards every request to a Blob endpoint (Azurite) and
 * injects {@link WireFault}s on command. Requests keep their Shared Key signature: the proxy
 * changes neither path, query nor signed headers, so Azurite still authenticates them.
 *
 * <pre>{@code
 * try (WireFaultProxy proxy = WireFaultProxy.start(azurite.endpoint(), clock)) {
 *     BlobStorage storage = new AzuriteBlobStorage(proxy.endpoint());
 *     InjectedFault busy = proxy.inject(WireFault.serverBusy().on(BlobOperation.PUT_PAGE).times(2));
 *     ...
 *     busy.remove();
 * }
 * }</pre>
 *
 * <p>Counted faults use WireMock scenarios (one stub per remaining hit), windows a matcher on the
 * given clock; a later fault takes precedence over an earlier one on the same request.
 */
public final class WireFaultProxy implements AutoCloseable {

    private static final int FAULT_PRIORITY = 1;
    private static final int PROXY_PRIORITY = 100;

    private final BlobEndpoint target;
    private final InstantSource clock;
    private final WireMockServer server;
    private final HitCounter hits;
    private final Map<Long, InjectedFault> injected = new LinkedHashMap<>();
    private long faultCounter;

    private WireFaultProxy(BlobEndpoint target, InstantSource clock, WireMockServer server, HitCounter hits) {
        this.target = target;
        this.clock = clock;
        this.server = server;
        this.hits = hits;
    }

    /** A proxy without a clock: faults with a time window are refused. */
    public static WireFaultProxy start(BlobEndpoint target) {
        return start(target, null);
    }

    /** A proxy whose fault windows are read on {@code clock} (e.g. the simulation's). */
    public static WireFaultProxy start(BlobEndpoint target, InstantSource clock) {
        Objects.requireNonNull(target, "target");
        HitCounter hits = new HitCounter();
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .disableRequestJournal() // it would keep every 4 MiB Put Page body
                .stubRequestLoggingDisabled(true)
                .gzipDisabled(true)
                .globalTemplating(false)
                .notifier(new Slf4jNotifier(false))
                .extensions(hits));
        server.start();
        WireFaultProxy proxy = new WireFaultProxy(target, clock, server, hits);
        server.stubFor(any(anyUrl()).atPriority(PROXY_PRIORITY)
                .willReturn(aResponse().proxiedFrom(target.origin().toString())));
        return proxy;
    }

    /** The target's account and key, reached through the proxy. */
    public BlobEndpoint endpoint() {
        URI url = target.url();
        return target.withUrl(URI.create("http://127.0.0.1:" + server.port() + url.getRawPath()));
    }

    public int port() {
        return server.port();
    }

    /** Starts injecting {@code fault}; it stays until removed, or until its count is used up. */
    public synchronized InjectedFault inject(WireFault fault) {
        Objects.requireNonNull(fault, "fault");
        if (fault.hasWindow() && clock == null) {
            throw new IllegalStateException("fault " + fault + " has a time window but the proxy has no clock;"
                    + " start it with WireFaultProxy.start(target, clock)");
        }
        long id = ++faultCounter;
        List<StubMapping> stubs = new ArrayList<>();
        if (fault.times() == 0) {
            stubs.add(server.stubFor(mapping(fault).willReturn(response(fault))));
        } else {
            String scenario = "wire-fault-" + id;
            for (int i = 0; i < fault.times(); i++) {
                MappingBuilder step = mapping(fault).inScenario(scenario)
                        .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "hit-" + i)
                        .willSetStateTo("hit-" + (i + 1));
                stubs.add(server.stubFor(step.willReturn(response(fault))));
            }
        }
        InjectedFault handle = new InjectedFault(id, fault, stubs);
        injected.put(id, handle);
        return handle;
    }

    /** The faults injected and not removed, oldest first. */
    public synchronized List<InjectedFault> faults() {
        return List.copyOf(injected.values());
    }

    /** Removes every fault: requests pass through again. */
    public synchronized void clearFaults() {
        for (InjectedFault f : List.copyOf(injected.values())) {
            f.remove();
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A new stub pattern for the fault (never reuse a MappingBuilder: WireMock mutates it). */
    private MappingBuilder mapping(WireFault fault) {
        MappingBuilder m = fault.operation().newMapping().atPriority(FAULT_PRIORITY);
        if (fault.hasWindow()) {
            Instant start = fault.windowStart();
            Instant end = fault.windowEnd();
            m = m.andMatching(request -> {
                Instant now = clock.instant();
                return MatchResult.of(!now.isBefore(start) && now.isBefore(end));
            });
        }
        return m;
    }

    private ResponseDefinitionBuilder response(WireFault fault) {
        WireFault.Kind kind = fault.kind();
        return switch (kind) {
            case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            case SLOW_RESPONSE -> aResponse().proxiedFrom(target.origin().toString())
                    .withFixedDelay((int) fault.delay().toMillis());
            case SERVER_TIMEOUT -> errorResponse(kind).withFixedDelay((int) fault.delay().toMillis());
            default -> errorResponse(kind);
        };
    }

    private static ResponseDefinitionBuilder errorResponse(WireFault.Kind kind) {
        return aResponse().withStatus(kind.status())
                .withHeader("x-ms-error-code", kind.errorCode())
                .withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + kind.errorCode()
                        + "</Code><Message>" + kind.message() + "\nRequestId:00000000-0000-0000-0000-000000000000"
                        + "\nTime:2026-01-01T00:00:00.0000000Z</Message></Error>");
    }

    @Override
    public String toString() {
        return "WireFaultProxy[127.0.0.1:" + server.port() + " -> " + target.origin() + ", " + injected.size()
                + " faults]";
    }

    /** A fault in force; {@link #remove()} stops it. */
    public final class InjectedFault {
        private final long id;
        private final WireFault fault;
        private final List<StubMapping> stubs;

        private InjectedFault(long id, WireFault fault, List<StubMapping> stubs) {
            this.id = id;
            this.fault = fault;
            this.stubs = List.copyOf(stubs);
        }

        public WireFault fault() {
            return fault;
        }

        /** How many requests it has hit so far. */
        public int hits() {
            int n = 0;
            for (StubMapping s : stubs) {
                n += hits.count(s.getId());
            }
            return n;
        }

        /** Whether a counted fault has hit as often as it was told to. */
        public boolean exhausted() {
            return fault.times() > 0 && hits() >= fault.times();
        }

        public void remove() {
            synchronized (WireFaultProxy.this) {
                if (injected.remove(id) != null) {
                    for (StubMapping s : stubs) {
                        server.removeStub(s);
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "InjectedFault[" + fault + ", " + hits() + " hits]";
        }
    }

    /** Counts matched requests per stub; the request journal is off. */
    private static final class HitCounter implements ServeEventListener {
        private final ConcurrentHashMap<UUID, AtomicInteger> counts = new ConcurrentHashMap<>();

        @Override
        public void afterMatch(ServeEvent event, Parameters parameters) {
            StubMapping stub = event.getStubMapping();
            if (stub != null && stub.getId() != null) {
                counts.computeIfAbsent(stub.getId(), k -> new AtomicInteger()).incrementAndGet();
            }
        }

        int count(UUID stub) {
            AtomicInteger n = counts.get(stub);
            return n == null ? 0 : n.get();
        }

        @Override
        public String getName() {
            return "replisim-wire-fault-hits";
        }
    }
}
