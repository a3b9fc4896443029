package io.replisim.simulator.scenario;

import java.time.Duration;

/**
 * One expectation of a scenario; exactly one kind per entry:
 * <ul>
 *   <li>{@code {vm: app01, state: Replicating, by: 30m}}: the VM reached the state by then;</li>
 *   <li>{@code {replicaMatchesSource: true}}: at the end every replica equals its source.</li>
 * </ul>
 */
public record Expectation(String vm, String state, Duration by, Boolean replicaMatchesSource) {

    /** A short human description, used as the expectation's name in traces and reports. */
    public String describe() {
        if (replicaMatchesSource != null) {
            return replicaMatchesSource ? "every replica matches its source" : "some replica differs from its source";
        }
        return vm + " is " + state + (by != null ? " by " + Units.formatDuration(by) : "");
    }
}
