package io.replisim.simulator.trace;

import java.time.Duration;

/**
 * Everything a run records, one record type per trace {@code type}. Components are written in
 * declaration order after {@code seq}, {@code t} and {@code type}; null components are omitted.
 * Entity keys ({@code host}, {@code vm}, {@code disk}, {@code job}) come first. Every type and
 * field is documented in {@code docs/trace.md}; keep the two in step.
 */
public sealed interface TraceEvent {

    /** The trace {@code type} of this event, e.g. {@code vm.state}. */
    String type();

    /** {@code trace}: the trace's level when not {@code full} (absent for a full trace). */
    record RunStarted(String replisim, int traceFormat, String scenario, long seed, String fidelity, String azure, String start,
                      String timeZone, Duration duration, Duration copyFrequency, Duration retention,
                      Duration appConsistentEvery, String trace) implements TraceEvent {
        public String type() { return "run.started"; }
    }

    record RunFinished(boolean passed, long expectationsFailed) implements TraceEvent {
        public String type() { return "run.finished"; }
    }

    /** The workload stopped at the end of the scenario's duration; what follows drains the logs. */
    record WorkloadStopped(long bytesWritten) implements TraceEvent {
        public String type() { return "workload.stopped"; }
    }

    record VmState(String host, String vm, String from, String to) implements TraceEvent {
        public String type() { return "vm.state"; }
    }

    record VmHealth(String host, String vm, String from, String to) implements TraceEvent {
        public String type() { return "vm.health"; }
    }

    record JobStarted(String vm, String job, String name) implements TraceEvent {
        public String type() { return "job.started"; }
    }

    record JobStep(String vm, String job, String step, String status) implements TraceEvent {
        public String type() { return "job.step"; }
    }

    record JobFinished(String vm, String job, String name, String status, Duration duration) implements TraceEvent {
        public String type() { return "job.finished"; }
    }

    record CheckpointCreated(String host, String vm, String checkpoint) implements TraceEvent {
        public String type() { return "checkpoint.created"; }
    }

    record CheckpointMerged(String host, String vm, String checkpoint) implements TraceEvent {
        public String type() { return "checkpoint.merged"; }
    }

    record InitialReplicationStarted(String host, String vm, long diskBytes) implements TraceEvent {
        public String type() { return "ir.started"; }
    }

    record InitialReplicationFinished(String host, String vm, long bytesSent, Duration duration) implements TraceEvent {
        public String type() { return "ir.finished"; }
    }

    record LogSwitched(String host, String vm, String disk, long sequence, long bytes, long records)
            implements TraceEvent {
        public String type() { return "log.switched"; }
    }

    record TransferStarted(String host, String vm, String disk, String transfer, String kind, long bytes)
            implements TraceEvent {
        public String type() { return "transfer.started"; }
    }

    record TransferFinished(String host, String vm, String disk, String transfer, String kind, long bytes,
                            Duration duration) implements TraceEvent {
        public String type() { return "transfer.finished"; }
    }

    /** A long transfer (a disk's initial copy, resync, reprotect or failback) crossed a tenth of its bytes. */
    record TransferProgress(String host, String vm, String disk, String transfer, String kind, long bytesDone, long bytes)
            implements TraceEvent {
        public String type() { return "transfer.progress"; }
    }

    /** A transfer attempt failed ({@code reason}: the error's code); a retry sends it again. */
    record TransferFailed(String host, String vm, String disk, String transfer, String kind, long bytes, String reason)
            implements TraceEvent {
        public String type() { return "transfer.failed"; }
    }

    /** What the agent may send over the site's uplink from now on ({@code reason}: start, schedule, outage, restored). */
    record UplinkCapacity(String site, long bitsPerSecond, String reason) implements TraceEvent {
        public String type() { return "uplink.capacity"; }
    }

    record LogApplied(String vm, String disk, long sequence, long records, long bytes, boolean applied)
            implements TraceEvent {
        public String type() { return "log.applied"; }
    }

    /**
     * {@code pointInTime}: the moment the point's data stands for (its log switch); {@code rpo}:
     * the RPO just before this point became available (absent for the first).
     */
    record RecoveryPointCreated(String vm, String recoveryPoint, String consistency, String pointInTime, Duration rpo)
            implements TraceEvent {
        public String type() { return "recovery-point.created"; }
    }

