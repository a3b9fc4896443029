package io.replisim.simulator.replication;

import io.replisim.hyperv.VirtualDisk;
import io.replisim.hyperv.Workload;

/** One protected disk: the source on the host, its workload, and its replica in Azure (once created). */
final class DiskReplication {
    final VirtualDisk source;
    final Workload workload;
    Replica replica;
    /** Flow fidelity: the writes due up to here (nanoseconds from the start) have been applied. */
    long writtenUntil;

    /** The disk's id as the vault names it: made once, as every recovery point names it. */
    final String vaultId;

    /** What initial replication sends of the disk: its allocated bytes. */
    final long usedBytes;

    DiskReplication(VirtualDisk source, Workload workload, long usedBytes) {
        this.source = source;
        this.workload = workload;
        this.usedBytes = usedBytes;
        this.vaultId = source.id().toString();
    }

    String name() {
        return source.name();
    }
}
