package io.replisim.azure.vault;

/** A VMM cloud on a registered VMM server, grouping that server's hosts. Changed through the vault. */
public final class VmmCloud extends ProtectionContainer {
    private final String vmmServer;

    VmmCloud(String vmmServer, String name) {
        super(name);
        this.vmmServer = vmmServer;
    }

    public String vmmServer() {
        return vmmServer;
    }

    @Override
    public String toString() {
        return "VMM cloud " + vmmServer + "/" + name();
    }
}
