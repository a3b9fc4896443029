package io.replisim.simulator.replication;

import io.replisim.azure.storage.DiskRecoveryPoint;
import io.replisim.azure.storage.PageWrite;
import io.replisim.azure.storage.ReplicaDisk;
import io.replisim.azure.vault.Job;
import io.replisim.azure.vault.AzureVm;
import io.replisim.azure.vault.JobType;
import io.replisim.azure.vault.ProtectedItem;
import io.replisim.azure.vault.RecoveryPoint;
import io.replisim.hyperv.BlockContent;
import io.replisim.hyperv.CorruptLogException;
import io.replisim.hyperv.DiskView;
import io.replisim.hyperv.ExtentMap;
import io.replisim.hyperv.HrlReader;
import io.replisim.hyperv.HrlRecord;
import io.replisim.hyperv.ReplicationHealth;
import io.replisim.hyperv.ReplicationState;
import io.replisim.hyperv.SealedLog;
import io.replisim.hyperv.VirtualMachine;
import io.replisim.simulator.kernel.Action;
import io.replisim.simulator.kernel.SimTime;
import io.replisim.simulator.trace.TraceEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The replication of one VM, as the Provider, the agent and the vault drive it: the Enable
 * protection job, initial replication from the checkpoint, delta cycles at the copy frequency,
 * recovery points, and the final drain. Holds per-VM state only.
 */
final class VmReplication {
    static final String REPLICA_CONTAINER = "asr-replicas";
    static final String LOG_CONTAINER = "asr-logs";

    private final ReplicationSite site;
    private final VirtualMachine vm;
    private final List<DiskReplication> disks;
    private final String host;

    private ReplicationState observedState;
    private ReplicationHealth observedHealth;
    private final Map<ReplicationState, Long> firstEntered = new EnumMap<>(ReplicationState.class);

    private boolean irComplete;
    /** Bumped when resynchronization is required: continuations of the abandoned work see it and stop. */
    private int epoch;
    private TransferBatch activeBatch;
    private long resyncHandle;
    private long resyncStartedAt = -1;
    /** Consecutive failed attempts of the current operation; 0 after a success. */
    private int failedAttempts;
    private long retryHandle;
    /** What resumes replication after a non-recoverable error, once an administrator acted. */
    private Runnable resumeAfterAdmin;
    /** The keys of the operations among what waits for an administrator (each is run again once). */
    private final java.util.Set<String> onceAwaitingAdmin = new java.util.HashSet<>(); // lookups only

    /**
     * An operation to run again that must not run twice at once: a failed job (again as a new
     * job, from the step that failed), or the start of a resync. {@code key} names it.
     */
    private record OnceRetry(String key, Runnable body) implements Runnable {
        @Override
        public void run() {
            body.run();
        }
    }
    private ReplicationState stateBeforeError;
    /** Logs uploaded by an attempt that failed later: not sent again. */
    private final java.util.Set<java.nio.file.Path> uploaded = new java.util.HashSet<>();
    private boolean draining;
    private boolean switchedWhileDraining;
    private boolean cycleInFlight;
    private long cycleHandle;
    private long lastCycleStart = -1;
    private long lastAppConsistent = Long.MIN_VALUE;
    private int recoveryPointCounter;
    private final List<VmRecoveryPoint> recoveryPoints = new ArrayList<>();
    private ProtectedItem item;
    private SourceCut pendingCut;

    // figures for the summary
    long irStartedAt = -1;
    long irBytesSent;
    long logsShipped;
    long logBytesShipped;
    long recoveryPointsCreated;
    long errors;
    long retries;
    long resyncs;
    long resyncBytesSent;
    /** RPO samples in milliseconds, taken every workload step once a recovery point exists. */
    final org.HdrHistogram.Histogram rpoMillis = new org.HdrHistogram.Histogram(3);
    private long lastRecoveryPointAt = -1;
    private long replicatingSince = -1;
    /** When recent cycles succeeded, for the missed-cycles rule; older than an hour are dropped. */
    private final java.util.ArrayDeque<Long> recentSyncs = new java.util.ArrayDeque<>();

    private final Action cycleAction = new Action() {
        @Override
        public void run() {
            cycleHandle = 0;
            startCycle();
        }

        @Override
        public String name() {
            return "delta-cycle " + vm.name();
        }
    };

    VmReplication(ReplicationSite site, VirtualMachine vm, List<DiskReplication> disks) {
        this.site = site;
        this.vm = vm;
        this.disks = List.copyOf(disks);
        this.host = vm.host().name();
        this.observedState = vm.replicationState();
        this.observedHealth = vm.replicationHealth();
        firstEntered.put(observedState, 0L);
    }

    String name() {
        return vm.name();
    }

    String host() {
        return host;
    }

    List<DiskReplication> disks() {
        return disks;
    }

    VirtualMachine vm() {
        return vm;
    }

    /** (time, health ordinal) at every health change, for expectations on health at a time. */
    private final List<long[]> healthChanges = new ArrayList<>();

    /** The VM's health at {@code t}. */
    ReplicationHealth healthAt(long t) {
        ReplicationHealth h = ReplicationHealth.NORMAL;
        for (long[] change : healthChanges) {
            if (change[0] > t) {
                break;
            }
            h = ReplicationHealth.values()[(int) change[1]];
        }
        return h;
    }

    /** When the VM first entered {@code state}, or -1. */
    long firstEntered(ReplicationState state) {
        return firstEntered.getOrDefault(state, -1L);
    }

    // ---- Enable protection ------------------------------------------------------------------

    void enableProtection() {
        item = site.vault().enableProtection(site.container(), vm.name(),
                disks.stream().map(d -> d.source.id().toString()).toList());
        long startAt = site.initialReplicationStart(site.kernel().now());
        Runnable startReplication = () -> {
            io(() -> site.hyperV(host).startReplication(vm));
            site.trace().emit(new TraceEvent.CheckpointCreated(host, vm.name(), checkpointName()));
            observe();
        };
        runJob(JobType.ENABLE_PROTECTION, List.of(
                NOTHING,
                now(() -> site.hyperV(host).createReplicationRelationship(vm)),
                // with a scheduled start, the step only schedules it: the checkpoint is taken then
                startAt <= site.kernel().now() + 3 * Timings.JOB_STEP ? done -> {
                    startReplication.run();
                    done.run();
                } : NOTHING),
                () -> {
                    if (vm.replicationState() == ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION) {
                        startInitialReplication();
                    } else {
                        site.kernel().schedule(Math.max(startAt, site.kernel().now()), named("initial-replication " + vm.name(), () -> {
                            startReplication.run();
                            startInitialReplication();
                        }));
                    }
                });
    }

    /** A job step's work: it calls {@code done} when finished, at once or later. */
    @FunctionalInterface
    interface Step {
        void run(Runnable done);
    }

    /** A step whose work is done at once. */
    private static Step now(IoStep work) {
        return done -> {
            io(work);
            done.run();
        };
    }

    private static final Step NOTHING = Runnable::run;

    /**
     * Runs a vault job's steps one after another, each taking {@link Timings#JOB_STEP} and then
     * its work ({@link #NOTHING} for steps given no work), then {@code then}.
     */
    private Job runJob(JobType type, List<Step> work, Runnable then) {
        Job job = site.vault().startJob(type, vm.name());
        noteExclusive(job);
        site.trace().emit(new TraceEvent.JobStarted(vm.name(), job.id(), job.name()));
        runStep(job, type.steps(), work, 0, Timings.JOB_STEP, then);
        return job;
    }

    /**
     * Jobs whose current step's work is under way (a transfer, a retry on the ladder, a wait for
     * an administrator): when replication stops, that work is dropped, so they are failed then.
     */
    private final List<Job> inStep = new ArrayList<>();

    /** Jobs that take the protected item over while they run: no test failover, cleanup or commit starts meanwhile. */
    private static final java.util.Set<JobType> EXCLUSIVE_JOBS = java.util.EnumSet.of(JobType.PLANNED_FAILOVER,
            JobType.UNPLANNED_FAILOVER, JobType.REPROTECT, JobType.DISABLE_REPLICATION);
    /** The newest of those, finished or not. */
    private Job exclusiveJob;

    /** Refuses {@code action} once replication is disabled, or being disabled; returns whether it did. */
    private boolean refusedWhenDisabled(String action) {
        if (!disabled && !disabling) {
            return false;
        }
        site.trace().emit(new TraceEvent.ActionRefused(vm.name(), action, "replication is disabled"));
        return true;
    }

    /** Refuses a failover while the last one's Azure VM exists (failed back, not yet reprotected); returns whether it did. */
    private boolean refusedWhileFailoverVmExists(String action) {
        if (failoverVm == null || failedOver) {
            return false; // failed over still: the action's own check says so
        }
        site.trace().emit(new TraceEvent.ActionRefused(vm.name(), action,
                "the last failover's Azure VM still exists: reprotect the VM first"));
        return true;
    }

