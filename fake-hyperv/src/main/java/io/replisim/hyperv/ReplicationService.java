package io.replisim.hyperv;

import static io.replisim.hyperv.ReplicationState.ERROR;
import static io.replisim.hyperv.ReplicationState.FAILOVER_COMPLETE;
import static io.replisim.hyperv.ReplicationState.NOT_ENABLED;
import static io.replisim.hyperv.ReplicationState.PAUSED;
import static io.replisim.hyperv.ReplicationState.PREPARED_FOR_PLANNED_FAILOVER;
import static io.replisim.hyperv.ReplicationState.READY_FOR_REPLICATION;
import static io.replisim.hyperv.ReplicationState.REPLICATING;
import static io.replisim.hyperv.ReplicationState.RESYNCHRONIZATION_REQUIRED;
import static io.replisim.hyperv.ReplicationState.RESYNCHRONIZATION_SUSPENDED;
import static io.replisim.hyperv.ReplicationState.RESYNCHRONIZING;
import static io.replisim.hyperv.ReplicationState.WAITING_TO_COMPLETE_INITIAL_REPLICATION;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The host's replication service, shaped like Hyper-V's WMI class
 * {@code Msvm_ReplicationService}. Each method checks the VM's replication state and rejects an
 * illegal call with an {@link IllegalStateException} saying what is allowed; a call that
 * throws an {@link IOException} leaves the state unchanged.
 *
 * <p>Lifecycle: {@link #createReplicationRelationship} (Ready for replication),
 * {@link #startReplication} (checkpoint + logging: Waiting to complete initial replication),
 * {@link #completeInitialReplication} (checkpoint merged: Replicating). When a
 * resynchronization is required: {@link #resynchronize} (new checkpoint + logging:
 * Resynchronizing), {@link #completeResynchronization} (Replicating). Everything else
 * (pause, resume, error, resynchronization required, planned failover) goes through
 * {@link #requestReplicationStateChange}.
 *
 * <p>Host faults: every call on an unregistered VM throws {@link VmNotFoundException}; while the
 * host is low on memory, the calls that start replication work (creating the relationship,
 * starting or completing initial replication or resynchronization) throw
 * {@link HostResourceException}, while state changes and removal still work.
 */
public final class ReplicationService {

    private final HyperVHost host;

    ReplicationService(HyperVHost host) {
        this.host = host;
    }

    /** Enables replication for the VM: Not enabled to Ready for replication. */
    public void createReplicationRelationship(VirtualMachine vm) throws IOException {
        check(vm, "createReplicationRelationship", "replication is already enabled", NOT_ENABLED);
        needsMemory(vm, "createReplicationRelationship");
        if (vm.disks().isEmpty()) {
            throw new IllegalStateException("createReplicationRelationship: VM " + vm.name()
                    + " has no virtual hard disk to replicate");
        }
        vm.setState(READY_FOR_REPLICATION);
    }

    /**
     * Takes the replication checkpoint (a differencing {@code <disk>_<checkpoint id>.avhdx} per
     * disk, which receives new writes while the {@code .vhdx} stays frozen for initial
     * replication to read) and starts logging writes: Waiting to complete initial replication.
     */
    public void startReplication(VirtualMachine vm) throws IOException {
        check(vm, "startReplication", "call createReplicationRelationship first", READY_FOR_REPLICATION);
        needsMemory(vm, "startReplication");
        checkpointAndTrack(vm);
        vm.setState(WAITING_TO_COMPLETE_INITIAL_REPLICATION);
    }

    /** Initial replication has been copied: merges and deletes the checkpoint; Replicating. */
    public void completeInitialReplication(VirtualMachine vm) throws IOException {
        check(vm, "completeInitialReplication", "call startReplication first (and resume a paused VM)",
                WAITING_TO_COMPLETE_INITIAL_REPLICATION);
        needsMemory(vm, "completeInitialReplication");
        vm.mergeCheckpoint();
        vm.setState(REPLICATING);
    }

    /**
     * Starts a resynchronization: takes a new checkpoint for the block comparison to read and
     * logs writes made meanwhile: Resynchronization required to Resynchronizing.
     */
    public void resynchronize(VirtualMachine vm) throws IOException {
        check(vm, "resynchronize", "only a VM that requires resynchronization can be resynchronized"
                + " (a suspended resynchronization is resumed with requestReplicationStateChange)",
                RESYNCHRONIZATION_REQUIRED);
        needsMemory(vm, "resynchronize");
        checkpointAndTrack(vm);
        vm.setState(RESYNCHRONIZING);
    }

    /** The resynchronization has compared every block: merges the checkpoint; Replicating. */
    public void completeResynchronization(VirtualMachine vm) throws IOException {
        check(vm, "completeResynchronization", "call resynchronize first (and resume a suspended one)",
                RESYNCHRONIZING);
        needsMemory(vm, "completeResynchronization");
        vm.mergeCheckpoint();
        vm.setState(REPLICATING);
    }

    /** Disables replication: merges any checkpoint, deletes every log; Not enabled. */
    public void removeReplicationRelationship(VirtualMachine vm) throws IOException {
        checkHost(vm);
        if (vm.replicationState() == NOT_ENABLED) {
            throw new IllegalStateException("removeReplicationRelationship: replication is not enabled for VM "
                    + vm.name());
        }
        vm.mergeCheckpoint();
        vm.replicationTracker().stop();
        vm.setResumeState(null);
        vm.setState(NOT_ENABLED);
    }

    /**
     * Requests a state change:
     * <ul>
     * <li>Paused, from Waiting to complete initial replication or Replicating (writes are still
     * logged); Error, from those, Paused or Resynchronizing. Either is left by requesting the
     * state it was entered from.
     * <li>Resynchronization suspended from Resynchronizing, and back.
     * <li>Resynchronization required, from any state that logs writes: merges any checkpoint
     * and deletes every log, since the replica can no longer be brought up to date from them.
     * <li>Prepared for planned failover from Replicating, and back to Replicating (cancel).
     * <li>Failover complete, from Prepared for planned failover, Replicating, Paused, Error or
     * Resynchronization required: stops logging and deletes every log.
     * </ul>
     */
    public void requestReplicationStateChange(VirtualMachine vm, ReplicationState requested) throws IOException {
        checkHost(vm);
        Objects.requireNonNull(requested, "requested");
        ReplicationState from = vm.replicationState();
        String call = "requestReplicationStateChange(" + requested + ")";
        if (from == requested) {
            throw new IllegalStateException(call + ": VM " + vm.name() + " is already in state '" + from + "'");
        }
        switch (requested) {
            case PAUSED -> {
                check(vm, call, "only initial or delta replication can be paused",
                        WAITING_TO_COMPLETE_INITIAL_REPLICATION, REPLICATING);
                vm.setResumeState(from);
                vm.setState(PAUSED);
            }
            case ERROR -> {
                check(vm, call, "only an active replication can fail",
                        WAITING_TO_COMPLETE_INITIAL_REPLICATION, REPLICATING, PAUSED, RESYNCHRONIZING);
                if (from != PAUSED) {
                    vm.setResumeState(from);
                }
                vm.setState(ERROR);
            }
            case WAITING_TO_COMPLETE_INITIAL_REPLICATION, REPLICATING, RESYNCHRONIZING -> {
                if ((from == PAUSED || from == ERROR) && requested == vm.resumeState()) {
                    vm.setResumeState(null);
                } else if (!(requested == REPLICATING && from == PREPARED_FOR_PLANNED_FAILOVER)
                        && !(requested == RESYNCHRONIZING && from == RESYNCHRONIZATION_SUSPENDED)) {
                    throw illegal(vm, call, (from == PAUSED || from == ERROR)
                            ? "a VM in state '" + from + "' resumes to '" + vm.resumeState() + "'"
                            : switch (requested) {
                                case WAITING_TO_COMPLETE_INITIAL_REPLICATION -> "call startReplication";
                                case REPLICATING -> "call completeInitialReplication or completeResynchronization";
                                default -> "call resynchronize";
                            });
                }
                vm.setState(requested);
            }
            case RESYNCHRONIZATION_SUSPENDED -> {
                check(vm, call, "only a running resynchronization can be suspended", RESYNCHRONIZING);
                vm.setState(RESYNCHRONIZATION_SUSPENDED);
            }
            case RESYNCHRONIZATION_REQUIRED -> {
                if (!from.tracksWrites() || from == PREPARED_FOR_PLANNED_FAILOVER) {
                    throw illegal(vm, call, "only a replicating VM can require resynchronization");
                }
                vm.mergeCheckpoint();
                vm.replicationTracker().stop();
                vm.setResumeState(null);
                vm.setState(RESYNCHRONIZATION_REQUIRED);
            }
            case PREPARED_FOR_PLANNED_FAILOVER -> {
                check(vm, call, "a planned failover starts from a replicating VM", REPLICATING);
                vm.setState(PREPARED_FOR_PLANNED_FAILOVER);
            }
            case FAILOVER_COMPLETE -> {
                // an unplanned failover happens in Azure whatever the primary is doing, a resync included
                check(vm, call, "the VM must be replicating or prepared for failover",
                        PREPARED_FOR_PLANNED_FAILOVER, REPLICATING, PAUSED, ERROR, RESYNCHRONIZATION_REQUIRED,
                        RESYNCHRONIZING, RESYNCHRONIZATION_SUSPENDED);
                vm.mergeCheckpoint();
                vm.replicationTracker().stop();
                vm.setResumeState(null);
                vm.setState(FAILOVER_COMPLETE);
            }
            case NOT_ENABLED -> throw illegal(vm, call, "call removeReplicationRelationship");
            case READY_FOR_REPLICATION -> throw illegal(vm, call, "call createReplicationRelationship");
            default -> throw new AssertionError(requested);
        }
    }

    private static void checkpointAndTrack(VirtualMachine vm) throws IOException {
        vm.takeCheckpoint();
        try {
            vm.replicationTracker().start();
        } catch (IOException | RuntimeException e) {
            try {
                vm.discardCheckpoint();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void needsMemory(VirtualMachine vm, String call) throws HostResourceException {
        host.checkMemory(call + " " + vm.name());
    }

    private void check(VirtualMachine vm, String call, String hint, ReplicationState... allowed)
            throws VmNotFoundException {
        checkHost(vm);
        if (Arrays.asList(allowed).contains(vm.replicationState())) {
            return;
        }
        throw illegal(vm, call, hint + "; allowed in "
                + Arrays.stream(allowed).map(s -> "'" + s + "'").collect(Collectors.joining(", ")));
    }

    private static IllegalStateException illegal(VirtualMachine vm, String call, String hint) {
        return new IllegalStateException(call + " is not allowed for VM " + vm.name() + " in state '"
                + vm.replicationState() + "': " + hint);
    }

    private void checkHost(VirtualMachine vm) throws VmNotFoundException {
        Objects.requireNonNull(vm, "vm");
        host.checkOpen();
        if (vm.host() != host) {
            throw new IllegalArgumentException(vm + " is not on host " + host.name());
        }
        vm.checkRegistered();
    }
}
