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
    AUTHENTICATION_FAILURE(Scope.SITE);

    /** What a fault of this kind applies to. */
    public enum Scope { SITE, HOST, VM }

    private final Scope scope;

    FaultKind(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
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
