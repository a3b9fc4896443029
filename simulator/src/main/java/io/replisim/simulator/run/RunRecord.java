package io.replisim.simulator.run;

import java.time.Duration;
import java.util.List;

/**
 * What a finished run hands to the reports: a value, serialisable as {@code summary.json} and
 * read back from it. Everything in it follows from (scenario, seed, version): no wall-clock time.
 *
 * @param simulated how much simulated time passed, including the drain after the workload stopped
 * @param events    how many kernel events fired
 */
public record RunRecord(
        String scenario,
        long seed,
        String fidelity,
        String azure,
        String start,
        String timeZone,
        Duration duration,
        Duration simulated,
        long events,
        boolean passed,
        List<VmSummary> vms,
        List<ExpectationResult> expectations,
        List<JobRow> jobs) {

    public RunRecord {
        vms = List.copyOf(vms);
        expectations = List.copyOf(expectations);
        jobs = List.copyOf(jobs);
    }

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

    /** One scenario expectation and whether it held. */
    public record ExpectationResult(String name, boolean passed, String detail) {}

    /** A vault job as the portal's Jobs tab lists it. */
    public record JobRow(String job, String name, String item, String status, String started, Duration duration) {}
}
