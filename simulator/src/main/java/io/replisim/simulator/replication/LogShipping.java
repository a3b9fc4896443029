package io.replisim.simulator.replication;

import io.replisim.hyperv.CorruptLogException;
import io.replisim.hyperv.Fidelity;
import io.replisim.hyperv.HostFaultKind;
import io.replisim.hyperv.SealedLog;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.trace.TraceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The .hrl logs of a VM on their way to Azure: sealed at a log switch (new writes go to new
 * logs in the same folder), uploaded over the uplink, applied to the replicas by the vault in
 * sequence order, then acknowledged so Hyper-V deletes them. Initial replication, delta cycles,
 * resynchronization and reprotect all end by shipping what was logged meanwhile.
 */
final class LogShipping {
    static final String LOG_CONTAINER = "asr-logs";

    private final ProtectedVm p;
    /** Logs uploaded by an attempt that failed later: not sent again (the tracker hands out the same log each time). */
    private final Set<SealedLog> uploaded = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()); // lookups only
    /** The source as of the last switch: what a recovery point made from those logs must hold. */
    private RecoveryPoints.SourceCut pendingCut;

    LogShipping(ProtectedVm p) {
        this.p = p;
    }

    /** Seals every disk's active log; the writes after it go to new logs. */
    List<SealedLog> switchLogs() {
        Optional<HostFaultKind> untrusted = p.vm.replicationTracker().resynchronizationRequired();
        if (untrusted.isPresent()) {
            // the disks changed behind the tracker: a point made from these logs would not be the source's state
            throw new ResyncTrigger(untrusted.get().scenarioName(), "replication tracking cannot be trusted after "
                    + untrusted.get().scenarioName());
        }
        p.catchUp(); // flow fidelity: the writes up to the last step, as model fidelity has them
        p.notePending();
        p.delta.noteSwitch();
        pendingCut = new RecoveryPoints.SourceCut(p.now(), p.points.sourceVersions());
        List<SealedLog> logs = new ArrayList<>();
        List<SealedLog> before = List.copyOf(p.vm.replicationTracker().pendingLogs());
        try {
            ProtectedVm.io(() -> logs.addAll(p.vm.replicationTracker().switchLogs()));
        } catch (RuntimeException e) {
            // a switch that failed half-way (no room for the next log) sealed some disks' logs already
            for (SealedLog log : p.vm.replicationTracker().pendingLogs()) {
                if (!before.contains(log)) {
                    emitSwitched(log);
                }
            }
            throw e;
        }
        logs.forEach(this::emitSwitched);
        return logs;
    }

    RecoveryPoints.SourceCut pendingCut() {
        return pendingCut;
    }

    private void emitSwitched(SealedLog log) {
        if (p.tracesCycles()) {
            p.trace(new TraceEvent.LogSwitched(p.host, p.name(), log.diskName(), log.sequence(), log.sizeBytes(), log.recordCount()));
        }
    }

    /**
     * Uploads every sealed log not yet acknowledged (concurrently, one flow each), then applies
     * them to the replicas in sequence order and acknowledges them, then runs {@code then}. If an
     * upload fails, the attempt fails once all its uploads ended, and {@code retry} runs on the
     * retry ladder; logs that did arrive are not sent again.
     */
    void shipPending(Runnable retry, Runnable then) {
        List<SealedLog> logs = new ArrayList<>(p.vm.replicationTracker().pendingLogs());
        logs.sort(Comparator.comparingInt((SealedLog l) -> p.diskIndex(l.diskName())).thenComparingLong(SealedLog::sequence));
        List<SealedLog> toSend = logs.stream().filter(l -> !uploaded.contains(l)).toList();
        Runnable applyAll = () -> p.retries.attempt(retry, () -> {
            p.notePending();
            for (SealedLog log : logs) {
                apply(log, blob(log));
                ProtectedVm.io(() -> p.vm.replicationTracker().acknowledge(log));
                uploaded.remove(log);
            }
            if (!logs.isEmpty()) {
                p.retries.succeeded(); // progress: the ladder starts over (an attempt with nothing to ship proves nothing)
            }
            then.run();
        });
        if (toSend.isEmpty()) {
            applyAll.run();
            return;
        }
        List<TransferBatch.Piece> pieces = new ArrayList<>();
        for (SealedLog log : toSend) {
            String transfer = "log/" + p.name() + "/" + log.diskName() + "/" + log.sequence();
            if (p.tracesCycles()) {
                p.trace(new TraceEvent.TransferStarted(p.host, p.name(), log.diskName(), transfer, "log", log.sizeBytes()));
            }
            long startedAt = p.now();
            pieces.add(new TransferBatch.Piece(transfer, log.sizeBytes(), () -> {
                p.site.storage().uploadBlockBlob(LOG_CONTAINER, blob(log), p.site.fidelity() != Fidelity.BYTES ? Replica.Model.emptyUpload() : read(log));
                uploaded.add(log);
                if (p.tracesCycles()) {
                    p.trace(new TraceEvent.TransferFinished(p.host, p.name(), log.diskName(), transfer, "log",
                            log.sizeBytes(), SimTime.toDuration(p.now() - startedAt)));
                }
                p.figures.logsShipped++;
                p.figures.logBytesShipped += log.sizeBytes();
            }, e -> p.transferFailed(log.diskName(), transfer, "log", log.sizeBytes(), e)));
        }
        p.send(p.batch(pieces, p.uploads), error -> {
            if (error == null) {
                applyAll.run();
            } else {
                p.retries.failed(error, null, retry);
            }
        });
    }

    /** The vault's processing: apply the uploaded log's writes to the replica, in order. */
    private void apply(SealedLog log, String blob) {
        DiskReplication d = p.disk(log.diskName());
        boolean applied;
        try {
            applied = d.replica.apply(log, p.site.storage().download(LOG_CONTAINER, blob));
        } catch (CorruptLogException e) {
            // a log that was not closed cleanly cannot be applied: only a resync can repair the replica
            throw new ResyncTrigger("log-corrupt", e.getMessage());
        }
        p.site.storage().deleteBlob(LOG_CONTAINER, blob);
        if (p.tracesCycles()) {
            p.trace(new TraceEvent.LogApplied(p.name(), d.name(), log.sequence(), log.recordCount(), log.payloadBytes(), applied));
        }
    }

    /** Work in flight was dropped: whatever comes next sends every log again. */
    void forgetUploads() {
        uploaded.clear();
    }

    private String blob(SealedLog log) {
        return p.host + "/" + p.name() + "/" + log.diskName() + "/" + log.fileName();
    }

    private static byte[] read(SealedLog log) {
        try {
            return Files.readAllBytes(log.path());
        } catch (IOException e) {
            throw new HostIoException(e);
        }
    }
}
