package io.replisim.simulator.replication;

/**
 * An error the replication stack met, classified by {@link ErrorClassifier}: recoverable errors
 * are retried on the {@link RetryLadder}; the others stop replication until an administrator acts.
 * {@code sdkRetries}: how often the Azure SDK had sent the failed storage request again (null:
 * no SDK between the stack and the account, or not a storage error).
 */
public record ReplicationError(String code, boolean recoverable, String message, Long sdkRetries) {
    public ReplicationError(String code, boolean recoverable, String message) {
        this(code, recoverable, message, null);
    }
}
