package io.replisim.azure.vault;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A VM protected by the vault ("replicated item"). The vault only records what the replication
 * stack reports: state, health and recovery points are set by its caller.
 */
public final class ProtectedItem {

    /** Hyper-V's state before {@code StartReplication}. */
    public static final String INITIAL_STATE = "Not enabled";

    private final String vmName;
    private final ProtectionContainer container;
    private final List<String> diskIds;
    private final Set<String> distinctDiskIds;
    private final Instant protectedAt;
    private String replicationState = INITIAL_STATE;
    private ReplicationHealth health = ReplicationHealth.WARNING; // IR not finished yet
    private final List<RecoveryPoint> recoveryPoints = new ArrayList<>();

    ProtectedItem(String vmName, ProtectionContainer container, List<String> diskIds, Instant protectedAt) {
        this.vmName = vmName;
        this.container = container;
        this.diskIds = List.copyOf(diskIds);
        this.distinctDiskIds = new TreeSet<>(diskIds);
        this.protectedAt = protectedAt;
    }

    public String vmName() {
        return vmName;
    }

    public ProtectionContainer container() {
        return container;
    }

    public List<String> diskIds() {
        return diskIds;
    }

    /** When protection was enabled. */
    public Instant protectedAt() {
        return protectedAt;
    }

    /** The container's policy; it always has one while the item exists. */
    public ReplicationPolicy policy() {
        return container.policy().orElseThrow();
    }

    /** Hyper-V's replication state name, e.g. {@code Replicating}. */
    public String replicationState() {
        return replicationState;
    }

    public void setReplicationState(String state) {
        this.replicationState = Objects.requireNonNull(state, "state");
    }

    public ReplicationHealth health() {
        return health;
    }

    public void setHealth(ReplicationHealth health) {
        this.health = Objects.requireNonNull(health, "health");
    }

    /** The recovery points, oldest first. */
    public List<RecoveryPoint> recoveryPoints() {
        return Collections.unmodifiableList(new ArrayList<>(recoveryPoints));
    }

    public Optional<RecoveryPoint> latestRecoveryPoint() {
        return recoveryPoints.isEmpty() ? Optional.empty() : Optional.of(recoveryPoints.get(recoveryPoints.size() - 1));
    }

    /** Adds a point; it must be newer than the latest, as points come from successive cycles. */
    public void addRecoveryPoint(RecoveryPoint point) {
        Optional<RecoveryPoint> latest = latestRecoveryPoint();
        if (latest.isPresent() && !point.time().isAfter(latest.get().time())) {
            throw new IllegalArgumentException("recovery point at " + point.time() + " of " + vmName
                    + " is not newer than the latest at " + latest.get().time());
        }
        if (!coversEveryDisk(point)) {
            throw new IllegalArgumentException("recovery point at " + point.time() + " of " + vmName + " covers disks "
                    + point.diskSnapshots().keySet() + ", expected " + distinctDiskIds);
        }
        recoveryPoints.add(point);
    }

    /** Whether the point names exactly this item's disks (without making key-set views a fleet's points would keep). */
    private boolean coversEveryDisk(RecoveryPoint point) {
        if (point.diskSnapshots().size() != distinctDiskIds.size()) {
            return false;
        }
        for (String id : distinctDiskIds) {
            if (!point.diskSnapshots().containsKey(id)) {
                return false;
            }
        }
        return true;
    }

    /** Removes the points taken before {@code cutoff} and returns them, oldest first. */
    public List<RecoveryPoint> pruneRecoveryPointsBefore(Instant cutoff) {
        List<RecoveryPoint> pruned = new ArrayList<>();
        while (!recoveryPoints.isEmpty() && recoveryPoints.get(0).time().isBefore(cutoff)) {
            pruned.add(recoveryPoints.remove(0));
        }
        return pruned;
    }

    /** Removes every point (after a resync) and returns them, oldest first. */
    public List<RecoveryPoint> clearRecoveryPoints() {
        List<RecoveryPoint> all = new ArrayList<>(recoveryPoints);
        recoveryPoints.clear();
        return all;
    }

    @Override
    public String toString() {
        return "ProtectedItem[" + vmName + " in " + container + ", " + replicationState + ", " + health.displayName()
                + "]";
    }
}
