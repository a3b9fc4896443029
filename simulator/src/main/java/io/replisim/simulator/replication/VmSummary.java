package io.replisim.simulator.replication;

import java.time.Duration;
import java.util.List;

/** Per VM: how replication went. {@code timeToReplicating} is null if it never got there. */
public record VmSummary(
        String host,
        String vm,
        String finalState,
        String finalHealth,
        Duration timeToReplicating,
        long initialReplicationBytes,
        long logsShipped,
        long logBytesShipped,
        long bytesSent,
        long recoveryPoints,
        long errors,
        long retries,
        long resyncs,
        long resyncBytesSent,
        Rpo rpo,
        List<DiskCheck> disks) {
    public VmSummary {
        disks = List.copyOf(disks);
    }

    /**
     * The recovery point objective over the run: the time since the newest recovery point,
     * sampled every 10 simulated seconds once a first point exists (to 3 significant digits).
     */
    public record Rpo(Duration p50, Duration p95, Duration p99, Duration max, long samples) {}

    /**
     * The end-of-run comparison of one replica with its source: {@code method} is {@code sha256}
     * (of the bytes) or {@code extent-versions} (SHA-256 of the content versions, model fidelity).
     */
    public record DiskCheck(String disk, long sizeBytes, String method, String sourceSha256, String replicaSha256,
                            boolean matches) {}
}
