package io.replisim.azure.vault;

/** A Hyper-V site: registered standalone hosts gathered for protection. Changed through the vault. */
public final class HyperVSite extends ProtectionContainer {

    HyperVSite(String name) {
        super(name);
    }

    @Override
    public String toString() {
        return "Hyper-V site " + name();
    }
}
