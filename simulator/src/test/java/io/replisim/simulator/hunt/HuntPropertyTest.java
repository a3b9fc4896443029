package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.replisim.simulator.fault.FaultKind;
import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.DataSize;
import io.replisim.simulator.scenario.FaultSpec;
import io.replisim.simulator.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The hunt at a small scale, in the suite: random small fault schedules (QuickTheories'
 * generators, a fixed seed) on one host with one VM and a 16 MiB disk for 2 to 4 hours; every
 * run must keep every invariant. QuickTheories shrinks a failure to a smaller schedule.
 */
class HuntPropertyTest {
    private static final FaultKind[] KINDS = FaultKind.values();

    /** A fault as drawn: its kind, when (per mille of the duration), for how many minutes. */
    record Drawn(int kind, int perMille, int minutes) {
        FaultSpec spec(Duration runFor) {
            FaultKind k = KINDS[kind];
            Duration at = Duration.ofSeconds(runFor.toSeconds() * perMille / 1000);
            String host = k.scope() == FaultKind.Scope.HOST ? "hv01" : null;
            String vm = k.scope() == FaultKind.Scope.VM ? "app01" : null;
            DataSize bytes = k == FaultKind.LOW_DISK_SPACE ? DataSize.ofMiB(4) : null;
            return new FaultSpec(at, k.label(), k.lasting() ? Duration.ofMinutes(minutes) : null, host, vm, null, bytes);
        }
    }

    private static final Gen<Drawn> FAULTS = integers().between(0, KINDS.length - 1)
            .zip(integers().between(0, 999), integers().between(2, 180), Drawn::new);

    @Test
    void smallRandomFaultSchedulesKeepEveryInvariant() {
        qt().withFixedSeed(20260105L)
                .withExamples(40)
                .withShrinkCycles(8)
                .forAll(integers().between(2, 4), lists().of(FAULTS).ofSizeBetween(0, 3), integers().between(0, 999))
                .checkAssert((hours, drawn, seed) -> {
                    Scenario s = schedule(Tiny.oneVm(hours + "h"), drawn);
                    CheckedRun run = CheckedRun.of(s, seed, Invariants.all());
                    if (!run.held()) {
                        TraceLine at = run.line(run.violations().get(0).seq());
                        assertEquals(List.of(), run.violations(), (at == null ? "" : at.text() + "\n")
                                + "reproduce: save this as failing.yaml and ./replisim run failing.yaml --seed " + seed + "\n"
                                + ScenarioYaml.write(s.withSeed(seed), List.of()));
                    }
                });
    }

    /** The tiny scenario with the drawn faults, each needing an administrator resumed 10 minutes after it clears. */
    static Scenario schedule(Scenario base, List<Drawn> drawn) {
        List<FaultSpec> faults = new ArrayList<>();
        List<ActionSpec> actions = new ArrayList<>();
        for (Drawn d : drawn) {
            FaultSpec f = d.spec(base.duration());
            faults.add(f);
            ActionSpec resume = RandomFaults.resumeAfter(f, Duration.ofMinutes(10));
            if (resume != null) {
                actions.add(resume);
            }
        }
        return RandomFaults.apply(base, new RandomFaults.Schedule(faults, actions));
    }
}
