package io.replisim.hyperv;

import io.replisim.hyperv.vhdx.BrokenChainException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The host faults Site Recovery has to cope with, a closed set; each has a stable kebab-case
 * name for scenario files. Inject and clear them with {@link HyperVHost#inject} and
 * {@link HyperVHost#clear}; build them with {@link HostFault}'s factories. Which are recoverable
 * is the replication stack's call; the host only makes each observable, by its own signal:
 *
 * <table>
 * <caption>What each fault does and how it shows</caption>
 * <tr><th>kind</th><th>effect</th><th>signal</th></tr>
 * <tr><td>{@code low-disk-space}</td><td>the volume's free space is held (as other files
 * would hold it), all but a given number of bytes</td><td>{@link VolumeFullException} from
 * guest writes, log writes, checkpoints</td></tr>
 * <tr><td>{@code low-memory}</td><td>the host cannot start replication work</td>
 * <td>{@link HostResourceException} from {@link ReplicationService}'s replication operations
 * and {@link ReplicationTracker#switchLog}</td></tr>
 * <tr><td>{@code vm-not-found}</td><td>the VM is unregistered: the host no longer lists it</td>
 * <td>{@link VmNotFoundException} from every operation on it, guest writes included</td></tr>
 * <tr><td>{@code broken-vhd-chain}</td><td>a replication checkpoint's parent VHDX vanishes
 * (now, or when the next checkpoint is taken)</td><td>{@link BrokenChainException} when the
 * checkpoint is opened or merged (completing initial replication or resynchronization,
 * removing the relationship)</td></tr>
 * <tr><td>{@code log-write-failure}</td><td>the next append to the VM's log fails: that log is
 * left with a torn record and no close marker, the guest's write is not logged</td><td>the
 * sealed log's {@link SealedLog#sealedCleanly()} is false ({@link HrlReader} and
 * {@link SealedLog#checkSealed()} throw {@link CorruptLogException}), and
 * {@link ReplicationTracker#resynchronizationRequired()} reports it</td></tr>
 * <tr><td>{@code log-not-closed-cleanly}</td><td>the VM's active logs end without a close
 * marker, as after a crash, and are handed over as they are</td><td>as above</td></tr>
 * <tr><td>{@code vhd-changed-offline}</td><td>writes reach a disk without the tracker seeing
 * them</td><td>{@link VirtualDisk#changeTrackingId()} changes;
 * {@link ReplicationTracker#resynchronizationRequired()} reports it</td></tr>
 * <tr><td>{@code vm-reverted}</td><td>the VM's disks go back to a standard checkpoint (or to
 * empty)</td><td>as above</td></tr>
 * </table>
 *
 * <p>The first five are conditions that last until cleared (a log write failure only until it
 * happens); the last three are events: clearing them does nothing.
 */
public enum HostFaultKind {
    LOW_DISK_SPACE("low-disk-space", true),
    LOW_MEMORY("low-memory", true),
    VM_NOT_FOUND("vm-not-found", true),
    BROKEN_VHD_CHAIN("broken-vhd-chain", true),
    LOG_WRITE_FAILURE("log-write-failure", true),
    LOG_NOT_CLOSED_CLEANLY("log-not-closed-cleanly", false),
    VHD_CHANGED_OFFLINE("vhd-changed-offline", false),
    VM_REVERTED("vm-reverted", false);

    private final String scenarioName;
    private final boolean clearable;

    HostFaultKind(String scenarioName, boolean clearable) {
        this.scenarioName = scenarioName;
        this.clearable = clearable;
    }

    /** The stable name used in scenario files, e.g. {@code low-disk-space}. */
    public String scenarioName() {
        return scenarioName;
    }

    /** Whether the fault is a condition that {@link HyperVHost#clear} lifts, rather than an event. */
    public boolean clearable() {
        return clearable;
    }

    /** The kind named {@code name} in a scenario file. */
    public static HostFaultKind fromScenarioName(String name) {
        for (HostFaultKind k : values()) {
            if (k.scenarioName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown host fault " + Names.quote(name) + "; expected one of "
                + Arrays.stream(values()).map(HostFaultKind::scenarioName).collect(Collectors.joining(", ")));
    }

    /**
     * The fault a failure signals, looking through its causes: {@link VolumeFullException} is
     * low disk space, {@link HostResourceException} its kind, {@link VmNotFoundException} VM not
     * found, {@link BrokenChainException} a broken chain, {@link CorruptLogException} a log not
     * closed cleanly (the tracker's {@link ReplicationTracker#resynchronizationRequired()} tells
     * a failed write apart). Empty for anything else.
     */
    public static Optional<HostFaultKind> causeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof VolumeFullException) {
                return Optional.of(LOW_DISK_SPACE);
            } else if (t instanceof HostResourceException e) {
                return Optional.of(e.kind());
            } else if (t instanceof VmNotFoundException) {
                return Optional.of(VM_NOT_FOUND);
            } else if (t instanceof BrokenChainException) {
                return Optional.of(BROKEN_VHD_CHAIN);
            } else if (t instanceof CorruptLogException) {
                return Optional.of(LOG_NOT_CLOSED_CLEANLY);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return scenarioName;
    }
}