    /** Refuses {@code action} while a failover, failback, reprotect or disable job runs; returns whether it did. */
    private boolean refusedDuringExclusiveJob(String action) {
        if (exclusiveJob == null || exclusiveJob.status().isFinal()) {
            return false;
        }
        site.trace().emit(new TraceEvent.ActionRefused(vm.name(), action, "a " + exclusiveJob.name() + " job is running"));
        return true;
    }

    private void noteExclusive(Job job) {
        if (EXCLUSIVE_JOBS.contains(job.type())) {
            exclusiveJob = job;
        }
    }

    /** Jobs beside replication: their failure fails the job, not the VM's replication. */
    private static final java.util.Set<JobType> SIDE_JOBS =
            java.util.EnumSet.of(JobType.TEST_FAILOVER, JobType.TEST_FAILOVER_CLEANUP, JobType.COMMIT);

    private void retryJob(JobType type, List<String> steps, List<Step> work, int from, Runnable then) {
        Job job = site.vault().startJob(type, vm.name());
        noteExclusive(job);
        site.trace().emit(new TraceEvent.JobStarted(vm.name(), job.id(), job.name()));
        for (int k = 0; k < from; k++) { // steps done by the failed job are not run again
            job.startStep(steps.get(k));
            job.completeStep(steps.get(k));
        }
        runStep(job, steps, work, from, 0, then); // a retry does the failed step's work at once
    }

    private void runStep(Job job, List<String> steps, List<Step> work, int i, long after, Runnable then) {
        if (i == steps.size()) {
            job.complete();
            site.trace().emit(new TraceEvent.JobFinished(vm.name(), job.id(), job.name(), job.status().displayName(), job.duration()));
            then.run();
            return;
        }
        String step = steps.get(i);
        job.startStep(step);
        site.trace().emit(new TraceEvent.JobStep(vm.name(), job.id(), step, job.step(step).status().displayName()));
        int jobEpoch = epoch;
        site.kernel().scheduleIn(after, named("job-step " + vm.name(), () -> {
            if (jobEpoch != epoch) {
                job.fail("Interrupted: " + vm.replicationState().displayName());
                site.trace().emit(new TraceEvent.JobFinished(vm.name(), job.id(), job.name(), job.status().displayName(), job.duration()));
                return;
            }
            boolean[] stepDone = {false};
            inStep.add(job);
            try {
                (i < work.size() ? work.get(i) : NOTHING).run(() -> {
                    stepDone[0] = true;
                    inStep.remove(job);
                    observe();
                    job.completeStep(step);
                    site.trace().emit(new TraceEvent.JobStep(vm.name(), job.id(), step, job.step(step).status().displayName()));
                    runStep(job, steps, work, i + 1, Timings.JOB_STEP, then);
                });
            } catch (RuntimeException e) {
                inStep.remove(job);
                ReplicationError error = ErrorClassifier.classify(e); // a bug, not a fault, propagates
                if (stepDone[0]) {
                    // the job finished; what follows it failed: retry that, not the job
                    failed(e, null, guarded(then));
                    return;
                }
                job.failStep(step, error.message());
                site.trace().emit(new TraceEvent.JobStep(vm.name(), job.id(), step, job.step(step).status().displayName()));
                site.trace().emit(new TraceEvent.JobFinished(vm.name(), job.id(), job.name(), job.status().displayName(), job.duration()));
                if (SIDE_JOBS.contains(job.type())) {
                    // a test failover or a commit that fails leaves replication as it was
                    errors++;
                    site.trace().emit(new TraceEvent.ErrorRaised(host, vm.name(), null, job.id(), error.code(), error.recoverable(),
                            error.message()));
                    return;
                }
                // the job is tried again from the step that failed, as a new job
                failed(e, null, job.id(), new OnceRetry("job " + job.type(), () -> retryJob(job.type(), steps, work, i, then)));
            }
        }));
    }

    // ---- Initial replication ----------------------------------------------------------------

    private void startInitialReplication() {
        irStartedAt = site.kernel().now();
        long total = disks.stream().mapToLong(d -> d.source.sizeBytes()).sum();
        site.trace().emit(new TraceEvent.InitialReplicationStarted(host, vm.name(), total));
        copyDisk(0);
    }

    /** Disks are copied one after another, as Site Recovery does. */
    private void copyDisk(int index) {
        if (index == disks.size()) {
            initialCopyDone();
            return;
        }
        DiskReplication d = disks.get(index);
        if (d.replica == null) {
            try {
                d.replica = newReplica(d);
            } catch (RuntimeException e) {
                failed(e, d.name(), () -> copyDisk(index));
                return;
            }
        }
        String transfer = "ir/" + vm.name() + "/" + d.name();
        long size = d.source.sizeBytes();
        site.trace().emit(new TraceEvent.TransferStarted(host, vm.name(), d.name(), transfer, "initial", size));
        DiskView frozen = d.source.checkpointView()
                .orElseThrow(() -> new IllegalStateException("initial replication of " + vm.name() + " needs its checkpoint"));
        List<TransferBatch.Piece> chunks = new ArrayList<>();
        long chunk = Timings.irChunkBytes(size);
        for (long offset = 0; offset < size; offset += chunk) {
            long at = offset;
            long n = Math.min(chunk, size - offset);
            chunks.add(new TransferBatch.Piece(transfer, n, () -> {
                io(() -> d.replica.copy(frozen, at, n));
                irBytesSent += n;
            }, e -> transferFailed(d.name(), transfer, "initial", n, e)));
        }
        long startedAt = site.kernel().now();
        copyChunks(new TransferBatch(site.uplink(), site.uploadThreads(), chunks), () -> {
            site.trace().emit(new TraceEvent.TransferFinished(host, vm.name(), d.name(), transfer, "initial", size,
                    SimTime.toDuration(site.kernel().now() - startedAt)));
            copyDisk(index + 1);
        }, d.name());
    }

    /** Sends a disk's chunks; a failure retries, on the ladder, the chunks that did not arrive. */
    private void copyChunks(TransferBatch batch, Runnable then, String disk) {
        activeBatch = batch;
        batch.send(error -> {
            if (error == null) {
                succeeded();
                then.run();
            } else {
                failed(error, disk, () -> copyChunks(batch, then, disk));
            }
        });
    }

    /** The disks are in Azure: ship what was logged meanwhile, merge the checkpoint, finalize. */
    private void initialCopyDone() {
        lastCycleStart = site.kernel().now();
        attempt(this::initialCopyDone, () -> {
            switchLogs();
            shipInitialLogs();
        });
    }

    private void shipInitialLogs() {
        if (vm.replicationState() != ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION) {
            return; // superseded (a resync took over) or done already by another continuation
        }
        shipPendingLogs(this::shipInitialLogs, () -> {
            String checkpoint = checkpointName();
            io(() -> site.hyperV(host).completeInitialReplication(vm));
            site.trace().emit(new TraceEvent.CheckpointMerged(host, vm.name(), checkpoint));
            observe();
            succeeded(); // the retry ladder restarts after a success, even one that shipped no bytes
            // the VM replicates now: if the first point fails (the storage busy), it is retried alone
            guarded(this::finishInitialReplication).run();
        });
    }

    private void finishInitialReplication() {
        createRecoveryPoint();
        irComplete = true;
        site.trace().emit(new TraceEvent.InitialReplicationFinished(host, vm.name(), irBytesSent,
                SimTime.toDuration(site.kernel().now() - irStartedAt)));
        // delta replication starts at once; the vault finalizes protection meanwhile
        runJob(JobType.FINALIZE_PROTECTION, List.of(), () -> {});
        cycleDone();
    }

    // ---- Delta replication ------------------------------------------------------------------

    private void startCycle() {
        ReplicationState state = vm.replicationState();
        if (state != ReplicationState.REPLICATING && state != ReplicationState.PREPARED_FOR_PLANNED_FAILOVER
                || cycleInFlight && lastCycleStart == site.kernel().now()) {
            return; // a continuation that lost its reason (a resume after things moved on), or a duplicate
        }
        cycleInFlight = true;
        lastCycleStart = site.kernel().now();
        attempt(this::startCycle, () -> {
            switchLogs();
            shipPendingLogs(this::startCycle, () -> {
                succeeded();
                createRecoveryPoint();
                cycleInFlight = false;
                cycleDone();
            });
        });
    }

    /**
     * Plans the next cycle: one copy-frequency after the last started, or at once when the last
     * overran the interval (the next cycle waits, as Hyper-V does). While draining, one more cycle
     * ships what was written before the workload stopped, then nothing more is scheduled.
     */
    private void cycleDone() {
        if (afterNextCycle != null && lastCycleStart >= afterNextCycleRequested()) {
            Runnable then = afterNextCycle;
            afterNextCycle = null;
            then.run();
            return;
        }
        if (afterNextCycle != null) {
            startCycle(); // the cycle that just ended began before the request: one more
            return;
        }
        if (failedOver || disabling || disabled) {
            return;
        }
        long now = site.kernel().now();
        if (draining) {
            if (!switchedWhileDraining) {
                startCycle();
            }
            return;
        }
        long next = Math.max(now, lastCycleStart + site.copyFrequency());
        cycleHandle = site.kernel().schedule(next, cycleAction);
    }

