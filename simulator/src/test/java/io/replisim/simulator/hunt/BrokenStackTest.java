package io.replisim.simulator.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each new invariant fails on a deliberately broken stack, built in test code only: the real stack
 * runs a scenario altered here (it "misreads its configuration") while the invariant judges the
 * scenario as written, or a writer between the stack and its trace alters what the stack claims.
 */
class BrokenStackTest {

    /** The stack runs {@code asRun}, its trace altered by {@code alter}; the invariants judge {@code judged}. */
    private static List<Violation> judge(Invariant invariant, Scenario judged, Scenario asRun, UnaryOperator<String> alter)
            throws IOException {
        long seed = judged.effectiveSeed();
        StringWriter text = new StringWriter();
        GroundTruth truth = new GroundTruth();
        Simulator.run(asRun, RunOptions.withSeed(seed).trace(new TraceAltering(text, alter))
                .probe(GroundTruthProbe.into(truth, asRun)));
        return invariant.check(new RunEvidence(judged.withSeed(seed), TraceLine.parse(text.toString()), truth));
    }

    private static void onlyBy(Invariant invariant, List<Violation> found, String why) {
        assertFalse(found.isEmpty(), invariant.name() + " held on a broken stack");
        assertTrue(found.stream().allMatch(v -> v.invariant().equals(invariant.name())), found.toString());
        assertTrue(found.stream().anyMatch(v -> v.reason().contains(why)), found.toString());
    }

    /** Tiny's one VM for 2 hours (from Monday 08:00) with {@code policy}, and {@code more} (faults, resync). */
    private static Scenario scenario(String policy, String more) {
        return Tiny.parse(Tiny.ONE_VM.formatted("2h").replace("policy: { copyFrequency: 5m }", "policy: " + policy) + more);
    }

    @Test
    void healthFailsOnAStackThatCopiesLessOftenThanThePolicySays() throws IOException {
        // every 15 minutes instead of 5: two cycles in three missed, yet the stack sees nothing missed
        Invariant health = new HealthFollowsRules();
        Scenario written = scenario("{ copyFrequency: 5m }", "");
        assertEquals(List.of(), judge(health, written, written, UnaryOperator.identity()));
        onlyBy(health, judge(health, written, scenario("{ copyFrequency: 15m }", ""), UnaryOperator.identity()),
                "a time rule has held since");
    }

    @Test
    void healthFailsOnAStackThatNeverShowsWarning() throws IOException {
        Invariant health = new HealthFollowsRules();
        Scenario written = scenario("{ copyFrequency: 5m }", "");
        onlyBy(health, judge(health, written, written, l -> l.contains("\"type\":\"vm.health\"")
                ? l.replace("\"Warning\"", "\"Normal\"") : l), "state Waiting to complete initial replication");
    }

    @Test
    void officeHoursFailOnAStackThatReadsOtherHours() throws IOException {
        // reverted at 09:00 on a Monday: the resync waits for 18:00; this stack's office hours end at 09:30
        Invariant office = new ResyncOutsideOfficeHours();
        String fault = "faults:\n  - { at: 60m, kind: vm-reverted, vm: app01 }\n";
        Scenario written = scenario("{ copyFrequency: 5m }", fault);
        assertEquals(List.of(), judge(office, written, written, UnaryOperator.identity()));
        onlyBy(office, judge(office, written, scenario("{ copyFrequency: 5m }", fault
                + "resync: { officeHours: \"Mon-Fri 09:00-09:30\" }\n"), UnaryOperator.identity()), "inside office hours");
    }

    @Test
    void officeHoursFailOnAStackThatStartsWhatShouldWaitForAnAdministrator() throws IOException {
        Invariant office = new ResyncOutsideOfficeHours();
        String fault = "faults:\n  - { at: 20m, kind: vm-reverted, vm: app01 }\n";
        Scenario written = scenario("{ copyFrequency: 5m }", fault + "resync: { automatic: false }\n");
        assertEquals(List.of(), judge(office, written, written, UnaryOperator.identity()));
        onlyBy(office, judge(office, written, scenario("{ copyFrequency: 5m }", fault), UnaryOperator.identity()),
                "not automatic");
    }

