package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replisim.simulator.sweep.LocalEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A hunt whose runs are checked on an engine, side by side, tells and finds exactly what the sequential hunt does. */
class HuntOnEngineTest {
    /** "Fails" whenever a vm-reverted fault struck: a failure found without a bug in the stack. */
    static final Hunt.Checkers FAILS_ON_REVERT = () -> run -> {
        for (TraceLine l : run.trace()) {
            if (l.is("fault.injected") && "vm-reverted".equals(l.str("kind"))) {
                return List.of(new Violation("test-no-revert", l.seq(), l.vm() + " was reverted"));
            }
        }
        return List.of();
    };

    @Test
    void theSameRunsVerdictsFirstFailureAndShrinkingAsTheSequentialHunt() throws Exception {
        Hunt.Source source = new Hunt.Source("tiny.yaml", Tiny.TWO_VMS.formatted("1h"));
        for (Hunt.Checkers checkers : List.<Hunt.Checkers>of(FAILS_ON_REVERT, Invariants::all)) {
            List<String> sequential = new ArrayList<>();
            List<String> onEngine = new ArrayList<>();
            Hunt.Result one = new Hunt(checkers.make(), 2, 1).run(source.load(), 11, 8, listener(sequential));
            Hunt.Result two = new Hunt(checkers.make(), 2, 1).run(source, 11, 8, listener(onEngine), new LocalEngine(2, null), checkers);
            assertEquals(sequential, onEngine);
            assertEquals(one.runs(), two.runs());
            assertEquals(one.held(), two.held());
            assertEquals(checkers != FAILS_ON_REVERT, one.held(), "the failing checker finds a revert in 8 runs of 2 faults");
            if (!one.held()) {
                assertEquals(one.failure().run(), two.failure().run());
                assertEquals(one.failure().violation(), two.failure().violation());
                assertEquals(one.failure().shrunk().minimal().scenario(), two.failure().shrunk().minimal().scenario());
            }
        }
    }

    private static Hunt.Listener listener(List<String> told) {
        return new Hunt.Listener() {
            @Override
            public void runStarted(int run, long seed, io.replisim.simulator.scenario.Scenario scenario) {
                told.add("started " + run + " " + seed + " " + scenario.faults().size() + " " + scenario.actions().size());
            }

            @Override
            public void runFinished(int run, CheckedRun result) {
                told.add("finished " + run + " " + result.held() + " " + result.violations());
            }

            @Override
            public void shrinkStep(String step, boolean kept, CheckedRun current) {
                told.add("shrink " + step + " " + kept);
            }
        };
    }
}
