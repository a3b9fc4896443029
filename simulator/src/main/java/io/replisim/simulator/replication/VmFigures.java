package io.replisim.simulator.replication;

/** What a VM's replication sent and went through, for the summary. */
final class VmFigures {
    long irStartedAt = -1;
    long irBytesSent;
    long logsShipped;
    long logBytesShipped;
    long recoveryPointsCreated;
    long errors;
    long retries;
    long resyncs;
    long resyncBytesSent;
    /** The most log bytes pending on the host at once (seen at switches, acknowledgements and threshold checks). */
    long peakPendingLogBytes;
}
