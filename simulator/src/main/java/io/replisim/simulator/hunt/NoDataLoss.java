package io.replisim.simulator.hunt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * No data loss at any failover: every {@code failover.finished} has {@code verified: true} (the
 * failed-over disks hold exactly the source's content as of the recovery point), and a planned
 * failover lost nothing ({@code dataLoss: PT0S}, {@code blocksLost: 0}).
 */
public final class NoDataLoss implements Invariant {
    public static final String NAME = "no-data-loss";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(List<TraceLine> trace) {
        List<Violation> found = new ArrayList<>();
        for (TraceLine l : trace) {
            if (!l.is("failover.finished")) {
                continue;
            }
            String what = l.str("kind") + " failover of " + l.vm() + " to " + l.str("recoveryPoint");
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
