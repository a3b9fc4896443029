package io.replisim.simulator.replication;

/**
 * An error the replication stack met, classified by {@link ErrorClassifier}: recoverable errors
 * are retried on the {@link RetryLadder}; the others stop replication until an administrator acts.
 */
public record ReplicationError(String code, boolean recoverable, String message) {}
