package io.replisim.simulator.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One expectation of a scenario. Each entry states exactly one kind (scenarios/README.md):
 * <ul>
 *   <li>{@code {vm: app01, state: Replicating, by: 30m}}: the VM reached the state by then
 *       (without {@code by}: at some time); with {@code after: 2h}, it entered the state (again)
 *       later than that, so a state it held before counts not;</li>
 *   <li>{@code {vm: app01, health: Normal, at: 2h}}: the VM's health at that time;</li>
 *   <li>{@code {replicaMatchesSource: true}}: at the end every replica (of {@code vm}, or of all)
 *       equals its source;</li>
 *   <li>{@code {vm: app01, resyncs: 0}}, {@code retries}, {@code errors}: how many there were
 *       (a number, or {@code {atLeast: 1, atMost: 3}}); without {@code vm}, summed over VMs;</li>
 *   <li>{@code {vm: app01, rpo: {p95: 10m, max: 30m}}}: upper bounds on the RPO percentiles
 *       (without {@code vm}: for every VM);</li>
 *   <li>{@code {noDataLoss: true}}: every failover's disks hold exactly the source's content as
 *       of its recovery point, and planned failovers lost nothing;</li>
 *   <li>{@code {vm: app01, maxDataLoss: 6m}}: every failover of the VM lost at most that;</li>
 *   <li>{@code {vm: app01, maxBytesSent: 1GiB}}: what went over the uplink (of all VMs without {@code vm}).</li>
 * </ul>
 */
public record Expectation(
        String vm,
        String state,
        Duration by,
        Duration after,
        String health,
        Duration at,
        Boolean replicaMatchesSource,
        Count resyncs,
        Count retries,
        Count errors,
        RpoBound rpo,
        Boolean noDataLoss,
        Duration maxDataLoss,
        DataSize maxBytesSent) {

    /** The kinds this entry states; a valid entry states exactly one. */
    public List<String> kinds() {
        List<String> k = new ArrayList<>();
        if (state != null) {
            k.add("state");
        }
        if (health != null) {
            k.add("health");
        }
        if (replicaMatchesSource != null) {
            k.add("replicaMatchesSource");
        }
        if (resyncs != null) {
            k.add("resyncs");
        }
        if (retries != null) {
            k.add("retries");
        }
        if (errors != null) {
            k.add("errors");
        }
        if (rpo != null) {
            k.add("rpo");
        }
        if (noDataLoss != null) {
            k.add("noDataLoss");
        }
        if (maxDataLoss != null) {
            k.add("maxDataLoss");
        }
        if (maxBytesSent != null) {
            k.add("maxBytesSent");
        }
        return k;
    }

    /** A short statement of the expectation, its name in traces and reports. */
    public String describe() {
        String who = vm != null ? vm : "all VMs";
        return switch (kinds().isEmpty() ? "" : kinds().get(0)) {
            case "state" -> vm + " is " + state + (after != null ? " after " + Units.formatDuration(after) : "")
                    + (by != null ? " by " + Units.formatDuration(by) : after != null ? "" : " at some time");
            case "health" -> vm + " health is " + health + " at " + Units.formatDuration(at);
            case "replicaMatchesSource" -> (vm != null ? "the replicas of " + vm + (replicaMatchesSource ? " match" : " differ from")
                    + " their sources" : replicaMatchesSource ? "every replica matches its source" : "some replica differs from its source");
            case "resyncs" -> who + ": " + resyncs + " resyncs";
            case "retries" -> who + ": " + retries + " retries";
            case "errors" -> who + ": " + errors + " errors";
            case "rpo" -> who + ": RPO " + rpo;
            case "noDataLoss" -> noDataLoss ? "no data loss at any failover" : "some failover loses data";
            case "maxDataLoss" -> who + ": data loss at most " + Units.formatDuration(maxDataLoss) + " at every failover";
            case "maxBytesSent" -> who + ": at most " + maxBytesSent + " sent";
            default -> "(empty expectation)";
        };
    }
}
