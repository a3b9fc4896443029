package io.replisim.simulator.hunt;

import io.replisim.simulator.scenario.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A VM's recovery points are app-consistent on the schedule the scenario's policy gives
 * (docs/domain.md, Recovery points and retention), with its app-consistent frequency {@code A}
 * read from the scenario, never from the stack: walking the VM's {@code recovery-point.created}
 * in order, a point is {@code app} exactly when {@code A > 0} and either the VM has had no
 * app-consistent point yet or the point's {@code pointInTime} is at least {@code A} after that of
 * the last point the trace labels {@code app}; otherwise it is {@code crash}. The schedule runs
 * from the VM's first point for the whole run: dropping its points (a resync, commit, reprotect or
 * disable) does not restart it, as the stack documents. Each point is judged against the labels
 * before it, so a schedule that slips is reported once per point that came late or early.
 */
public final class AppConsistentSchedule implements Invariant {
    public static final String NAME = "app-consistent-schedule";

    @Override
    public String name() {
        return NAME;
    }

    /** The VM's last app-consistent point as the trace labels it. */
    private record LastApp(String id, long pointInTime) {}

    @Override
    public List<Violation> check(RunEvidence run) {
        Policy policy = run.scenario().effectivePolicy();
        long every = policy.appConsistentEvery().toNanos();
        List<Violation> found = new ArrayList<>();
        Map<String, LastApp> lastApp = new HashMap<>(); // lookups only
        for (TraceLine l : run.trace()) {
            if (!l.is("recovery-point.created")) {
                continue;
            }
            String vm = l.vm();
            String id = l.str("recoveryPoint");
            String consistency = l.str("consistency");
            long pit = TraceLine.epochNanos(l.str("pointInTime"));
            LastApp last = lastApp.get(vm);
            boolean due = every > 0 && (last == null || pit - last.pointInTime() >= every);
            String why = null;
            if (!"app".equals(consistency) && !"crash".equals(consistency)) {
                why = "has consistency " + consistency + ", neither app nor crash";
            } else if (due && !"app".equals(consistency)) {
                why = last == null
                        ? "is crash-consistent, but it is the VM's first point and the policy wants app-consistent points every "
                                + Duration.ofNanos(every)
                        : "is crash-consistent, but its pointInTime is " + Duration.ofNanos(pit - last.pointInTime())
                                + " after that of the last app-consistent point, " + last.id() + ", and the policy wants one every "
                                + Duration.ofNanos(every);
            } else if (!due && "app".equals(consistency)) {
                why = every == 0
                        ? "is app-consistent, but the policy's app-consistent frequency is 0 (off)"
                        : "is app-consistent, but its pointInTime is only " + Duration.ofNanos(pit - last.pointInTime())
                                + " after that of the last app-consistent point, " + last.id() + ", under the policy's "
                                + Duration.ofNanos(every);
            }
            if (why != null) {
                found.add(new Violation(NAME, l.seq(), "recovery point " + id + " of " + vm + " " + why));
            }
            if ("app".equals(consistency)) {
                lastApp.put(vm, new LastApp(id, pit));
            }
        }
        return found;
    }
}