    /** The workload stopped: ship the last log as soon as nothing else is in flight. */
    void drain() {
        draining = true;
        if (failedOver || disabling || disabled) {
            return;
        }
        if (!irComplete || cycleInFlight || retryHandle != 0 || resumeAfterAdmin != null
                || vm.replicationState() == ReplicationState.RESYNCHRONIZATION_REQUIRED
                || vm.replicationState() == ReplicationState.RESYNCHRONIZING) {
            return; // the running step, the retry or the admin's fix leads to cycleDone()
        }
        if (cycleHandle != 0) {
            site.kernel().cancel(cycleHandle);
            cycleHandle = 0;
        }
        startCycle();
    }

    private List<SealedLog> switchLogs() {
        java.util.Optional<io.replisim.hyperv.HostFaultKind> untrusted = vm.replicationTracker().resynchronizationRequired();
        if (untrusted.isPresent()) {
            // the disks changed behind the tracker: a point made from these logs would not be the source's state
            throw new ResyncTrigger(untrusted.get().scenarioName(), "replication tracking cannot be trusted after "
                    + untrusted.get().scenarioName());
        }
        // a switch after the workload stopped seals its last writes (one at the same instant may not)
        switchedWhileDraining |= draining;
        pendingCut = new SourceCut(site.kernel().now(), sourceVersions());
        List<SealedLog> logs = new ArrayList<>();
        List<SealedLog> before = List.copyOf(vm.replicationTracker().pendingLogs());
        try {
            io(() -> logs.addAll(vm.replicationTracker().switchLogs()));
        } catch (RuntimeException e) {
            // a switch that failed half-way (no room for the next log) sealed some disks' logs already
            for (SealedLog log : vm.replicationTracker().pendingLogs()) {
                if (!before.contains(log)) {
                    emitSwitched(log);
                }
            }
            throw e;
        }
        logs.forEach(this::emitSwitched);
        return logs;
    }

    private void emitSwitched(SealedLog log) {
        site.trace().emit(new TraceEvent.LogSwitched(host, vm.name(), log.diskName(), log.sequence(), log.sizeBytes(),
                log.recordCount()));
    }

    /**
     * Uploads every sealed log not yet acknowledged (concurrently, one flow each), then applies
     * them to the replicas in sequence order and acknowledges them, then runs {@code then}. If an
     * upload fails, the attempt fails once all its uploads ended, and {@code retry} runs on the
     * retry ladder; logs that did arrive are not sent again.
     */
    private void shipPendingLogs(Runnable retry, Runnable then) {
        List<SealedLog> logs = new ArrayList<>(vm.replicationTracker().pendingLogs());
        logs.sort(java.util.Comparator.comparingInt((SealedLog l) -> diskIndex(l.diskName())).thenComparingLong(SealedLog::sequence));
        List<SealedLog> toSend = logs.stream().filter(l -> !uploaded.contains(l.path())).toList();
        Runnable applyAll = () -> attempt(retry, () -> {
            for (SealedLog log : logs) {
                applyLog(log, logBlob(log));
                io(() -> vm.replicationTracker().acknowledge(log));
                uploaded.remove(log.path());
            }
            if (!logs.isEmpty()) {
                succeeded(); // progress: the ladder starts over (an attempt with nothing to ship proves nothing)
            }
            then.run();
        });
        if (toSend.isEmpty()) {
            applyAll.run();
            return;
        }
        List<TransferBatch.Piece> pieces = new ArrayList<>();
        for (SealedLog log : toSend) {
            String transfer = "log/" + vm.name() + "/" + log.diskName() + "/" + log.sequence();
            site.trace().emit(new TraceEvent.TransferStarted(host, vm.name(), log.diskName(), transfer, "log", log.sizeBytes()));
            long startedAt = site.kernel().now();
            pieces.add(new TransferBatch.Piece(transfer, log.sizeBytes(), () -> {
                site.storage().uploadBlockBlob(LOG_CONTAINER, logBlob(log), site.model() ? Replica.Model.emptyUpload() : read(log));
                uploaded.add(log.path());
                site.trace().emit(new TraceEvent.TransferFinished(host, vm.name(), log.diskName(), transfer, "log",
                        log.sizeBytes(), SimTime.toDuration(site.kernel().now() - startedAt)));
                logsShipped++;
                logBytesShipped += log.sizeBytes();
            }, e -> transferFailed(log.diskName(), transfer, "log", log.sizeBytes(), e)));
        }
        activeBatch = new TransferBatch(site.uplink(), site.uploadThreads(), pieces);
        activeBatch.send(error -> {
            if (error == null) {
                applyAll.run();
            } else {
                failed(error, null, retry);
            }
        });
    }

    /** The vault's processing: apply the uploaded log's writes to the replica, in order. */
    private void applyLog(SealedLog log, String blob) {
        DiskReplication d = disk(log.diskName());
        boolean applied;
        try {
            applied = d.replica.apply(log, site.storage().download(LOG_CONTAINER, blob));
        } catch (CorruptLogException e) {
            // a log that was not closed cleanly cannot be applied: only a resync can repair the replica
            throw new ResyncTrigger("log-corrupt", e.getMessage());
        }
        site.storage().deleteBlob(LOG_CONTAINER, blob);
        long bytes = log.writes().stream().mapToLong(w -> w.length()).sum();
        site.trace().emit(new TraceEvent.LogApplied(vm.name(), d.name(), log.sequence(), log.recordCount(), bytes, applied));
    }

    // ---- Recovery points --------------------------------------------------------------------

    private void createRecoveryPoint() {
        long now = site.kernel().now();
        SourceCut cut = pendingCut;
        long appEvery = site.appConsistentFrequency();
        boolean app = appEvery > 0 && (lastAppConsistent == Long.MIN_VALUE || cut.time() - lastAppConsistent >= appEvery);
        if (app) {
            lastAppConsistent = cut.time();
        }
        List<Replica.Point> points = new ArrayList<>();
        java.util.SortedMap<String, String> snapshots = new java.util.TreeMap<>();
        for (DiskReplication d : disks) {
            Replica.Point p = d.replica.createRecoveryPoint(app);
            points.add(p);
            snapshots.put(d.source.id().toString(), p.snapshot().snapshot());
        }
        RecoveryPoint vaultPoint = new RecoveryPoint(site.kernel().instantAt(cut.time()), app, snapshots);
        item.addRecoveryPoint(vaultPoint);
        String id = "rp-" + vm.name() + "-" + (++recoveryPointCounter);
        recoveryPoints.add(new VmRecoveryPoint(id, cut.time(), app, points, cut.versions(), vaultPoint));
        forgetOldVersions();
        recoveryPointsCreated++;
        java.time.Duration rpo = lastRecoveryPointAt < 0 ? null : SimTime.toDuration(now - lastRecoveryPointAt);
        lastRecoveryPointAt = cut.time();
        recentSyncs.addLast(now);
        site.trace().emit(new TraceEvent.RecoveryPointCreated(vm.name(), id, app ? "app" : "crash",
                site.iso(cut.time()), rpo));
        prune(now);
    }

    /** Drops recovery points older than the retention window, always keeping the newest. */
    private void prune(long now) {
        while (recoveryPoints.size() > 1 && now - recoveryPoints.get(0).time() > site.retention()) {
            dropRecoveryPoint(recoveryPoints.remove(0));
        }
    }

    private void dropRecoveryPoint(VmRecoveryPoint old) {
        for (int i = 0; i < disks.size(); i++) {
            disks.get(i).replica.deleteRecoveryPoint(old.disks().get(i));
        }
        item.pruneRecoveryPointsBefore(old.vaultPoint().time().plusNanos(1));
        site.trace().emit(new TraceEvent.RecoveryPointPruned(vm.name(), old.id()));
    }

    /**
     * A recovery point: the replicas' snapshots, the moment its data stands for (the log switch
     * whose logs it includes) and, to verify failovers, the source's block versions then.
     */
    private record VmRecoveryPoint(String id, long time, boolean appConsistent, List<Replica.Point> disks,
                                   List<ExtentMap> sourceVersions, RecoveryPoint vaultPoint) {}

    /** The source as of a log switch: what a recovery point made from those logs must hold. */
    private record SourceCut(long time, List<ExtentMap> versions) {}

