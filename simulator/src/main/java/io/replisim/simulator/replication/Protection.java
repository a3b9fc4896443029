package io.replisim.simulator.replication;

import io.replisim.azure.vault.JobType;
import io.replisim.hyperv.DiskView;
import io.replisim.hyperv.ReplicationState;
import io.replisim.simulator.trace.TraceEvent;
import java.util.List;

/**
 * Where protection begins and ends: the Enable protection job (prerequisites,
 * CreateReplicationRelationship, StartReplication, which takes the replication checkpoint, at
 * once or at the policy's scheduled start) and the Disable replication job (the relationship,
 * the replica and the recovery points go).
 */
final class Protection {
    private final ProtectedVm p;
    /** The policy's scheduled start of initial replication, while it waits. */
    private long scheduledStart;

    Protection(ProtectedVm p) {
        this.p = p;
    }

    void enable() {
        if (p.initialReplicationStart instanceof ReplicationConfig.StartAt.Replicated) {
            inStep();
            return;
        }
        p.lifecycle.fire(Lifecycle.Event.ENABLE_PROTECTION);
        p.enableItem();
        long startAt = p.site.initialReplicationStart(p.now(), p.initialReplicationStart);
        Runnable startReplication = () -> {
            ProtectedVm.io(() -> p.hyperV().startReplication(p.vm));
            p.trace(new TraceEvent.CheckpointCreated(p.host, p.name(), p.checkpointName()));
            p.observe();
        };
        p.jobs.run(JobType.ENABLE_PROTECTION, List.of(
                VaultJobs.NOTHING,
                VaultJobs.now(() -> p.hyperV().createReplicationRelationship(p.vm)),
                // with a scheduled start, the step only schedules it: the checkpoint is taken then
                startAt <= p.now() + 3 * Timings.JOB_STEP ? done -> {
                    startReplication.run();
                    done.run();
                } : VaultJobs.NOTHING),
                () -> {
                    p.lifecycle.fire(Lifecycle.Event.PROTECTION_ENABLED);
                    if (p.lifecycle.is(Lifecycle.State.INITIAL_REPLICATION)) {
                        p.initial.start();
                    } else {
                        scheduledStart = p.site.kernel().schedule(Math.max(startAt, p.now()), ProtectedVm.named("initial-replication "
                                + p.name(), () -> {
                            scheduledStart = 0;
                            p.lifecycle.fire(Lifecycle.Event.SCHEDULED_START);
                            // Hyper-V may refuse the start (the VM gone, the host short of memory): an error, retried
                            p.retries.guarded(() -> {
                                startReplication.run();
                                p.initial.start();
                            }).run();
                        }));
                    }
                });
    }

    /**
     * The policy says initial replication was done before the run: the VM is protected now, its
     * replication relationship made and its replicas holding its disks as they are (no transfer),
     * and it replicates from the first cycle.
     */
    private void inStep() {
        p.lifecycle.fire(Lifecycle.Event.PROTECTED_IN_STEP);
        p.enableItem();
        ProtectedVm.io(() -> p.hyperV().createReplicationRelationship(p.vm));
        ProtectedVm.io(() -> p.hyperV().startReplication(p.vm));
        p.trace(new TraceEvent.CheckpointCreated(p.host, p.name(), p.checkpointName()));
        for (DiskReplication d : p.disks) {
            d.replica = p.newReplica(d);
            DiskView frozen = d.source.checkpointView().orElseThrow();
            long chunk = Timings.irChunkBytes(d.source.sizeBytes());
            for (long offset = 0; offset < d.source.sizeBytes(); offset += chunk) {
                long at = offset;
                ProtectedVm.io(() -> d.replica.copy(frozen, at, Math.min(chunk, d.source.sizeBytes() - at)));
            }
        }
        p.logs.switchLogs(); // nothing written yet: the first point stands for now
        String checkpoint = p.checkpointName();
        ProtectedVm.io(() -> p.hyperV().completeInitialReplication(p.vm));
        p.trace(new TraceEvent.CheckpointMerged(p.host, p.name(), checkpoint));
        p.observe();
        p.points.create();
        // VMs protected long before were protected at different times: each VM's cycles keep
        // their own phase in the copy interval, drawn from the seed, rather than all at once
        long phase = p.site.kernel().stream("cycle-phase/" + p.host + "/" + p.name()).nextLong(p.site.copyFrequency());
        p.delta.cycleStartsAt(p.now() - phase);
        p.delta.cycleDone();
    }

    /** Stops protecting the VM: the replication relationship and the replica data go. */
    void disable() {
        String refused = p.disablingOrDisabled() ? "replication is disabled already"
                : p.vm.replicationState() == ReplicationState.NOT_ENABLED
                        ? "replication is not enabled (yet): the job enabling it is still running" : null;
        if (refused != null) {
            p.refuse("disable-replication", refused);
            return;
        }
        p.lifecycle.fire(Lifecycle.Event.DISABLE_REPLICATION);
        if (scheduledStart != 0) { // initial replication will not start
            p.site.kernel().cancel(scheduledStart);
            scheduledStart = 0;
        }
        p.stopReplicating();
        p.jobs.run(JobType.DISABLE_REPLICATION, List.of(
                VaultJobs.NOTHING,
                VaultJobs.now(() -> p.hyperV().removeReplicationRelationship(p.vm)),
                VaultJobs.now(() -> {
                    p.points.dropAll();
                    for (DiskReplication d : p.disks) {
                        if (d.replica != null) {
                            p.site.storage().deleteBlobAndSnapshots(d.replica.disk.container(), d.replica.disk.blobName());
                            d.replica = null;
                        }
                    }
                    p.site.vault().disableProtection(p.item());
                    p.lifecycle.fire(Lifecycle.Event.REPLICATION_DISABLED);
                })), () -> {});
    }
}
