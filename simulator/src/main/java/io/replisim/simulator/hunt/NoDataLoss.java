package io.replisim.simulator.hunt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * No data loss at any failover: the failed-over disks hold exactly the source's content as of the
 * recovery point, and a planned failover lost nothing. Judged on the ground truth
 * ({@link GroundTruth.FailoverCheck}: the Azure VM's disks read from the storage account against
 * the source's content versions at the point's log switch, and the 4 KiB blocks the source changed
 * after it): the stack's {@code verified} must agree with it, its {@code blocksLost} must equal the
 * blocks changed, {@code dataLoss} is zero exactly when none changed, and a planned failover
 * changed none. A trace checked alone is judged on the stack's {@code verified}, {@code dataLoss}
 * and {@code blocksLost}.
 */
public final class NoDataLoss implements Invariant {
    public static final String NAME = "no-data-loss";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunEvidence run) {
        List<TraceLine> trace = run.trace();
        List<Violation> found = new ArrayList<>();
        java.util.Map<String, Integer> occurrences = new java.util.HashMap<>(); // vm -> failovers so far; lookups only
        for (TraceLine l : trace) {
            if (!l.is("failover.finished")) {
                continue;
            }
            String what = l.str("kind") + " failover of " + l.vm() + " to " + l.str("recoveryPoint");
            int n = occurrences.merge(l.vm(), 1, Integer::sum);
            GroundTruth.FailoverCheck truth = run.truth().failover(l.vm(), n).orElse(null);
            if (truth != null && truth.pointKnown()) {
                if (truth.disksMatchPoint() != null && !truth.disksMatchPoint()) {
                    found.add(new Violation(NAME, l.seq(), what + ": the Azure VM's disks differ from the source as of "
                            + l.str("pointInTime") + " (read from the storage account)"
                            + (l.bool("verified") ? ", yet the stack says verified" : "")));
                } else if (truth.disksMatchPoint() != null && !l.bool("verified")) {
                    found.add(new Violation(NAME, l.seq(), what + " says not verified, but the Azure VM's disks hold the source's"
                            + " content as of " + l.str("pointInTime")));
                }
                long lost = l.num("blocksLost");
                Duration loss = l.dur("dataLoss");
                if (lost != truth.blocksChanged()) {
                    found.add(new Violation(NAME, l.seq(), what + " says " + lost + " blocks lost, but the source changed "
                            + truth.blocksChanged() + " blocks of 4 KiB after the point"));
                } else if (loss == null || loss.isZero() != (truth.blocksChanged() == 0)) {
                    found.add(new Violation(NAME, l.seq(), what + " says dataLoss " + l.str("dataLoss") + " with "
                            + truth.blocksChanged() + " blocks changed after the point"));
                }
                if ("planned".equals(l.str("kind")) && truth.blocksChanged() != 0) {
                    found.add(new Violation(NAME, l.seq(), what + " lost data: the source changed " + truth.blocksChanged()
                            + " blocks of 4 KiB after the point (a planned failover must lose nothing)"));
                }
                continue;
            }
            if (!l.bool("verified")) {
                found.add(new Violation(NAME, l.seq(), what + " is not verified: its disks differ from the source as of "
                        + l.str("pointInTime")));
            }
            if ("planned".equals(l.str("kind"))) {
                Duration loss = l.dur("dataLoss");
                if (loss == null || !loss.isZero() || l.num("blocksLost") != 0) {
                    found.add(new Violation(NAME, l.seq(), what + " lost data: dataLoss " + l.str("dataLoss") + ", blocksLost "
                            + l.num("blocksLost") + " (a planned failover must lose nothing)"));
                }
            }
        }
        return found;
    }
}
