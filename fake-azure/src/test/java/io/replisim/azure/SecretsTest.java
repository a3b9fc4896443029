package io.replisim.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.replisim.azure.azurite.AzuriteServer;
import io.replisim.azure.azurite.SharedAzurite;
import io.replisim.azure.storage.AzuriteBlobStorage;
import io.replisim.azure.storage.BlobEndpoint;
import io.replisim.azure.storage.BlobStorage;
import io.replisim.azure.wire.BlobOperation;
import io.replisim.azure.wire.WireFault;
import io.replisim.azure.wire.WireFaultProxy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Account keys never show in what our objects and failures render. */
@ExtendWith(SharedAzurite.class)
class SecretsTest {
    /** Azurite's well-known key: public, but a key all the same, and the one every test run uses. */
    private static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final String OTHER_KEY = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";

    private static void assertNoSecret(String rendered) {
        for (String secret : List.of(DEV_KEY, OTHER_KEY, "AccountKey=", "sig=")) {
            assertFalse(rendered.contains(secret), () -> "leaked " + secret + " in:\n" + rendered);
        }
    }

    private static String render(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out)); // message, causes and suppressed ones
        return t + "\n" + out;
    }

    @Test
    void noPublicObjectRendersTheKey() {
        AzuriteServer server = SharedAzurite.server();
        BlobEndpoint other = server.endpoint().withAccountKey(OTHER_KEY);
        try (WireFaultProxy proxy = WireFaultProxy.start(server.endpoint())) {
            WireFaultProxy.InjectedFault fault = proxy.inject(WireFault.serverBusy().on(BlobOperation.PUT_PAGE));
            List<Object> objects = List.of(server, server.endpoint(), other, server.newBlobStorage(),
                    new AzuriteBlobStorage(other), AzuriteServer.Config.fromEnvironment(), proxy, proxy.endpoint(),
                    fault, fault.fault());
            for (Object o : objects) {
                assertNoSecret(o.toString());
            }
        }
    }

    @Test
    void noFailureMessageRendersTheKey() throws Exception {
        AzuriteServer server = SharedAzurite.server();
        List<Throwable> failures = new ArrayList<>();
        Consumer<Runnable> collect = call -> failures.add(assertThrows(RuntimeException.class, call::run));

        BlobStorage wrongKey = new AzuriteBlobStorage(server.endpoint().withAccountKey(OTHER_KEY));
        collect.accept(() -> wrongKey.createContainer("secrets"));
        collect.accept(() -> wrongKey.uploadBlockBlob("secrets", "b", new byte[10]));
        BlobStorage storage = server.newBlobStorage();
        storage.createContainer("secrets");
        collect.accept(() -> storage.download("secrets", "missing"));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        BlobStorage nowhere = new AzuriteBlobStorage(server.endpoint().withUrl(
                URI.create("http://127.0.0.1:" + closedPort + "/devstoreaccount1")), Duration.ofSeconds(5));
        collect.accept(() -> nowhere.containerExists("secrets"));
        try (WireFaultProxy proxy = WireFaultProxy.start(server.endpoint())) {
            BlobStorage proxied = new AzuriteBlobStorage(proxy.endpoint(), Duration.ofSeconds(1));
            for (WireFault f : List.of(WireFault.authorizationFailure(), WireFault.authenticationFailed(),
                    WireFault.connectionReset(), WireFault.slowResponse(Duration.ofSeconds(2)),
                    WireFault.serverTimeout(Duration.ofSeconds(2)))) {
                WireFaultProxy.InjectedFault injected = proxy.inject(f);
                collect.accept(() -> proxied.uploadBlockBlob("secrets", "log", new byte[100]));
                injected.remove();
            }
        }
        collect.accept(() -> AzuriteServer.start(AzuriteServer.Config.defaults().toBuilder()
                .launcher(AzuriteServer.Launcher.NPM).home(java.nio.file.Path.of("/nonexistent")).build()));

        assertEquals(10, failures.size());
        for (Throwable t : failures) {
            assertNoSecret(render(t));
            assertNoSecret(AzureErrorClassifier.classify(t).toString());
        }
    }

    @Test
    void redactionMasksConnectionStringsSasTokensAndSharedKeyHeaders() {
        assertEquals("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=****;BlobEndpoint=x;",
                Secrets.redact("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DEV_KEY
                        + ";BlobEndpoint=x;"));
        assertEquals("https://a.blob.core.windows.net/c/b?sv=2025-01-05&sp=r&sig=****&se=2026",
                Secrets.redact("https://a.blob.core.windows.net/c/b?sv=2025-01-05&sp=r&sig=abc%2Bdef%3D&se=2026"));
        assertEquals("Authorization: SharedKey devstoreaccount1:****",
                Secrets.redact("Authorization: SharedKey devstoreaccount1:q83mZ0aXl8pCyg+6cWc0hc4Q2fCLgl3K0XZh1vz5H1Y="));
        assertEquals(null, Secrets.redact(null));
    }
}
