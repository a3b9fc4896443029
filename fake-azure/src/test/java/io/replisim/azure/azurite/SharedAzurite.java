package io.replisim.azure.azurite;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One npm Azurite for every test class that extends with this: started on first use, stopped
 * when the whole test run ends (the root store closes what it holds), since each start costs a
 * node process.
 */
public final class SharedAzurite implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedAzurite.class);
    private static volatile AzuriteServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("azurite",
                key -> AzuriteServer.start(AzuriteServer.Config.defaults().toBuilder()
                        .launcher(AzuriteServer.Launcher.NPM).build()),
                AzuriteServer.class);
    }

    /** The running server; only inside a class extended with this. */
    public static AzuriteServer server() {
        AzuriteServer s = server;
        if (s == null) {
            throw new IllegalStateException("extend the test class with SharedAzurite");
        }
        return s;
    }
}
