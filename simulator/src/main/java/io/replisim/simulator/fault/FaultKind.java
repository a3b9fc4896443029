package io.replisim.simulator.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The closed set of faults a scenario can inject, named as scenario files write them. */
public enum FaultKind {
    /** The site's uplink is down: transfers in flight fail, new ones are refused. Recoverable. */
    NETWORK_OUTAGE(Scope.SITE),
    /** The storage account answers 503 ServerBusy. Recoverable. */
    STORAGE_UNAVAILABLE(Scope.SITE),
    /** The storage account rejects the agent's credentials (403). Not recoverable: an administrator must act. */
    AUTHENTICATION_FAILURE(Scope.SITE),
    /** The host's volume fills up ({@code bytes}: what is left free): log and guest writes fail. Recoverable; persistent, it requires a resync. */
    LOW_DISK_SPACE(Scope.HOST),
    /** The host is short of memory: replication operations fail. Recoverable. */
    LOW_MEMORY(Scope.HOST),
    /** The VM is gone from the host (standalone Hyper-V). Not recoverable: an administrator must act. */
    VM_NOT_FOUND(Scope.VM),
    /** A checkpoint's parent disk changed or vanished: merges fail. Not recoverable. */
    BROKEN_VHD_CHAIN(Scope.VM),
    /** Writes to the active log fail: tracking is invalid, a resync is required. */
    LOG_WRITE_FAILURE(Scope.VM),
    /** The active log is left without its close marker (a crash): a resync is required. An event. */
    LOG_NOT_CLOSED_CLEANLY(Scope.VM),
    /** The VHD is written while the VM is off, unseen by the tracker ({@code bytes}, default 1MiB): a resync is required. An event. */
    VHD_CHANGED_OFFLINE(Scope.VM),
    /** The VM is reverted to an earlier state: a resync is required. An event. */
    VM_REVERTED(Scope.VM),
    /** The storage account answers 500 InternalError. Recoverable. */
    STORAGE_INTERNAL_ERROR(Scope.SITE),
    /** Connections to the storage account are reset before any answer (NetworkError). Recoverable. */
    STORAGE_CONNECTION_RESET(Scope.SITE),
    /** The storage account answers later than the agent waits for a request (Timeout); nothing is done. Recoverable. */
    STORAGE_SLOW(Scope.SITE);

    /** What a fault of this kind applies to. */
    public enum Scope { SITE, HOST, VM }

    private final Scope scope;

    FaultKind(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }

    /** Whether the fault is the storage account's answer to requests: it may strike a number of them ({@code requests}). */
    public boolean storage() {
        return this == STORAGE_UNAVAILABLE || this == AUTHENTICATION_FAILURE || this == STORAGE_INTERNAL_ERROR
                || this == STORAGE_CONNECTION_RESET || this == STORAGE_SLOW;
    }

    /** Whether the fault is a lasting condition (it can have a duration) rather than a one-off event. */
    public boolean lasting() {
        return this != LOG_NOT_CLOSED_CLEANLY && this != VHD_CHANGED_OFFLINE && this != VM_REVERTED;
    }

    /** The kebab-case name scenario files use, e.g. {@code network-outage}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind named {@code label}, or null. */
    public static FaultKind parse(String label) {
        for (FaultKind k : values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        return null;
    }

    public static String labels() {
        return Arrays.stream(values()).map(FaultKind::label).collect(Collectors.joining(", "));
    }
}