    /**
     * Keeps the content versions (what failovers verify against) only of the points a failover
     * can choose, the newest and the newest app-consistent: a day of 5-minute points on large
     * model disks would otherwise hold hundreds of extent maps per VM.
     */
    private void forgetOldVersions() {
        int newestApp = -1;
        for (int i = recoveryPoints.size() - 1; i >= 0 && newestApp < 0; i--) {
            if (recoveryPoints.get(i).appConsistent()) {
                newestApp = i;
            }
        }
        for (int i = 0; i < recoveryPoints.size() - 1; i++) {
            VmRecoveryPoint p = recoveryPoints.get(i);
            if (i != newestApp && p.sourceVersions() != null) {
                List<Replica.Point> snapshots = p.disks().stream().map(d -> new Replica.Point(d.snapshot(), null)).toList();
                recoveryPoints.set(i, new VmRecoveryPoint(p.id(), p.time(), p.appConsistent(), snapshots, null, p.vaultPoint()));
            }
        }
    }

    /** Every disk's content versions now (in either fidelity: see ExtentMap). */
    private List<ExtentMap> sourceVersions() {
        List<ExtentMap> all = new ArrayList<>();
        for (DiskReplication d : disks) {
            all.add(d.source.contentVersions());
        }
        return all;
    }

    // ---- Resynchronization -----------------------------------------------------------------

    /**
     * The log-threshold trigger: the pending logs reached 50% of the VM's total VHD size (100%
     * while initial replication runs, when Hyper-V allows the logs to grow as large as the disks).
     */
    void checkLogThreshold() {
        ReplicationState state = vm.replicationState();
        java.util.Optional<io.replisim.hyperv.HostFaultKind> invalid = vm.replicationTracker().resynchronizationRequired();
        if (invalid.isPresent() && (state == ReplicationState.REPLICATING || state == ReplicationState.RESYNCHRONIZING
                || state == ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION || state == ReplicationState.ERROR)) {
            // tracking can no longer be trusted (a failed log write, an offline change, a revert)
            requireResync(invalid.get().scenarioName(), vm.replicationTracker().pendingLogBytes(), vm.totalVhdSizeBytes());
            return;
        }
        boolean ir = state == ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION;
        if (!ir && state != ReplicationState.REPLICATING) {
            return;
        }
        long logBytes = vm.replicationTracker().pendingLogBytes();
        long diskBytes = vm.totalVhdSizeBytes();
        if (logBytes >= (ir ? diskBytes : diskBytes / 2)) {
            requireResync("log-threshold", logBytes, diskBytes);
        }
    }

    /** Since when guest writes fail for lack of space on the host volume (this episode), or -1. */
    private long volumeFullSince = -1;
    private long lastVolumeFull = -1;

    /**
     * A guest write failed. A full volume is one recoverable error per episode (writes may pass
     * in between as shipped logs free space; 5 minutes without a failure end the episode); if it
     * lasts as long as the retry ladder (30 minutes), Hyper-V can no longer keep its logs:
     * resynchronization required.
     */
    void guestWriteFailed(IOException e) {
        java.util.Optional<io.replisim.hyperv.HostFaultKind> kind = io.replisim.hyperv.HostFaultKind.causeOf(e);
        if (kind.isEmpty() || kind.get() != io.replisim.hyperv.HostFaultKind.LOW_DISK_SPACE) {
            if (kind.isPresent() && kind.get() == io.replisim.hyperv.HostFaultKind.VM_NOT_FOUND) {
                return; // a VM that is gone writes nothing
            }
            throw new HostIoException(e);
        }
        long now = site.kernel().now();
        if (volumeFullSince < 0 || now - lastVolumeFull > SimTime.minutes(5)) {
            volumeFullSince = now;
            errors++;
            site.trace().emit(new TraceEvent.ErrorRaised(host, vm.name(), null, null, "LowDiskSpace", true, e.getMessage()));
        }
        lastVolumeFull = now;
        if (now - volumeFullSince >= SimTime.minutes(30) && vm.replicationState() == ReplicationState.REPLICATING) {
            volumeFullSince = -1;
            requireResync("low-disk-space", vm.replicationTracker().pendingLogBytes(), vm.totalVhdSizeBytes());
        }
    }

    /** Replication cannot go on from the logs: abandon what is in flight and plan a resynchronization. */
    void requireResync(String reason, long logBytes, long diskBytes) {
        if (replicationStoppedForGood()) {
            return; // a failover or disabling stopped replication: there is nothing to resynchronize
        }
        stopReplicating();
        failedAttempts = 0;
        uploaded.clear();
        // what waited for an administrator is superseded: the resync restarts replication
        resumeAfterAdmin = null;
        onceAwaitingAdmin.clear();
        stateBeforeError = null;
        closeResyncJob("Interrupted: resynchronization required again");
        if (back == Back.REPROTECTING) {
            back = Back.NONE; // the resync brings the replica up to date instead
        }
        site.trace().emit(new TraceEvent.ResyncRequired(host, vm.name(), reason, logBytes, diskBytes));
        try {
            if (vm.replicationState() == ReplicationState.PREPARED_FOR_PLANNED_FAILOVER) {
                // the planned failover is called off: the VM runs on and replicates again after the resync
                site.hyperV(host).requestReplicationStateChange(vm, ReplicationState.REPLICATING);
                poweredOff = false;
            }
            site.hyperV(host).requestReplicationStateChange(vm, ReplicationState.RESYNCHRONIZATION_REQUIRED);
        } catch (IOException e) {
            // the checkpoint could not be merged (a broken chain), or the VM is gone: an administrator must act
            observe();
            failed(new HostIoException(e), null, () -> requireResync(reason, logBytes, diskBytes));
            return;
        }
        observe();
        if (site.resyncAutomatic()) {
            long at = site.nextResyncStart(site.kernel().now());
            resyncHandle = site.kernel().schedule(at, named("resync " + vm.name(), () -> {
                resyncHandle = 0;
                startResync("scheduled");
            }));
        }
    }

    /**
     * Whether replication stopped for good in this direction: an unplanned failover runs, the VM
     * failed over (until reprotect), or replication is being disabled or is disabled.
     */
    private boolean replicationStoppedForGood() {
        boolean unplannedRunning = exclusiveJob != null && exclusiveJob.type() == JobType.UNPLANNED_FAILOVER
                && !exclusiveJob.status().isFinal();
        return unplannedRunning || failedOver || disabling || disabled;
    }

    /** An administrator starts a required resynchronization now. */
    void resyncNow() {
        if (vm.replicationState() == ReplicationState.RESYNCHRONIZATION_REQUIRED) {
            if (resumeAfterAdmin != null) {
                // what waited for an administrator: the resync repairs it
                resumeAfterAdmin = null;
                onceAwaitingAdmin.clear();
                stateBeforeError = null;
                failedAttempts = 0;
                observe();
            }
            cancel(resyncHandle);
            resyncHandle = 0;
            // a scheduled start waiting on the retry ladder (the host short of memory) is superseded
            cancel(retryHandle);
            retryHandle = 0;
            startResync("manual");
        } else {
            site.trace().emit(new TraceEvent.ActionRefused(vm.name(), "resync", "no resynchronization is required: the VM is "
                    + vm.replicationState().displayName()));
        }
    }

    /**
     * Resynchronization: a new checkpoint, then checksums of fixed-size blocks on source and
     * replica, and only the blocks that differ are sent; writes meanwhile go to new logs, shipped
     * afterwards. Then the old recovery points are deleted and delta replication resumes.
     */
    private void startResync(String trigger) {
        // a failure (the host short of memory, the storage busy) retries from where it stopped
        attempt(new OnceRetry("resync start", () -> startResync(trigger)), () -> beginResync(trigger));
    }

    private Job resyncJob;

    /** Fails the running Resynchronize job, if any: it will not finish (a newer one takes over). */
    private void closeResyncJob(String why) {
        if (resyncJob != null && !resyncJob.status().isFinal()) {
            resyncJob.fail(why);
            site.trace().emit(new TraceEvent.JobFinished(vm.name(), resyncJob.id(), resyncJob.name(),
                    resyncJob.status().displayName(), resyncJob.duration()));
        }
    }

    private void beginResync(String trigger) {
        ReplicationState state = vm.replicationState();
        if (state != ReplicationState.RESYNCHRONIZATION_REQUIRED && state != ReplicationState.RESYNCHRONIZING) {
            return; // a continuation that lost its reason: the resync was done, or replication stopped, meanwhile
        }
        List<String> steps = JobType.RESYNCHRONIZE.steps();
        if (vm.replicationState() == ReplicationState.RESYNCHRONIZATION_REQUIRED) {
            io(() -> site.hyperV(host).resynchronize(vm));
            resyncs++;
            resyncStartedAt = site.kernel().now();
            observe();
            resyncJob = site.vault().startJob(JobType.RESYNCHRONIZE, vm.name());
            site.trace().emit(new TraceEvent.JobStarted(vm.name(), resyncJob.id(), resyncJob.name()));
            site.trace().emit(new TraceEvent.ResyncStarted(host, vm.name(), trigger));
            for (String step : steps.subList(0, steps.size() - 1)) {
                resyncJob.startStep(step);
                site.trace().emit(new TraceEvent.JobStep(vm.name(), resyncJob.id(), step, resyncJob.step(step).status().displayName()));
                if (!step.equals(steps.get(steps.size() - 2))) {
                    resyncJob.completeStep(step);
                    site.trace().emit(new TraceEvent.JobStep(vm.name(), resyncJob.id(), step, resyncJob.step(step).status().displayName()));
                }
            }
        }
        long[] compared = {0};
        long[] differing = {0};
        List<TransferBatch.Piece> pieces = replicaSyncPieces("resync", compared, differing, n -> resyncBytesSent += n);
        long sentBefore = resyncBytesSent;
        sendResyncBlocks(new TransferBatch(site.uplink(), site.uploadThreads(), pieces),
                () -> resyncBlocksSent(compared[0], differing[0], sentBefore));
    }

