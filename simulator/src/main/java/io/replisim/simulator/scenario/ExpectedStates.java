package io.replisim.simulator.scenario;

import io.replisim.hyperv.ReplicationState;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Replication states as scenario files name them: Hyper-V's own display names. */
public final class ExpectedStates {
    private ExpectedStates() {}

    /** The state with this display name (case-insensitive), or null. */
    public static ReplicationState parse(String text) {
        for (ReplicationState s : ReplicationState.values()) {
            if (s.displayName().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        return null;
    }

    static String names() {
        return Arrays.stream(ReplicationState.values()).map(ReplicationState::displayName)
                .collect(Collectors.joining(", "));
    }
}
