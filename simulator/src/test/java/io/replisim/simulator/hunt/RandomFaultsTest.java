package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.fault.FaultKind;
import io.replisim.simulator.kernel.RandomStreams;
import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.FaultSpec;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomFaultsTest {
    private static final Scenario TWO_VMS = Tiny.twoVms("3h", "");

    @Test
    void theSameHuntSeedAndRunGiveTheSameScenarioAndSeed() {
        Hunt hunt = new Hunt();
        for (int run = 0; run < 20; run++) {
            assertEquals(hunt.scenarioOfRun(TWO_VMS, 42, run), hunt.scenarioOfRun(TWO_VMS, 42, run));
        }
        assertNotEquals(hunt.scenarioOfRun(TWO_VMS, 42, 3), hunt.scenarioOfRun(TWO_VMS, 43, 3));
        Set<Long> seeds = new HashSet<>();
        for (int run = 0; run < 50; run++) {
            long seed = Hunt.seedOfRun(42, run);
            assertTrue(seed >= 0 && seed < 1L << 31, "seed " + seed);
            seeds.add(seed);
        }
        assertEquals(50, seeds.size());
    }

    @Test
    void schedulesDrawEveryKindOnTargetsOfTheScenarioAndValidate() throws Exception {
        Set<FaultKind> seen = EnumSet.noneOf(FaultKind.class);
        Set<Integer> counts = new HashSet<>();
        Hunt hunt = new Hunt();
        for (int run = 0; run < 200; run++) {
            Scenario s = hunt.scenarioOfRun(TWO_VMS, 7, run);
            new ScenarioLoader().revalidate(s);
            counts.add(s.faults().size());
            assertTrue(s.faults().size() <= Hunt.DEFAULT_MAX_FAULTS);
            assertEquals(List.of(), s.expect(), "expectations are not the hunt's business");
            for (FaultSpec f : s.faults()) {
                FaultKind kind = FaultKind.parse(f.kind());
                seen.add(kind);
                assertTrue(f.at().compareTo(s.duration()) < 0, f.toString());
                assertEquals(0, f.at().getNano(), "whole seconds: " + f);
                if (kind.lasting()) {
                    assertTrue(f.lasting().compareTo(RandomFaults.SHORTEST) >= 0 && f.lasting().compareTo(RandomFaults.LONGEST) <= 0,
                            f.toString());
                } else {
                    assertNull(f.lasting(), f.toString());
                }
                switch (kind.scope()) {
                    case SITE -> assertTrue(f.host() == null && f.vm() == null, f.toString());
                    case HOST -> assertEquals("hv01", f.host());
                    case VM -> assertTrue(Set.of("app01", "app02").contains(f.vm()), f.toString());
                }
                if (RandomFaults.needsAdministrator(kind)) {
                    Duration cleared = f.at().plus(f.lasting());
                    assertTrue(s.actions().stream().anyMatch(a -> a.action().equals("resume") && java.util.Objects.equals(a.vm(), f.vm())
                            && a.at().compareTo(cleared) > 0 && a.at().compareTo(cleared.plusMinutes(30)) <= 0), s.actions().toString());
                }
            }
        }
        assertEquals(EnumSet.copyOf(RandomFaults.KINDS), seen);
        assertEquals(Set.of(0, 1, 2, 3, 4), counts);
    }

    @Test
    void theScenariosOwnFaultsAndActionsStay() {
        Scenario own = Tiny.twoVms("3h", """
                faults: [ { at: 1h, kind: network-outage, for: 10m } ]
                actions: [ { at: 2h, do: test-failover, vm: app01 } ]
                """);
        Scenario s = new Hunt().scenarioOfRun(own, 1, 0);
        assertEquals(own.faults().get(0), s.faults().get(0));
        assertEquals(own.actions().get(0), s.actions().get(0));
        assertEquals(Hunt.seedOfRun(1, 0), s.seed());
    }

    @Test
    void aResumeFollowsOnlyFaultsThatNeedAnAdministrator() {
        FaultSpec auth = new FaultSpec(Duration.ofHours(1), "authentication-failure", Duration.ofMinutes(20), null, null, null, null);
        ActionSpec resume = RandomFaults.resumeAfter(auth, Duration.ofMinutes(5));
        assertNotNull(resume);
        assertEquals(new ActionSpec(Duration.ofMinutes(85), "resume", null, null), resume);
        assertNull(RandomFaults.resumeAfter(new FaultSpec(Duration.ofHours(1), "network-outage", Duration.ofMinutes(20), null, null,
                null, null), Duration.ofMinutes(5)));
        assertEquals(0, RandomFaults.draw(TWO_VMS, new RandomStreams(1).stream("x"), 0).faults().size());
    }
}
