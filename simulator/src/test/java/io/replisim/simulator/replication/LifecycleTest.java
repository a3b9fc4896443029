package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.replication.Lifecycle.Event;
import io.replisim.simulator.replication.Lifecycle.State;
import io.replisim.simulator.replication.Lifecycle.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lifecycle's table: checked at run time, complete, and the diagram in docs/ generated from it. */
class LifecycleTest {
    private static final Path DOC = Path.of("../docs/lifecycle.md");

    private static Lifecycle startingNow(boolean now) {
        return new Lifecycle("app01", () -> now);
    }

    @Test
    void anUnlistedTransitionIsAnInternalErrorNamingTheVmItsStateAndTheEvent() {
        Lifecycle l = startingNow(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.fire(Event.RESYNC_DONE));
        assertTrue(e.getMessage().contains("VM app01"), e.getMessage());
        assertTrue(e.getMessage().contains("'Not enabled'"), e.getMessage());
        assertTrue(e.getMessage().contains("'resynchronization done'"), e.getMessage());
        assertEquals(State.NOT_ENABLED, l.state(), "a refused event leaves the state as it was");
    }

    @Test
    void theGuardChoosesBetweenStartingInitialReplicationNowAndWaitingForThePolicy() {
        Lifecycle now = startingNow(true);
        now.fire(Event.ENABLE_PROTECTION);
        assertEquals(State.INITIAL_REPLICATION, now.fire(Event.PROTECTION_ENABLED).to());
        Lifecycle later = startingNow(false);
        later.fire(Event.ENABLE_PROTECTION);
        assertEquals(State.INITIAL_REPLICATION_SCHEDULED, later.fire(Event.PROTECTION_ENABLED).to());
        assertEquals(State.INITIAL_REPLICATION, later.fire(Event.SCHEDULED_START).to());
    }

    @Test
    void anErrorRemembersWhatItInterruptedAndAResumeReturnsThere() {
        for (State s : Lifecycle.CAN_FAIL) {
            Lifecycle l = reach(s);
            l.fire(Event.NON_RECOVERABLE_ERROR);
            assertEquals(State.ERROR, l.state());
            assertEquals(s, l.underlying());
            l.fire(Event.NON_RECOVERABLE_ERROR); // a second error keeps what the first interrupted
            assertEquals(s, l.fire(Event.RESUMED).to(), "resumed from an error in " + s);
        }
    }

    @Test
    void aResyncCanBeRequiredOnlyWhileHyperVTracksThisDirection() {
        for (State s : State.values()) {
            Lifecycle l = reach(s);
            if (s == State.ERROR) {
                continue; // depends on what the error interrupted: below
            }
            assertEquals(Lifecycle.RESYNC_CAN_BE_REQUIRED.contains(s), l.allows(Event.RESYNC_REQUIRED), s.label());
        }
        Lifecycle disabling = reach(State.DISABLING);
        disabling.fire(Event.NON_RECOVERABLE_ERROR);
        assertFalse(disabling.allows(Event.RESYNC_REQUIRED), "an error while disabling is still disabling");
    }

    @Test
    void deltaReplicationBeginsWithReplicatingAndStartsOverWithReprotect() {
        Lifecycle l = reach(State.INITIAL_REPLICATION);
        assertFalse(l.deltaBegan());
        l.fire(Event.INITIAL_REPLICATION_DONE);
        assertTrue(l.deltaBegan());
        l.fire(Event.UNPLANNED_FAILOVER);
        l.fire(Event.FAILOVER_DONE);
        l.fire(Event.FAILBACK);
        l.fire(Event.FAILBACK_DONE);
        assertTrue(l.deltaBegan());
        l.fire(Event.REPROTECT);
        assertFalse(l.deltaBegan());
    }

    @Test
    void everyStateIsReachableAndOnlyDisabledIsFinal() {
        Set<State> seen = EnumSet.of(State.NOT_ENABLED);
        Deque<State> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            State s = todo.poll();
            for (Transition t : Lifecycle.TABLE) {
                if (t.from() == s && seen.add(t.to())) {
                    todo.add(t.to());
                }
            }
        }
        assertEquals(EnumSet.allOf(State.class), seen);
        for (State s : State.values()) {
            boolean exits = Lifecycle.TABLE.stream().anyMatch(t -> t.from() == s && t.to() != s);
            assertEquals(s != State.DISABLED, exits, s.label());
        }
    }

    @Test
    void docsLifecycleMdIsGeneratedFromTheTable() throws Exception {
        String expected = LifecycleDocument.markdown();
        if (Boolean.getBoolean("replisim.writeDocs")) {
            Files.writeString(DOC, expected);
        }
        assertEquals(expected, Files.readString(DOC), "docs/lifecycle.md is not current: regenerate it as its header says");
        assertTrue(expected.contains("ENABLING_PROTECTION --> INITIAL_REPLICATION : Enable protection job done [the policy starts it now]"));
    }

    /** A lifecycle brought to {@code target} along the table by a breadth-first search of events. */
    private static Lifecycle reach(State target) {
        for (boolean now : new boolean[] {true, false}) {
            Deque<java.util.List<Event>> paths = new ArrayDeque<>();
            paths.add(java.util.List.of());
            Set<State> visited = EnumSet.noneOf(State.class);
            while (!paths.isEmpty()) {
                java.util.List<Event> path = paths.poll();
                Lifecycle l = startingNow(now);
                path.forEach(l::fire);
                if (l.state() == target) {
                    return l;
                }
                if (!visited.add(l.state())) {
                    continue;
                }
                for (Event e : Event.values()) {
                    if (l.allows(e)) {
                        java.util.List<Event> next = new java.util.ArrayList<>(path);
                        next.add(e);
                        paths.add(next);
                    }
                }
            }
        }
        return null;
    }

    @Test
    void atMostOneTransitionAppliesWhateverThePolicySays() {
        // the guards of a state's event exclude each other: the table, not its order, decides
        for (boolean startsNow : new boolean[] {true, false}) {
            Lifecycle l = startingNow(startsNow);
            Lifecycle.Facts facts = () -> startsNow;
            java.util.Map<String, Long> applying = Lifecycle.TABLE.stream()
                    .filter(t -> t.guard().holds().test(l, facts))
                    .collect(java.util.stream.Collectors.groupingBy(t -> t.from() + " " + t.event(), java.util.stream.Collectors.counting()));
            applying.forEach((fromAndEvent, n) -> assertEquals(1L, n, fromAndEvent + " (starts now: " + startsNow + ")"));
            assertEquals(startsNow ? State.INITIAL_REPLICATION : State.INITIAL_REPLICATION_SCHEDULED, Lifecycle.TABLE.stream()
                    .filter(t -> t.from() == State.ENABLING_PROTECTION && t.event() == Event.PROTECTION_ENABLED)
                    .filter(t -> t.guard().holds().test(l, facts)).findFirst().orElseThrow().to());
        }
    }
}
