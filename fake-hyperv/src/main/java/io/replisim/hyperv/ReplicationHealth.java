package io.replisim.hyperv;

/** Replication health as Hyper-V reports it. */
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

    @Override
    public String toString() {
        return displayName;
    }
}
