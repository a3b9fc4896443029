package io.replisim.simulator.hunt;

import io.replisim.simulator.scenario.Scenario;
import java.util.List;
import java.util.Objects;

/**
 * What a finished run is judged by (docs/hunt.md, Ground truth): the scenario it ran, which says
 * what should happen (sizes, policy, windows, schedules); its trace, which says what the
 * replication stack did and claims; and what {@link GroundTruthProbe} read in the fakes while it
 * ran. An invariant takes its reference figures from the scenario and the ground truth, never
 * from the figures the stack reports about itself.
 *
 * @param scenario the scenario as run (its seed the run's)
 * @param trace    the run's trace lines
 * @param truth    the fakes' ground truth, {@link GroundTruth#NONE} when the run was not probed
 */
public record RunEvidence(Scenario scenario, List<TraceLine> trace, GroundTruth truth) {
    public RunEvidence {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(trace, "trace");
        truth = truth == null ? GroundTruth.NONE : truth;
    }
}