    record RecoveryPointPruned(String vm, String recoveryPoint) implements TraceEvent {
        public String type() { return "recovery-point.pruned"; }
    }

    /**
     * The end-of-run comparison of a replica with its source: {@code method} {@code sha256} of the
     * disk content (bytes fidelity) or of its {@code extent-versions} (model fidelity).
     */
    record ReplicaVerified(String host, String vm, String disk, String method, String sourceSha256, String replicaSha256,
                           boolean matches) implements TraceEvent {
        public String type() { return "replica.verified"; }
    }

    /** Delta replication cannot go on: {@code reason} (e.g. {@code log-threshold}) with the figures that decided. */
    record ResyncRequired(String host, String vm, String reason, long logBytes, long diskBytes) implements TraceEvent {
        public String type() { return "resync.required"; }
    }

    record ResyncStarted(String host, String vm, String trigger) implements TraceEvent {
        public String type() { return "resync.started"; }
    }

    record ResyncFinished(String host, String vm, long blocksCompared, long blocksSent, long bytesSent, Duration duration)
            implements TraceEvent {
        public String type() { return "resync.finished"; }
    }

    /**
     * An error met by the replication stack, classified recoverable (retried) or not;
     * {@code sdkRetries}: how often the Azure SDK had sent the failed storage request again
     * (azurite backend only).
     */
    record ErrorRaised(String host, String vm, String disk, String job, String code, boolean recoverable, String message,
                       Long sdkRetries) implements TraceEvent {
        public String type() { return "error"; }
    }

    /** The Azure SDK's retry policy absorbed failed storage requests: the stack saw the call succeed (azurite backend only). */
    record StorageRetried(String operation, long sdkRetries, String code) implements TraceEvent {
        public String type() { return "storage.retried"; }
    }

    /** A recoverable error's retry: {@code attempt} counts from 1, {@code delay} follows the ladder. */
    record RetryScheduled(String host, String vm, int attempt, Duration delay) implements TraceEvent {
        public String type() { return "retry.scheduled"; }
    }

    record FaultInjected(String host, String vm, String kind, Duration duration, Integer requests) implements TraceEvent {
        public String type() { return "fault.injected"; }
    }

    record FaultCleared(String host, String vm, String kind) implements TraceEvent {
        public String type() { return "fault.cleared"; }
    }

    /**
     * A failover's Azure VM exists and was checked: its disks hold exactly the source's content
     * as of the recovery point ({@code verified}); {@code dataLoss} is the time between the point
     * and the failover if the source had writes the point lacks ({@code blocksLost} 4 KiB blocks).
     */
    record FailoverFinished(String host, String vm, String kind, String recoveryPoint, String pointInTime,
                            String azureVm, String virtualNetwork, Duration dataLoss, long blocksLost, boolean verified)
            implements TraceEvent {
        public String type() { return "failover.finished"; }
    }

    /**
     * A failback brought the on-premises disks to the failover VM's content: {@code sync} is
     * {@code checksum} (only differing blocks sent) or {@code full}; {@code verified} that the
     * disks now equal the Azure VM's.
     */
    record FailbackFinished(String host, String vm, String sync, long blocksCompared, long blocksSent, long bytesSent,
                            Duration duration, boolean verified) implements TraceEvent {
        public String type() { return "failback.finished"; }
    }

    /** Reverse replication brought the replica up to date by block comparison; delta cycles resume. */
    record ReprotectFinished(String host, String vm, long blocksCompared, long blocksSent, long bytesSent, Duration duration)
            implements TraceEvent {
        public String type() { return "reprotect.finished"; }
    }

    /** An action that could not be carried out, and why. */
    record ActionRefused(String vm, String action, String reason) implements TraceEvent {
        public String type() { return "action.refused"; }
    }

    /** An administrator's action from the scenario. */
    record AdminAction(String vm, String action) implements TraceEvent {
        public String type() { return "action"; }
    }

    record ExpectationChecked(String vm, String name, boolean passed, String detail) implements TraceEvent {
        public String type() { return "expectation"; }
    }
}
