package io.replisim.simulator.kernel;

import static io.replisim.simulator.kernel.SimTime.hours;
import static io.replisim.simulator.kernel.SimTime.minutes;
import static io.replisim.simulator.kernel.SimTime.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelTest {

    private static final Instant START = Instant.parse("2026-01-05T07:00:00Z");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final Kernel kernel = new Kernel(START, PARIS, 7);
    private final List<String> fired = new ArrayList<>();

    private Action record(String label) {
        return () -> fired.add(label + "@" + kernel.now());
    }

    @Test
    void eventsAtTheSameTimeFireInTheOrderTheyWereScheduled() {
        for (String s : List.of("a", "b", "c", "d", "e")) {
            kernel.schedule(10, record(s));
        }
        kernel.schedule(5, record("early"));
        kernel.runUntilIdle();
        assertEquals(List.of("early@5", "a@10", "b@10", "c@10", "d@10", "e@10"), fired);
        assertEquals(6, kernel.eventsFired());
    }

    @Test
    void anEventScheduledForNowFromAnActionFiresAfterThoseAlreadyDue() {
        kernel.schedule(10, () -> kernel.scheduleIn(0, record("later")));
        kernel.schedule(10, record("second"));
        kernel.runUntilIdle();
        assertEquals(List.of("second@10", "later@10"), fired);
    }

    @Test
    void stepFiresOneEventAndAdvancesTheClock() {
        kernel.schedule(seconds(3), record("a"));
        kernel.schedule(seconds(9), record("b"));
        assertEquals(seconds(3), kernel.nextEventTime());
        assertTrue(kernel.step());
        assertEquals(seconds(3), kernel.now());
        assertEquals(1, kernel.pendingEvents());
        assertTrue(kernel.step());
        assertFalse(kernel.step());
        assertEquals(seconds(9), kernel.now());
        assertEquals(Long.MAX_VALUE, kernel.nextEventTime());
    }

    @Test
    void aCancelledEventDoesNotFire() {
        long h = kernel.schedule(10, record("cancelled"));
        kernel.schedule(20, record("kept"));
        assertTrue(kernel.isPending(h));
        assertTrue(kernel.cancel(h));
        assertFalse(kernel.isPending(h));
        kernel.runUntilIdle();
        assertEquals(List.of("kept@20"), fired);
    }

    @Test
    void cancellingTwiceReturnsFalseTheSecondTime() {
        long h = kernel.schedule(10, record("x"));
        assertTrue(kernel.cancel(h));
        assertFalse(kernel.cancel(h));
        assertEquals(0, kernel.pendingEvents());
    }

    @Test
    void cancellingAFiredEventReturnsFalse() {
        long h = kernel.schedule(10, record("x"));
        kernel.runUntilIdle();
        assertFalse(kernel.isPending(h));
        assertFalse(kernel.cancel(h));
    }

    @Test
    void aStaleHandleDoesNotCancelTheEventThatReusedItsSlot() {
        long old = kernel.schedule(10, record("old"));
        kernel.step();
        long reused = kernel.schedule(20, record("new"));
        assertEquals((int) old, (int) reused, "the slot is reused");
        assertFalse(kernel.cancel(old));
        assertTrue(kernel.isPending(reused));
        kernel.runUntilIdle();
        assertEquals(List.of("old@10", "new@20"), fired);
    }

    @Test
    void anActionCanCancelAnotherEventDueAtTheSameTime() {
        long[] victim = new long[1];
        kernel.schedule(10, () -> assertTrue(kernel.cancel(victim[0])));
        victim[0] = kernel.schedule(10, record("victim"));
        kernel.runUntilIdle();
        assertEquals(List.of(), fired);
    }

    @Test
    void runUntilFiresAnEventExactlyAtTheBoundaryButNotAfterIt() {
        kernel.schedule(minutes(5), record("at"));
        kernel.schedule(minutes(5) + 1, record("after"));
        kernel.runUntil(minutes(5));
        assertEquals(List.of("at@" + minutes(5)), fired);
        assertEquals(minutes(5), kernel.now());
        assertEquals(1, kernel.pendingEvents());
    }

    @Test
    void runUntilAlsoFiresEventsScheduledAtTheBoundaryDuringTheRun() {
        kernel.schedule(50, () -> kernel.schedule(100, record("chained")));
        kernel.runUntil(100);
        assertEquals(List.of("chained@100"), fired);
    }

    @Test
    void runUntilMovesTheClockToTheBoundaryWhenNothingIsDue() {
        kernel.schedule(hours(2), record("later"));
        kernel.runUntil(hours(1));
        assertEquals(hours(1), kernel.now());
        assertEquals(List.of(), fired);
    }

    @Test
    void runUntilAnEarlierTimeDoesNotMoveTimeBack() {
        kernel.runUntil(100);
        kernel.schedule(100, record("now"));
        kernel.runUntil(40);
        assertEquals(100, kernel.now());
        assertEquals(List.of(), fired, "an event at now is not due before now");
    }

    @Test
    void stopMakesRunUntilIdleReturnAfterTheCurrentEvent() {
        kernel.schedule(10, record("a"));
        kernel.schedule(20, () -> {
            fired.add("stop@" + kernel.now());
            kernel.stop();
        });
        kernel.schedule(20, record("c"));
        kernel.runUntilIdle();
        assertEquals(List.of("a@10", "stop@20"), fired);
        assertEquals(1, kernel.pendingEvents());
        kernel.runUntilIdle(); // a later run starts afresh
        assertEquals(List.of("a@10", "stop@20", "c@20"), fired);
    }

    @Test
    void stopMakesRunUntilReturnWithoutMovingTheClockToTheBoundary() {
        kernel.schedule(10, kernel::stop);
        kernel.schedule(30, record("b"));
        kernel.runUntil(100);
        assertEquals(10, kernel.now());
        assertEquals(List.of(), fired);
        kernel.runUntil(100);
        assertEquals(List.of("b@30"), fired);
        assertEquals(100, kernel.now());
    }

    @Test
    void schedulingInThePastIsRejected() {
        kernel.runUntil(100);
        assertThrows(IllegalArgumentException.class, () -> kernel.schedule(99, record("past")));
        assertThrows(IllegalArgumentException.class, () -> kernel.scheduleIn(-1, record("past")));
        assertThrows(ArithmeticException.class, () -> kernel.scheduleIn(Long.MAX_VALUE, record("overflow")));
        assertThrows(NullPointerException.class, () -> kernel.schedule(100, null));
        assertEquals(0, kernel.pendingEvents());
    }

    @Test
    void theClockFollowsNowAndTheCalendarUsesTheZone() {
        InstantSource clock = kernel.clock();
        assertEquals(START, clock.instant());
        kernel.schedule(hours(2), () -> assertEquals(START.plusSeconds(7200), clock.instant()));
        kernel.runUntil(hours(3));
        assertEquals(START.plusSeconds(3 * 3600), clock.instant());
        assertEquals(START.plusSeconds(3 * 3600).toEpochMilli(), clock.millis());
        assertEquals(ZonedDateTime.parse("2026-01-05T11:00+01:00[Europe/Paris]"), kernel.dateTimeAt(kernel.now()));
        assertEquals(START.plusNanos(1), kernel.instantAt(1));
        assertEquals(START, kernel.start());
        assertEquals(PARIS, kernel.zone());
        assertEquals(7, kernel.seed());
    }

    @Test
    void currentActionIsTheFiringActionAndNullBetweenEvents() {
        Action[] seen = new Action[1];
        Action action = () -> seen[0] = kernel.currentAction();
        kernel.schedule(1, action);
        assertNull(kernel.currentAction());
        kernel.step();
        assertSame(action, seen[0]);
        assertNull(kernel.currentAction());
    }

    @Test
    void anActionCannotStepTheKernel() {
        kernel.schedule(1, kernel::runUntilIdle);
        assertThrows(IllegalStateException.class, kernel::step);
        assertNull(kernel.currentAction(), "cleared even when the action throws");
    }

    @Test
    void anActionIsNamedAfterItsClassUnlessItSaysOtherwise() {
        class Flush implements Action {
            @Override
            public void run() {
            }
        }
        Action named = new Action() {
            @Override
            public void run() {
            }

            @Override
            public String name() {
                return "custom";
            }
        };
        assertEquals("Flush", new Flush().name());
        assertEquals("custom", named.name());
    }

    @Test
    void streamsComeFromTheRunSeed() {
        assertSame(kernel.stream("x"), kernel.stream("x"));
        assertEquals(new RandomStreams(7).stream("x").nextLong(), kernel.stream("x").nextLong());
    }
}
