package io.replisim.azure.vault;

/** A protected item's replication health, as the portal shows it. */
public enum ReplicationHealth {
    NORMAL("Normal"),
    WARNING("Warning"),
    CRITICAL("Critical");

    private final String displayName;

    ReplicationHealth(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