    /** Retention judged on a policy of 5-minute copies kept an hour, the stack running {@code asRun}'s policy. */
    private static List<Violation> retention(String asRun, UnaryOperator<String> alter) throws IOException {
        Scenario written = scenario("{ copyFrequency: 5m, retention: 1h }", "");
        return judge(new RecoveryPointsWithinRetention(), written, scenario(asRun, ""), alter);
    }

    @Test
    void retentionFailsOnAStackThatKeepsPointsLongerCopiesMoreOftenOrPrunesTheNewest() throws IOException {
        Invariant retention = new RecoveryPointsWithinRetention();
        assertEquals(List.of(), retention("{ copyFrequency: 5m, retention: 1h }", UnaryOperator.identity()));
        onlyBy(retention, retention("{ copyFrequency: 5m, retention: 2h }", UnaryOperator.identity()),
                "past the retention of PT1H");
        // every 30 s instead of 5 minutes: each point within the hour, but far more of them
        onlyBy(retention, retention("{ copyFrequency: 30s, retention: 1h }", UnaryOperator.identity()),
                "the policy allows at most 13");
        // the stack claims to prune each point as it makes it: the newest of the moment goes
        onlyBy(retention, retention("{ copyFrequency: 5m, retention: 1h }", l -> l.contains("\"type\":\"recovery-point.created\"")
                ? l + "\n" + l.replace("recovery-point.created", "recovery-point.pruned") : l), "the newest is always kept");
    }

    @Test
    void theAppConsistentScheduleFailsOnAStackThatMisreadsItsFrequency() throws IOException {
        Invariant schedule = new AppConsistentSchedule();
        Scenario hourly = scenario("{ copyFrequency: 5m, retention: 2h, appConsistentEvery: 1h }", "");
        assertEquals(List.of(), judge(schedule, hourly, hourly, UnaryOperator.identity()));
        onlyBy(schedule, judge(schedule, hourly, scenario("{ copyFrequency: 5m, retention: 2h, appConsistentEvery: 2h }", ""),
                UnaryOperator.identity()), "the policy wants one every PT1H");
        onlyBy(schedule, judge(schedule, hourly, scenario("{ copyFrequency: 5m, retention: 2h, appConsistentEvery: 0h }", ""),
                UnaryOperator.identity()), "it is the VM's first point");
        onlyBy(schedule, judge(schedule, scenario("{ copyFrequency: 5m, retention: 2h, appConsistentEvery: 0h }", ""), hourly,
                UnaryOperator.identity()), "frequency is 0 (off)");
    }

    @Test
    void theAppConsistentScheduleFailsOnAStackThatCountsItFromCreation() throws IOException {
        // planted bug b6: the hour counted from when the last app-consistent point was made, not from
        // the moment its data stands for. The outage at 50m delays the 09:01 cycle: its point, at
        // 09:06:06, is app-consistent but made 2 s later, so b6 makes 10:06:06's crash-consistent
        Invariant schedule = new AppConsistentSchedule();
        Scenario written = Tiny.parse(Tiny.ONE_VM.formatted("3h").replace("policy: { copyFrequency: 5m }",
                "policy: { copyFrequency: 5m, retention: 2h, appConsistentEvery: 1h }")
                + "faults:\n  - { at: 50m, kind: network-outage, for: 12m }\n");
        assertEquals(List.of(), judge(schedule, written, written, UnaryOperator.identity()));
        onlyBy(schedule, judge(schedule, written, written, new AppConsistentFromCreation(written.effectivePolicy().appConsistentEvery())),
                "is crash-consistent, but its pointInTime is PT1H");
    }

    @Test
    void theRetryLadderFailsOnAStackThatMisclassifiesAnError() throws IOException {
        // an outage's NetworkError reported as waiting for an administrator, though it is retried
        Invariant ladder = new RetryLadderObeyed();
        Scenario written = scenario("{ copyFrequency: 5m }", "faults:\n  - { at: 30m, kind: network-outage, for: 20m }\n");
        assertEquals(List.of(), judge(ladder, written, written, UnaryOperator.identity()));
        onlyBy(ladder, judge(ladder, written, written, l -> l.contains("\"type\":\"error\"")
                ? l.replace("\"recoverable\":true", "\"recoverable\":false") : l), "error table says it is recoverable");
    }
}
