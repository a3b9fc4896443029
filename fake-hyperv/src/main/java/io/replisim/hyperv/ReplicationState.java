package io.replisim.hyperv;

/**
 * A VM's replication state, with Hyper-V's own names as display strings. Which transitions are
 * legal is decided by {@link ReplicationService}.
 */
public enum ReplicationState {
    NOT_ENABLED("Not enabled", ReplicationHealth.NORMAL, false),
    READY_FOR_REPLICATION("Ready for replication", ReplicationHealth.NORMAL, false),
    WAITING_TO_COMPLETE_INITIAL_REPLICATION("Waiting to complete initial replication", ReplicationHealth.WARNING, true),
    REPLICATING("Replicating", ReplicationHealth.NORMAL, true),
    PREPARED_FOR_PLANNED_FAILOVER("Prepared for planned failover", ReplicationHealth.NORMAL, true),
    FAILOVER_COMPLETE("Failover complete", ReplicationHealth.NORMAL, false),
    PAUSED("Paused", ReplicationHealth.WARNING, true),
    ERROR("Error", ReplicationHealth.CRITICAL, true),
    RESYNCHRONIZATION_REQUIRED("Resynchronization required", ReplicationHealth.CRITICAL, false),
    RESYNCHRONIZING("Resynchronizing", ReplicationHealth.WARNING, true),
    RESYNCHRONIZATION_SUSPENDED("Resynchronization suspended", ReplicationHealth.CRITICAL, true);

    private final String displayName;
    private final ReplicationHealth health;
    private final boolean tracking;

    ReplicationState(String displayName, ReplicationHealth health, boolean tracking) {
        this.displayName = displayName;
        this.health = health;
        this.tracking = tracking;
    }

    /** Hyper-V's name for the state, e.g. "Waiting to complete initial replication". */
    public String displayName() {
        return displayName;
    }

    /**
     * The health the host itself reports in this state. Hyper-V also degrades health on missed
     * cycles and late sends; the host cannot see those, the replication stack accounts for them.
     */
    ReplicationHealth health() {
        return health;
    }

    /** Whether writes are logged to .hrl files in this state. */
    boolean tracksWrites() {
        return tracking;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
