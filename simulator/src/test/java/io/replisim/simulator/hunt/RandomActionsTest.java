package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.kernel.RandomStreams;
import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomActionsTest {
    private static final Scenario TWO_VMS = Tiny.twoVms("6h", "");

    @Test
    void episodesAreWholeInOrderOnTheScenariosVmsAndReproducible() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int run = 0; run < 300; run++) {
            List<ActionSpec> actions = RandomActions.draw(TWO_VMS, new RandomStreams(5).stream("hunt/actions/" + run), 3);
            assertEquals(actions, RandomActions.draw(TWO_VMS, new RandomStreams(5).stream("hunt/actions/" + run), 3));
            for (int i = 0; i < actions.size(); i++) {
                ActionSpec a = actions.get(i);
                seen.add(a.action());
                assertTrue(ActionSpec.KNOWN.contains(a.action()), a.toString());
                assertTrue(a.vm().equals("app01") || a.vm().equals("app02"), a.toString());
                assertTrue(a.at().compareTo(TWO_VMS.duration()) < 0 && a.at().getNano() == 0, a.toString());
                assertTrue(i == 0 || a.at().compareTo(actions.get(i - 1).at()) >= 0, "in time order: " + actions);
                // a step that ends an episode has its start before it, on the same VM
                String before = switch (a.action()) {
                    case "test-failover-cleanup" -> "test-failover";
                    case "failback", "commit" -> "failover";
                    case "reprotect" -> "failback";
                    default -> null;
                };
                if (before != null) {
                    int at = i;
                    assertTrue(actions.subList(0, at).stream().anyMatch(p -> p.vm().equals(a.vm()) && p.action().endsWith(before)),
                            a + " without a " + before + " before it: " + actions);
                }
            }
            new ScenarioLoader().revalidate(RandomFaults.apply(TWO_VMS, new RandomFaults.Schedule(List.of(), actions)));
        }
        assertEquals(new HashSet<>(ActionSpec.KNOWN), add(seen, "resume"), "every action but resume (the faults' own) is drawn");
        assertEquals(List.of(), RandomActions.draw(TWO_VMS, new RandomStreams(5).stream("x"), 0));
    }

    @Test
    void actionsComeFromTheirOwnStreamSoTheFaultsOfARunStayTheSame() {
        for (int run = 0; run < 30; run++) {
            Scenario without = new Hunt(Invariants.all(), Hunt.DEFAULT_MAX_FAULTS, 0).scenarioOfRun(TWO_VMS, 9, run);
            Scenario with = new Hunt(Invariants.all(), Hunt.DEFAULT_MAX_FAULTS, 2).scenarioOfRun(TWO_VMS, 9, run);
            assertEquals(without.faults(), with.faults());
            assertEquals(without.seed(), with.seed());
            assertTrue(with.actions().containsAll(without.actions()));
        }
    }

    private static Set<String> add(Set<String> set, String element) {
        set.add(element);
        return set;
    }
}