    /** The differing blocks are in Azure: seal the logs written meanwhile and finish. */
    private void resyncBlocksSent(long compared, long differing, long sentBefore) {
        if (vm.replicationState() != ReplicationState.RESYNCHRONIZING) {
            return; // superseded or done already
        }
        attempt(() -> resyncBlocksSent(compared, differing, sentBefore), () -> {
            compareStepDone(activeResyncJob());
            switchLogs();
            finishResync(compared, differing, sentBefore);
        });
    }

    /** Completes the job's block comparison step (once: a retried continuation may pass here again). */
    private void compareStepDone(Job job) {
        List<String> steps = JobType.RESYNCHRONIZE.steps();
        String compare = steps.get(steps.size() - 2);
        if (!job.step(compare).status().isFinal()) {
            job.completeStep(compare);
            site.trace().emit(new TraceEvent.JobStep(vm.name(), job.id(), compare, job.step(compare).status().displayName()));
        }
    }

    /**
     * The Resynchronize job in progress; after an error failed it (the VM waited for an
     * administrator), a new one continues where it stopped.
     */
    private Job activeResyncJob() {
        if (resyncJob == null || resyncJob.status().isFinal()) {
            resyncJob = site.vault().startJob(JobType.RESYNCHRONIZE, vm.name());
            site.trace().emit(new TraceEvent.JobStarted(vm.name(), resyncJob.id(), resyncJob.name()));
            List<String> steps = JobType.RESYNCHRONIZE.steps();
            for (String step : steps.subList(0, steps.size() - 1)) {
                resyncJob.startStep(step);
                if (!step.equals(steps.get(steps.size() - 2))) {
                    resyncJob.completeStep(step);
                }
            }
        }
        return resyncJob;
    }

    /**
     * Compares every disk's checkpoint with its replica in blocks of the resync block size: the
     * differing blocks, as pieces that copy them into the replica when they arrive. Counts the
     * blocks compared and differing; {@code sent} hears of every block's bytes.
     */
    private List<TransferBatch.Piece> replicaSyncPieces(String kind, long[] compared, long[] differing,
                                                        java.util.function.LongConsumer sent) {
        long blockSize = site.resyncBlockSize();
        List<TransferBatch.Piece> pieces = new ArrayList<>();
        for (DiskReplication d : disks) {
            if (d.replica == null) {
                d.replica = newReplica(d);
            }
            DiskView frozen = d.source.checkpointView().orElseThrow();
            compared[0] += (d.source.sizeBytes() + blockSize - 1) / blockSize;
            List<long[]> blocks = new ArrayList<>();
            io(() -> blocks.addAll(d.replica.differingBlocks(frozen, blockSize)));
            if (blocks.isEmpty()) {
                continue;
            }
            String transfer = kind + "/" + vm.name() + "/" + d.name();
            long diskBytes = blocks.stream().mapToLong(b -> b[1]).sum();
            site.trace().emit(new TraceEvent.TransferStarted(host, vm.name(), d.name(), transfer, kind, diskBytes));
            long sendingSince = site.kernel().now();
            int[] left = {blocks.size()};
            for (long[] block : blocks) {
                differing[0]++;
                long at = block[0];
                int n = (int) block[1];
                pieces.add(new TransferBatch.Piece(transfer, n, () -> {
                    if (d.replica instanceof Replica.Model model) {
                        model.copyBlock(at, n);
                    } else {
                        io(() -> d.replica.copy(frozen, at, n));
                    }
                    sent.accept(n);
                    if (--left[0] == 0) {
                        site.trace().emit(new TraceEvent.TransferFinished(host, vm.name(), d.name(), transfer, kind, diskBytes,
                                SimTime.toDuration(site.kernel().now() - sendingSince)));
                    }
                }, e -> transferFailed(d.name(), transfer, kind, n, e)));
            }
        }
        return pieces;
    }

    private void sendResyncBlocks(TransferBatch batch, Runnable then) {
        activeBatch = batch;
        batch.send(error -> {
            if (error == null) {
                succeeded();
                then.run();
            } else {
                failed(error, null, () -> sendResyncBlocks(batch, then));
            }
        });
    }

    private void finishResync(long compared, long differing, long sentBefore) {
        if (vm.replicationState() != ReplicationState.RESYNCHRONIZING) {
            return; // superseded or done already
        }
        shipPendingLogs(() -> finishResync(compared, differing, sentBefore), () -> {
            Job job = activeResyncJob();
            compareStepDone(job);
            String checkpoint = checkpointName();
            io(() -> site.hyperV(host).completeResynchronization(vm));
            site.trace().emit(new TraceEvent.CheckpointMerged(host, vm.name(), checkpoint));
            observe();
            dropAllRecoveryPoints();
            site.trace().emit(new TraceEvent.ResyncFinished(host, vm.name(), compared, differing,
                    resyncBytesSent - sentBefore, SimTime.toDuration(site.kernel().now() - resyncStartedAt)));
            String last = JobType.RESYNCHRONIZE.steps().get(JobType.RESYNCHRONIZE.steps().size() - 1);
            job.startStep(last);
            job.completeStep(last);
            site.trace().emit(new TraceEvent.JobStep(vm.name(), job.id(), last, job.step(last).status().displayName()));
            job.complete();
            site.trace().emit(new TraceEvent.JobFinished(vm.name(), job.id(), job.name(), job.status().displayName(), job.duration()));
            createRecoveryPoint();
            irComplete = true;
            lastCycleStart = site.kernel().now();
            cycleDone();
        });
    }

    private void dropAllRecoveryPoints() {
        while (!recoveryPoints.isEmpty()) {
            dropRecoveryPoint(recoveryPoints.remove(0));
        }
    }

    private void cancel(long handle) {
        if (handle != 0) {
            site.kernel().cancel(handle);
        }
    }

    // ---- Failover -------------------------------------------------------------------------

    /** The newest test failover or cleanup job: one runs at a time. */
    private Job testJob;

    private boolean testJobRunning() {
        return testJob != null && !testJob.status().isFinal();
    }

    /** The Azure VM of a test failover, until its cleanup. */
    private AzureVm testVm;
    private boolean failedOver;
    /** Runs once the cycle in flight (or the next one) has created its recovery point. */
    private Runnable afterNextCycle;

    /** A test failover: an Azure VM from a recovery point, verified; replication is not affected. */
    void testFailover(String choice) {
        if (refusedDuringExclusiveJob("test-failover") || refusedWhenDisabled("test-failover")) {
            return;
        }
        if (testJobRunning() || testVm != null || failedOver) {
            site.trace().emit(new TraceEvent.ActionRefused(vm.name(), "test-failover", testJobRunning()
                    ? "a " + testJob.name() + " job is running"
                    : testVm != null ? "a test failover exists: clean it up first" : "the VM has failed over"));
            return;
        }
        if (choose(choice, "test-failover") == null) {
            return;
        }
        // the point is chosen when the VM is created: the one chosen now may be pruned meanwhile
        testJob = runJob(JobType.TEST_FAILOVER, List.of(NOTHING, now(() -> {
            VmRecoveryPoint rp = choose(choice, "test-failover");
            if (rp != null) {
                testVm = failOverTo(rp, "test", true);
            }
        })), () -> {});
    }

    void testFailoverCleanup() {
        if (refusedDuringExclusiveJob("test-failover-cleanup")) {
            return;
        }
        if (testJobRunning() || testVm == null) {
            site.trace().emit(new TraceEvent.ActionRefused(vm.name(), "test-failover-cleanup", testJobRunning()
                    ? "a " + testJob.name() + " job is running" : "there is no test failover"));
            return;
        }
        testJob = runJob(JobType.TEST_FAILOVER_CLEANUP, List.of(NOTHING, now(() -> {
            site.vault().deleteFailoverVm(testVm, site.storage());
            testVm = null;
        })), () -> {});
    }

