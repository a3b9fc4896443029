package io.replisim.simulator.replication;

import io.replisim.azure.vault.RecoveryPoint;
import io.replisim.hyperv.ExtentMap;
import io.replisim.simulator.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A VM's recovery points: one per cycle (crash-consistent, or app-consistent on the policy's
 * schedule), each the replicas' snapshots and the moment its data stands for (the log switch
 * whose logs it includes); pruned by retention, always keeping the newest.
 */
final class RecoveryPoints {
    /**
     * A recovery point: the replicas' snapshots, the moment its data stands for and, to verify
     * failovers, the source's block versions then.
     */
    record VmRecoveryPoint(String id, long time, boolean appConsistent, List<Replica.Point> disks,
                           List<ExtentMap> sourceVersions, RecoveryPoint vaultPoint) {}

    /** The source as of a log switch: what a recovery point made from those logs must hold. */
    record SourceCut(long time, List<ExtentMap> versions) {}

    private final ProtectedVm p;
    private final List<VmRecoveryPoint> points = new ArrayList<>();
    private long lastAppConsistent = Long.MIN_VALUE;
    private int counter;

    RecoveryPoints(ProtectedVm p) {
        this.p = p;
    }

    /** A recovery point from the logs shipped since the last switch. */
    void create() {
        long now = p.now();
        SourceCut cut = p.logs.pendingCut();
        long appEvery = p.site.appConsistentFrequency();
        boolean app = appEvery > 0 && (lastAppConsistent == Long.MIN_VALUE || cut.time() - lastAppConsistent >= appEvery);
        if (app) {
            lastAppConsistent = cut.time();
        }
        List<Replica.Point> snapshots = new ArrayList<>();
        SortedMap<String, String> vaultSnapshots = new TreeMap<>();
        for (DiskReplication d : p.disks) {
            Replica.Point point = d.replica.createRecoveryPoint(app);
            snapshots.add(point);
            vaultSnapshots.put(d.vaultId, point.snapshot().snapshot());
        }
        RecoveryPoint vaultPoint = new RecoveryPoint(p.site.kernel().instantAt(cut.time()), app, vaultSnapshots);
        p.item().addRecoveryPoint(vaultPoint);
        String id = "rp-" + p.name() + "-" + (++counter);
        points.add(new VmRecoveryPoint(id, cut.time(), app, snapshots, cut.versions(), vaultPoint));
        forgetOldVersions(app);
        p.figures.recoveryPointsCreated++;
        java.time.Duration rpo = p.health.pointCreated(cut.time(), now);
        if (p.tracesCycles()) {
            p.trace(new TraceEvent.RecoveryPointCreated(p.name(), id, app ? "app" : "crash", p.site.iso(cut.time()), rpo));
        }
        prune(now);
        // a point is progress: it proves a resume even when the resumed work had nothing left to send
        // (a resync whose blocks and logs were all in Azure before the error)
        p.retries.progressed();
    }

    /** Drops recovery points older than the retention window, always keeping the newest. */
    private void prune(long now) {
        while (points.size() > 1 && now - points.get(0).time() > p.site.retention()) {
            drop(points.get(0)); // off the list only once deleted: a deletion that fails leaves it there
            points.remove(0);
        }
    }

    void dropAll() {
        while (!points.isEmpty()) {
            drop(points.get(0)); // off the list only once deleted: a deletion that fails leaves it there
            points.remove(0);
        }
    }

    private void drop(VmRecoveryPoint old) {
        for (int i = 0; i < p.disks.size(); i++) {
            p.disks.get(i).replica.deleteRecoveryPoint(old.disks().get(i));
        }
        p.item().pruneRecoveryPointsBefore(old.vaultPoint().time().plusNanos(1));
        if (p.tracesCycles()) {
            p.trace(new TraceEvent.RecoveryPointPruned(p.name(), old.id()));
        }
    }

    /**
     * Keeps the content versions (what failovers verify against) only of the points a failover
     * can choose, the newest and the newest app-consistent: a day of 5-minute points on large
     * model disks would otherwise hold hundreds of extent maps per VM. Only the point just
     * superseded and, when the new point is app-consistent, the former newest app-consistent one
     * can still hold versions, so that is all this looks at.
     */
    private void forgetOldVersions(boolean newIsApp) {
        int previous = points.size() - 2;
        if (previous < 0) {
            return;
        }
        if (newIsApp || !points.get(previous).appConsistent()) {
            forget(previous);
        }
        if (newIsApp) {
            for (int i = previous; i >= 0; i--) {
                if (points.get(i).appConsistent()) {
                    forget(i);
                    break;
                }
            }
        }
    }

    private void forget(int i) {
        VmRecoveryPoint point = points.get(i);
        if (point.sourceVersions() == null) {
            return;
        }
        List<Replica.Point> snapshots = new ArrayList<>(point.disks().size());
        for (Replica.Point d : point.disks()) {
            snapshots.add(new Replica.Point(d.snapshot(), null));
        }
        points.set(i, new VmRecoveryPoint(point.id(), point.time(), point.appConsistent(), snapshots, null, point.vaultPoint()));
    }

    /** Every disk's content versions now (in either fidelity: see ExtentMap). */
    List<ExtentMap> sourceVersions() {
        List<ExtentMap> all = new ArrayList<>();
        for (DiskReplication d : p.disks) {
            all.add(d.source.contentVersions());
        }
        return all;
    }

    VmRecoveryPoint newest() {
        return points.get(points.size() - 1);
    }

    /** The recovery point an action names, {@code latest} (default) or {@code latest-app}; null (refused) if there is none. */
    VmRecoveryPoint choose(String choice, String action) {
        boolean app = "latest-app".equals(choice);
        for (int i = points.size() - 1; i >= 0; i--) {
            if (!app || points.get(i).appConsistent()) {
                return points.get(i);
            }
        }
        p.refuse(action, "no " + (app ? "app-consistent " : "") + "recovery point yet");
        return null;
    }
}