    /**
     * A planned failover: the source VM shuts down, a last cycle ships everything it wrote, and
     * the Azure VM starts from that point: nothing is lost.
     */
    void plannedFailover() {
        if (refusedDuringExclusiveJob("planned-failover") || refusedWhenDisabled("planned-failover")
                || refusedWhileFailoverVmExists("planned-failover")) {
            return;
        }
        if (failedOver || vm.replicationState() != ReplicationState.REPLICATING) {
            site.trace().emit(new TraceEvent.ActionRefused(vm.name(), "planned-failover",
                    "a planned failover needs a replicating VM, this one is " + vm.replicationState().displayName()));
            return;
        }
        runJob(JobType.PLANNED_FAILOVER, List.of(
                NOTHING,
                now(() -> {                                   // Shut down the virtual machine
                    poweredOff = true;
                    site.hyperV(host).requestReplicationStateChange(vm, ReplicationState.PREPARED_FOR_PLANNED_FAILOVER);
                }),
                this::finalSync,                              // Synchronize data
                now(() -> failedOverTo(recoveryPoints.get(recoveryPoints.size() - 1), "planned")),
                NOTHING),
                this::completeFailover);
    }

    /** An unplanned failover to the latest (or latest app-consistent) recovery point, as it stands. */
    void unplannedFailover(String choice) {
        if (refusedDuringExclusiveJob("unplanned-failover") || refusedWhenDisabled("unplanned-failover")
                || refusedWhileFailoverVmExists("unplanned-failover")) {
            return;
        }
        if (failedOver) {
            site.trace().emit(new TraceEvent.ActionRefused(vm.name(), "unplanned-failover", "the VM has failed over already"));
            return;
        }
        VmRecoveryPoint rp = choose(choice, "unplanned-failover");
        if (rp == null) {
            return;
        }
        stopReplicating();
        poweredOff = true; // the source is lost, or shut down: it writes no more
        runJob(JobType.UNPLANNED_FAILOVER, List.of(NOTHING, now(() -> failedOverTo(rp, "unplanned"))), this::completeFailover);
    }

    /** A planned or unplanned failover's VM, kept with what its disks hold for a failback. */
    private void failedOverTo(VmRecoveryPoint rp, String kind) {
        failoverVm = failOverTo(rp, kind, false);
        failoverVersions = new ArrayList<>();
        for (int i = 0; i < disks.size(); i++) {
            // model points hold the replica's versions; bytes points none, and the verified cut is the same content
            ExtentMap versions = rp.disks().get(i).versions();
            failoverVersions.add(versions != null ? versions : rp.sourceVersions().get(i));
        }
    }

    /** Commits a failover: the Azure VM is the production VM now. */
    void commit() {
        if (refusedDuringExclusiveJob("commit") || refusedWhenDisabled("commit")) {
            return;
        }
        if (!failedOver || back != Back.NONE) {
            site.trace().emit(new TraceEvent.ActionRefused(vm.name(), "commit", !failedOver ? "there is no failover to commit"
                    : "the VM is failing back, or has failed back: there is no failover to commit"));
            return;
        }
        runJob(JobType.COMMIT, List.of(), () -> dropAllRecoveryPoints());
    }

    // ---- Failback and reverse replication --------------------------------------------------

    /** The way back after a planned or unplanned failover. */
    private enum Back { NONE, FAILING_BACK, FAILED_BACK, REPROTECTING }

    private Back back = Back.NONE;
    /** The Azure VM of the planned or unplanned failover, until reprotect deletes it. */
    private AzureVm failoverVm;
    /** Per disk, the content of the failover VM's disk (no workload runs in Azure: it stays the point's). */
    private List<ExtentMap> failoverVersions;

    /**
     * Failback: a planned failover from Azure back to Hyper-V, as a Planned failover job. The Azure
     * VM shuts down, the on-premises disks are compared with its disks in blocks of the resync
     * block size and only the blocks that differ come back ({@code full}: every block), then the
     * on-premises VM starts and its workload writes again. Replication stays off until reprotect.
     */
    void failback(String sync) {
        if (refusedWhenDisabled("failback")) {
            return;
        }
        String refused = !failedOver || failoverVm == null ? "there is no failover to fail back from"
                : back == Back.FAILING_BACK ? "a failback is running"
                : back == Back.FAILED_BACK ? "the VM has failed back already: reprotect it"
                : vm.replicationState() != ReplicationState.FAILOVER_COMPLETE
                        ? "a failback needs a VM in Failover complete, this one is " + vm.replicationState().displayName() : null;
        if (refused != null) {
            site.trace().emit(new TraceEvent.ActionRefused(vm.name(), "failback", refused));
            return;
        }
        back = Back.FAILING_BACK;
        String how = sync == null ? "checksum" : sync;
        long startedAt = site.kernel().now();
        long[] figures = new long[3]; // blocks compared, blocks sent, bytes sent
        // the job's steps are a failover's; in this direction nothing is created: the on-premises VM exists
        runJob(JobType.PLANNED_FAILOVER, List.of(
                NOTHING,
                NOTHING,                                      // Shut down the virtual machine (in Azure)
                done -> synchronizeBack("full".equals(how), figures, done),
                NOTHING,
                now(() -> {                                   // Start the virtual machine (on-premises)
                    boolean verified = true;
                    for (int i = 0; i < disks.size(); i++) {
                        DiskReplication d = disks.get(i);
                        ReplicaDisk copy = failoverDisk(d);
                        verified &= d.replica.matchesCopy(d.source, copy, failoverVersions.get(i), site.resyncBlockSize());
                        d.replica.settleAfterFailback();
                    }
                    site.trace().emit(new TraceEvent.FailbackFinished(host, vm.name(), how, figures[0], figures[1], figures[2],
                            SimTime.toDuration(site.kernel().now() - startedAt), verified));
                    back = Back.FAILED_BACK;
                    poweredOff = false;
                })),
                () -> {});
    }

    private ReplicaDisk failoverDisk(DiskReplication d) {
        AzureVm.Disk disk = failoverVm.disks().get(d.source.id().toString());
        return ReplicaDisk.open(site.storage(), disk.container(), disk.blob());
    }

    /** Compares and sends back the blocks; a failed transfer retries, on the ladder, what did not arrive. */
    private void synchronizeBack(boolean full, long[] figures, Runnable done) {
        long blockSize = site.resyncBlockSize();
        List<TransferBatch.Piece> pieces = new ArrayList<>();
        figures[0] = 0;
        for (int i = 0; i < disks.size(); i++) {
            DiskReplication d = disks.get(i);
            ReplicaDisk copy = failoverDisk(d);
            figures[0] += (d.source.sizeBytes() + blockSize - 1) / blockSize;
            List<long[]> blocks = new ArrayList<>();
            ExtentMap copyVersions = failoverVersions.get(i);
            if (full) {
                blocks.addAll(Replica.allBlocks(d.source.sizeBytes(), blockSize));
            } else {
                io(() -> blocks.addAll(d.replica.blocksDifferingFrom(d.source, copy, copyVersions, blockSize)));
            }
            if (blocks.isEmpty()) {
                continue;
            }
            String transfer = "failback/" + vm.name() + "/" + d.name();
            long diskBytes = blocks.stream().mapToLong(b -> b[1]).sum();
            site.trace().emit(new TraceEvent.TransferStarted(host, vm.name(), d.name(), transfer, "failback", diskBytes));
            long sendingSince = site.kernel().now();
            int[] left = {blocks.size()};
            for (long[] block : blocks) {
                long at = block[0];
                int n = (int) block[1];
                pieces.add(new TransferBatch.Piece(transfer, n, () -> {
                    io(() -> d.replica.restoreBlock(d.source, copy, copyVersions, at, n));
                    figures[1]++;
                    figures[2] += n;
                    if (--left[0] == 0) {
                        site.trace().emit(new TraceEvent.TransferFinished(host, vm.name(), d.name(), transfer, "failback", diskBytes,
                                SimTime.toDuration(site.kernel().now() - sendingSince)));
                    }
                }, e -> transferFailed(d.name(), transfer, "failback", n, e)));
            }
        }
        sendResyncBlocks(new TransferBatch(site.uplink(), site.uploadThreads(), pieces), done);
    }

    /**
     * Reprotect (reverse replication) after a failback: the Hyper-V relationship is made anew
     * (remove, create, start replication: a new checkpoint and logging), the failover VM and the
     * old direction's recovery points go, and the replica, which still holds the failed-over
     * point's data, is brought up to date by block comparison instead of a full initial copy.
     * Then the checkpoint merges and delta cycles resume.
     */
    void reprotect() {
        if (refusedWhenDisabled("reprotect")) {
            return;
        }
        if (back != Back.FAILED_BACK) {
            site.trace().emit(new TraceEvent.ActionRefused(vm.name(), "reprotect", back == Back.REPROTECTING
                    ? "a reprotect is running" : "there is no failback to reverse: fail back first"));
            return;
        }
        back = Back.REPROTECTING;
        failedOver = false;
        irComplete = false; // busy until replication is back in step
        long startedAt = site.kernel().now();
        runJob(JobType.REPROTECT, List.of(
                NOTHING,
                now(() -> {                                   // Reverse replication direction
                    if (failoverVm != null) {
                        site.vault().deleteFailoverVm(failoverVm, site.storage());
                        failoverVm = null;
                    }
                    dropAllRecoveryPoints();
                    lastRecoveryPointAt = -1;
                    recentSyncs.clear();
                    if (vm.replicationState() != ReplicationState.NOT_ENABLED) {
                        site.hyperV(host).removeReplicationRelationship(vm);
                        observe();
                    }
                    site.hyperV(host).createReplicationRelationship(vm);
                }),
                now(() -> {                                   // Start replication
                    site.hyperV(host).startReplication(vm);
                    site.trace().emit(new TraceEvent.CheckpointCreated(host, vm.name(), checkpointName()));
                })),
                () -> reprotectSync(startedAt));
    }

    private void reprotectSync(long startedAt) {
        attempt(() -> reprotectSync(startedAt), () -> {
            long[] compared = {0};
            long[] differing = {0};
            long[] bytes = {0};
            List<TransferBatch.Piece> pieces = replicaSyncPieces("reprotect", compared, differing, n -> {
                bytes[0] += n;
                irBytesSent += n;
            });
            sendResyncBlocks(new TransferBatch(site.uplink(), site.uploadThreads(), pieces),
                    () -> reprotectSynced(new long[] {compared[0], differing[0], bytes[0], startedAt}));
        });
    }

    /** The replica holds the checkpoint: ship what was logged meanwhile, merge, resume cycles. */
    private void reprotectSynced(long[] figures) {
        lastCycleStart = site.kernel().now();
        attempt(() -> reprotectSynced(figures), () -> {
            switchLogs();
            shipReprotectLogs(figures);
        });
    }

    private void shipReprotectLogs(long[] figures) {
        shipPendingLogs(() -> shipReprotectLogs(figures), () -> {
            String checkpoint = checkpointName();
            io(() -> site.hyperV(host).completeInitialReplication(vm));
            site.trace().emit(new TraceEvent.CheckpointMerged(host, vm.name(), checkpoint));
            observe();
            site.trace().emit(new TraceEvent.ReprotectFinished(host, vm.name(), figures[0], figures[1], figures[2],
                    SimTime.toDuration(site.kernel().now() - figures[3])));
            createRecoveryPoint();
            irComplete = true;
            back = Back.NONE;
            cycleDone();
        });
    }

    /** Stops protecting the VM: the replication relationship and the replica data go. */
    void disableReplication() {
        String refused = disabled || disabling ? "replication is disabled already"
                : vm.replicationState() == ReplicationState.NOT_ENABLED
                        ? "replication is not enabled (yet): the job enabling it is still running" : null;
        if (refused != null) {
            site.trace().emit(new TraceEvent.ActionRefused(vm.name(), "disable-replication", refused));
            return;
        }
        disabling = true;
        stopReplicating();
        runJob(JobType.DISABLE_REPLICATION, List.of(
                NOTHING,
                now(() -> site.hyperV(host).removeReplicationRelationship(vm)),
                now(() -> {
                    dropAllRecoveryPoints();
                    for (DiskReplication d : disks) {
                        if (d.replica != null) {
                            site.storage().deleteBlobAndSnapshots(d.replica.disk.container(), d.replica.disk.blobName());
                            d.replica = null;
                        }
                    }
                    site.vault().disableProtection(item);
                    disabled = true;
                })), () -> {});
    }

    /** Whether the source VM is shut down (its workload writes nothing). */
    boolean poweredOff() {
        return poweredOff;
    }

    private boolean poweredOff;
    private boolean disabled;
    /** A Disable replication job was started: a second one is refused. */
    private boolean disabling;

    /** Waits for the cycle in flight, then runs one more so everything written is shipped, then {@code then}. */
    private long afterNextCycleAt;

    private long afterNextCycleRequested() {
        return afterNextCycleAt;
    }

    private void finalSync(Runnable then) {
        afterNextCycle = then;
        afterNextCycleAt = site.kernel().now();
        if (!cycleInFlight && retryHandle == 0) {
            cancel(cycleHandle);
            cycleHandle = 0;
            startCycle();
        }
    }

    /** Cancels cycles, retries and transfers: nothing more is sent from this VM. */
    private void stopReplicating() {
        epoch++;
        cancel(cycleHandle);
        cycleHandle = 0;
        cancel(retryHandle);
        retryHandle = 0;
        cancel(resyncHandle);
        resyncHandle = 0;
        if (activeBatch != null) {
            activeBatch.cancel();
            activeBatch = null;
        }
        cycleInFlight = false;
        afterNextCycle = null;
        // nothing waits for an administrator any more: replication stopped
        resumeAfterAdmin = null;
        onceAwaitingAdmin.clear();
        stateBeforeError = null;
        // a resync in progress ends with it (an unplanned failover or disabling replication mid-resync)
        closeResyncJob("Interrupted: replication stopped");
        // and so do jobs whose step waited on work just dropped (a failback waiting for an administrator)
        for (Job job : List.copyOf(inStep)) {
            if (!job.status().isFinal()) {
                job.fail("Interrupted: replication stopped");
                site.trace().emit(new TraceEvent.JobFinished(vm.name(), job.id(), job.name(), job.status().displayName(),
                        job.duration()));
            }
        }
        inStep.clear();
    }

    private void completeFailover() {
        stopReplicating();
        failedOver = true;
        io(() -> site.hyperV(host).requestReplicationStateChange(vm, ReplicationState.FAILOVER_COMPLETE));
        observe();
    }

    /**
     * Creates the Azure VM from {@code rp} and verifies its disks against the source as it was
     * at the point's moment, block by block; the data lost is the time between the point and now
     * when the source holds writes the point lacks.
     */
    private AzureVm failOverTo(VmRecoveryPoint rp, String kind, boolean test) {
        java.util.Optional<io.replisim.hyperv.HostFaultKind> untrusted = vm.replicationTracker().resynchronizationRequired();
        if (kind.equals("planned") && untrusted.isPresent()) {
            // the last synchronization cannot be trusted (the disk changed behind the tracker): no planned failover
            throw new ResyncTrigger(untrusted.get().scenarioName(), "the planned failover's final synchronization is incomplete: "
                    + untrusted.get().scenarioName());
        }
        java.util.Map<String, ReplicaDisk> replicas = new java.util.TreeMap<>();
        for (DiskReplication d : disks) {
            replicas.put(d.source.id().toString(), d.replica.disk);
        }
        AzureVm azureVm = site.vault().createFailoverVm(item, rp.vaultPoint(), replicas, ReplicationSite.VM_NETWORK, test);
        boolean verified = true;
        long blocksLost = 0;
        for (int i = 0; i < disks.size(); i++) {
            DiskReplication d = disks.get(i);
            ExtentMap cut = rp.sourceVersions().get(i);
            AzureVm.Disk disk = azureVm.disks().get(d.source.id().toString());
            ReplicaDisk failedOverDisk = ReplicaDisk.open(site.storage(), disk.container(), disk.blob());
            verified &= d.replica.verify(rp.disks().get(i), failedOverDisk, cut, site.kernel().seed());
            blocksLost += d.source.contentVersions().countDifferingBlocks(cut, BlockContent.BLOCK_SIZE);
        }
        java.time.Duration dataLoss = blocksLost == 0 ? java.time.Duration.ZERO
                : SimTime.toDuration(site.kernel().now() - rp.time());
        failovers.add(new Failover(kind, rp.id(), dataLoss, blocksLost, verified));
        site.trace().emit(new TraceEvent.FailoverFinished(host, vm.name(), kind, rp.id(), site.iso(rp.time()),
                azureVm.name(), azureVm.virtualNetwork(), dataLoss, blocksLost, verified));
        return azureVm;
    }

    /** A failover's outcome, for expectations and the summary. */
    record Failover(String kind, String recoveryPoint, java.time.Duration dataLoss, long blocksLost, boolean verified) {}

    final List<Failover> failovers = new ArrayList<>();

    /** The recovery point an action names: {@code latest} (default) or {@code latest-app}. */
    private VmRecoveryPoint choose(String choice, String action) {
        boolean app = "latest-app".equals(choice);
        for (int i = recoveryPoints.size() - 1; i >= 0; i--) {
            if (!app || recoveryPoints.get(i).appConsistent()) {
                return recoveryPoints.get(i);
            }
        }
        site.trace().emit(new TraceEvent.ActionRefused(vm.name(), action,
                "no " + (app ? "app-consistent " : "") + "recovery point yet"));
        return null;
    }

    // ---- errors and retries ---------------------------------------------------------------

    private void transferFailed(String disk, String transfer, String kind, long bytes, Throwable e) {
        String reason = e instanceof NetworkException ? "NetworkError"
                : e instanceof io.replisim.azure.AzureException a ? a.errorCode() : e.getClass().getSimpleName();
        site.trace().emit(new TraceEvent.TransferFailed(host, vm.name(), disk, transfer, kind, bytes, reason));
    }

    /** {@code body} as a retry that is itself retried, on the ladder, if it fails again. */
    private Runnable guarded(Runnable body) {
        Runnable[] self = new Runnable[1];
        self[0] = () -> attempt(self[0], body);
        return self[0];
    }

    /** Runs {@code body}; an error it raises fails the attempt, to be retried by {@code retry}. */
    private void attempt(Runnable retry, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            failed(e, null, retry);
        }
    }

    private void succeeded() {
        if (failedAttempts > 0) {
            failedAttempts = 0;
            updateHealth();
        }
    }

    /**
     * Records the error and either schedules {@code retry} on the retry ladder (recoverable) or
     * stops replication in the Error state until an administrator resumes it.
     */
    private void failed(Throwable cause, String disk, Runnable retry) {
        failed(cause, disk, null, retry);
    }

    /** As {@link #failed(Throwable, String, Runnable)}; {@code job} names the job whose step failed, if one did. */
    private void failed(Throwable cause, String disk, String job, Runnable retry) {
        if (cause instanceof ResyncTrigger trigger) {
            site.trace().emit(new TraceEvent.ErrorRaised(host, vm.name(), disk, null, "ResynchronizationRequired", false, trigger.getMessage()));
            requireResync(trigger.reason(), vm.replicationTracker().pendingLogBytes(), vm.totalVhdSizeBytes());
            return;
        }
        ReplicationError error = ErrorClassifier.classify(cause);
        errors++;
        site.trace().emit(new TraceEvent.ErrorRaised(host, vm.name(), disk, job, error.code(), error.recoverable(), error.message()));
        if (error.recoverable()) {
            failedAttempts++;
            retries++;
            long delay = RetryLadder.delay(failedAttempts);
            site.trace().emit(new TraceEvent.RetryScheduled(host, vm.name(), failedAttempts, SimTime.toDuration(delay)));
            retryHandle = site.kernel().scheduleIn(delay, named("retry " + vm.name(), () -> {
                retryHandle = 0;
                retry.run();
            }));
            updateHealth();
        } else {
            Runnable earlier = resumeAfterAdmin;
            // the same operation failing again (the administrator tried once more) runs again once, not twice
            boolean again = retry instanceof OnceRetry r && !onceAwaitingAdmin.add(r.key());
            if (!again) {
                // a second error before the administrator acts must not lose what the first one left to resume
                resumeAfterAdmin = earlier == null ? retry : () -> {
                    earlier.run();
                    retry.run();
                };
            }
            closeResyncJob(error.message());
            if (earlier == null) {
                stateBeforeError = vm.replicationState();
                try {
                    site.hyperV(host).requestReplicationStateChange(vm, ReplicationState.ERROR);
                } catch (IOException | IllegalStateException e) {
                    stateBeforeError = null; // the VM is gone or not replicating yet: the error is the stack's alone
                }
            }
            observe();
        }
    }

    /** An administrator fixed the cause of a non-recoverable error: replication resumes at once. */
    void resumeAfterAdminAction() {
        if (resumeAfterAdmin == null) {
            return;
        }
        if (stateBeforeError != null && vm.replicationState() == ReplicationState.ERROR) {
            try {
                site.hyperV(host).requestReplicationStateChange(vm, stateBeforeError);
            } catch (IOException e) {
                // Hyper-V cannot resume it (the VM is gone, say): it still waits for an administrator
                site.trace().emit(new TraceEvent.ActionRefused(vm.name(), "resume", e.getMessage()));
                return;
            }
        }
        Runnable resume = resumeAfterAdmin;
        resumeAfterAdmin = null;
        onceAwaitingAdmin.clear();
        failedAttempts = 0;
        observe();
        resume.run();
    }

    /**
     * Whether the VM still has replication work after the workload stopped: it is busy until its
     * last log (written before the stop) is applied, unless it waits for an administrator.
     */
    boolean busy() {
        if (back == Back.FAILING_BACK && !inError() && !disabling) {
            return true; // its job ends by itself (a failed-back VM not reprotected is not busy)
        }
        if (inError() || failedOver || disabling || disabled) {
            return false;
        }
        if (vm.replicationState() == ReplicationState.RESYNCHRONIZATION_REQUIRED && resyncHandle == 0) {
            return false; // waits for an administrator's resync
        }
        return !draining || !irComplete || cycleInFlight || retryHandle != 0 || resyncHandle != 0
                || vm.replicationState() == ReplicationState.RESYNCHRONIZING || !switchedWhileDraining;
    }

    /** Whether the VM waits for an administrator. */
    boolean inError() {
        return resumeAfterAdmin != null;
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Emits vm.state and vm.health when Hyper-V's view of the VM changed. */
    void observe() {
        ReplicationState state = vm.replicationState();
        if (state != observedState) {
            site.trace().emit(new TraceEvent.VmState(host, vm.name(), observedState.displayName(), state.displayName()));
            observedState = state;
            firstEntered.putIfAbsent(state, site.kernel().now());
        }
        updateHealth();
    }

    /** Every workload step: an RPO sample, and the time-based health rules re-evaluated. */
    void sample() {
        long now = site.kernel().now();
        if (lastRecoveryPointAt >= 0 && vm.replicationState() != ReplicationState.NOT_ENABLED) {
            rpoMillis.recordValue((now - lastRecoveryPointAt) / 1_000_000);
        }
        updateHealth();
    }

    /**
     * Health as Site Recovery shows it (DOMAIN.md): Hyper-V's view of the state (Warning while
     * initial replication or resynchronization runs, Critical when resynchronization is required
     * or in Error), made worse by what the stack sees: Warning while retrying on the ladder, over
     * an hour since the last sync, or more than 20% of the last hour's cycles missed; Critical
     * once an error persists (30-minute retries: the VM cannot send).
     */
    private void updateHealth() {
        ReplicationHealth health = vm.replicationHealth();
        if (resumeAfterAdmin != null) {
            health = ReplicationHealth.CRITICAL;
        }
        if (failedAttempts > 0) {
            health = worse(health, RetryLadder.persistent(failedAttempts) ? ReplicationHealth.CRITICAL : ReplicationHealth.WARNING);
        }
        if (vm.replicationState() == ReplicationState.REPLICATING) {
            long now = site.kernel().now();
            if (replicatingSince < 0) {
                replicatingSince = now;
            }
            while (!recentSyncs.isEmpty() && recentSyncs.peekFirst() <= now - SimTime.hours(1)) {
                recentSyncs.pollFirst();
            }
            long observed = Math.min(SimTime.hours(1), now - replicatingSince);
            long expected = observed / site.copyFrequency();
            long missed = expected - recentSyncs.size();
            if (lastRecoveryPointAt >= 0 && now - lastRecoveryPointAt > SimTime.hours(1)
                    || expected > 0 && missed * 5 > expected) {
                health = worse(health, ReplicationHealth.WARNING);
            }
        } else {
            replicatingSince = -1;
        }
        if (health != observedHealth) {
            healthChanges.add(new long[] {site.kernel().now(), health.ordinal()});
            site.trace().emit(new TraceEvent.VmHealth(host, vm.name(), observedHealth.displayName(), health.displayName()));
            observedHealth = health;
        }
    }

    private static ReplicationHealth worse(ReplicationHealth a, ReplicationHealth b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private String checkpointName() {
        return vm.checkpointId().map(Object::toString).orElse("");
    }

    private int diskIndex(String name) {
        for (int i = 0; i < disks.size(); i++) {
            if (disks.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no disk " + name + " on " + vm.name());
    }

    private DiskReplication disk(String name) {
        for (DiskReplication d : disks) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalStateException("no disk " + name + " on " + vm.name());
    }

    private Replica newReplica(DiskReplication d) {
        return Replica.create(site.storage(), REPLICA_CONTAINER, replicaBlob(d), d.source, site.kernel().clock().instant(),
                site.model());
    }

    private String replicaBlob(DiskReplication d) {
        return host + "/" + vm.name() + "/" + d.name() + ".vhd";
    }

    private String logBlob(SealedLog log) {
        return host + "/" + vm.name() + "/" + log.diskName() + "/" + log.path().getFileName();
    }

    private static byte[] read(SealedLog log) {
        try {
            return Files.readAllBytes(log.path());
        } catch (IOException e) {
            throw new HostIoException(e);
        }
    }

    /** A step that touches the host's files. */
    @FunctionalInterface
    interface IoStep {
        void run() throws IOException;
    }

    /** Runs host I/O; a failure travels as {@link HostIoException} to the classifier. */
    private static void io(IoStep step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new HostIoException(e);
        }
    }

    static Action named(String name, Runnable body) {
        return new Action() {
            @Override
            public void run() {
                body.run();
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
