package io.replisim.simulator.hunt;

import io.replisim.simulator.scenario.Policy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A VM's health ({@code vm.health}) follows docs/domain.md's rules (Health), recomputed from the
 * trace, with the copy frequency taken from the scenario's policy. Each rule gives a floor (the
 * health must be at least that) and a ceiling (what can justify a health that bad); the health the
 * trace shows must lie between the two at the end of every instant in which something happened to
 * the VM, and at the moments the time-based rules turn. Every {@code vm.health} also starts
 * {@code from} the health the trace last showed (Normal before the first).
 *
 * <p>The rules, and how exactly each is judged:
 * <ul>
 *   <li><b>State</b> (exact both ways): Warning in {@code Waiting to complete initial replication},
 *       {@code Resynchronizing} and {@code Paused}; Critical in {@code Error},
 *       {@code Resynchronization required} and {@code Resynchronization suspended}.</li>
 *   <li><b>Retry ladder</b>: after a {@code retry.scheduled} of attempt {@code a}, Warning for
 *       attempts 1 to 5 and Critical from the sixth (30-minute) retry on. Floor: from the
 *       {@code retry.scheduled} until that retry is due (by the ladder's own delays, not the
 *       trace's {@code delay}), unless an event that may be a success of the VM (a
 *       {@code transfer.finished}, {@code log.applied}, {@code recovery-point.created},
 *       {@code ir.finished}, {@code checkpoint.merged}, a finished resync, failback or reprotect),
 *       a {@code resync.required}, a {@code failover.finished} or an administrator's action on the
 *       VM comes first: a retry that is due may succeed without a trace line (a batch with
 *       nothing left to send). Ceiling: until a success that certainly restarts the ladder
 *       ({@code recovery-point.created}, {@code log.applied}, {@code ir.finished}), a
 *       {@code resync.required}, a {@code resume} action not refused, or, once
 *       replication stopped (an unplanned failover or disabling replication, not refused, or a
 *       planned or unplanned {@code failover.finished}: the retries are cancelled), the VM's next
 *       change of state. A batch whose last piece arrived ({@code transfer.finished}) restarts
 *       the stack's ladder too, but the trace does not say which piece is a batch's last, so the
 *       ceiling keeps the ladder's health until one of the events above.</li>
 *   <li><b>Waiting for an administrator</b>: Critical after an error that docs/domain.md's error
 *       table ({@link ErrorTable}, by its {@code code}, not its {@code recoverable} flag) does
 *       not retry and that does not require a resync, unless it failed a side job (a Test
 *       failover, Test failover cleanup or Commit job, which it fails alone). Floor: until the
 *       next administrator's action on the VM, {@code resync.required} or {@code failover.finished}.
 *       Ceiling: until a {@code resume} or {@code resync} action not refused, a
 *       {@code resync.required}, or the VM's next change of state once replication stopped.</li>
 *   <li><b>After a resume</b>: Critical after a {@code resume} (not refused) of a VM waiting for
 *       an administrator, until the resumed work makes progress. Floor: until the VM's next event
 *       but its {@code vm.state}, {@code vm.health}, {@code error}, {@code retry.scheduled},
 *       {@code transfer.started}, {@code transfer.progress}, {@code log.switched},
 *       {@code job.started} or a {@code job.step} in progress, or, once replication stopped, the VM's next
 *       change of state (the resumed work was a failover's last change). Ceiling: until a job step that
 *       {@code Succeeded} after it ran, in progress at an earlier instant (not one done in the
 *       instant it went in progress, as a Resynchronize job's first step at the resync's start,
 *       nor one told done without having run, as a resumed resync's block comparison), a {@code recovery-point.created}, {@code log.applied},
 *       {@code ir.finished}, {@code resync.required} or a {@code resync} action.</li>
 *   <li><b>Time</b> (while the VM is {@code Replicating} and the workload runs; exact up to the
 *       stack's 10-second evaluation, {@link #STEP}): Warning when the newest recovery point
 *       created since delta replication began has a {@code pointInTime} more than an hour old,
 *       or when more than 20% of the last hour's copy-frequency cycles were missed: with
 *       {@code since} the first {@code vm.state} to {@code Replicating} after the latest
 *       {@code Waiting to complete initial replication} (or the first at all), at {@code t} the
 *       cycles expected are {@code floor(min(1h, t - since) / F)} and those made are the
 *       {@code recovery-point.created} in {@code (t - 1h, t]}; more than 20% missed means
 *       {@code 5 x (expected - made) > expected}. Time in Error or resynchronization counts as
 *       missed. Floor: Warning once the rule has held for {@link #STEP}; ceiling: the rule held
 *       at some moment in the last {@link #STEP}. After {@code workload.stopped} the stack no
 *       longer evaluates these rules every 10 s, so they are not judged then (the ceiling allows
 *       Warning while {@code Replicating}).</li>
 * </ul>
 * Each episode out of bounds is reported once, where it begins.
 */
public final class HealthFollowsRules implements Invariant {
    public static final String NAME = "health-follows-rules";
    /** How far a time-based transition may trail its rule: the stack evaluates health every 10 s of workload. */
    public static final Duration STEP = Duration.ofSeconds(10);
    private static final long HOUR = Duration.ofHours(1).toNanos();
    private static final String[] LEVELS = {"Normal", "Warning", "Critical"};
    private static final Set<String> SIDE_JOBS = Set.of("Test failover", "Test failover cleanup", "Commit");
    /** Events that leave work resumed by an administrator unproven (anything else of the VM may be its progress). */
    private static final Set<String> NOT_PROGRESS = Set.of("vm.state", "vm.health", "error", "retry.scheduled",
            "transfer.started", "transfer.progress", "transfer.failed", "log.switched", "job.started", "action.refused");
    private static final Set<String> MAYBE_SUCCESS = Set.of("transfer.finished", "log.applied", "recovery-point.created",
            "ir.finished", "checkpoint.merged", "resync.finished", "failback.finished", "reprotect.finished");

    @Override
    public String name() {
        return NAME;
    }

    private static int level(String health) {
        for (int i = 0; i < LEVELS.length; i++) {
            if (LEVELS[i].equals(health)) {
                return i;
            }
        }
        return -1;
    }

    /** The health Hyper-V itself gives a state (docs/domain.md, States). */
    private static int stateLevel(String state) {
        return switch (state) {
            case "Waiting to complete initial replication", "Resynchronizing", "Paused" -> 1;
            case "Error", "Resynchronization required", "Resynchronization suspended" -> 2;
            default -> 0;
        };
    }

    private static final class Vm {
        final String name;
        String state;
        int shown;
        // the retry ladder
        int ladderFloor;
        long ladderFloorUntil;
        int ladderCeiling;
        // waiting for an administrator, and resumed but unproven
        boolean adminFloor;
        boolean adminCeiling;
        boolean unprovenFloor;
        boolean unprovenCeiling;
        /** Replication stopped: the ladder's and the administrator's ceilings go at the next change of state. */
        boolean stopped;
        // the time rules
        long since = -1;
        long newestPointInTime = Long.MIN_VALUE;
        final ArrayDeque<Long> syncs = new ArrayDeque<>();
        long cursor = Long.MIN_VALUE;
        long plannedTurn = Long.MAX_VALUE;
        boolean rule;
        long ruleSince;
        long ruleTrueUntil = Long.MIN_VALUE;
        // reporting
        long lastSeq;
        boolean below;
        boolean above;

        Vm(String name) {
            this.name = name;
        }
    }

    /** A moment a VM's time rules may turn ({@code turn}), or one at which its health is judged. */
    private record Due(long t, Vm vm, boolean turn) {}

    @Override
    public List<Violation> check(RunEvidence run) {
        return new Check(run.scenario().effectivePolicy()).run(run.trace());
    }

    /** One run being checked. */
    private static final class Check {
        private final long copyFrequency;
        private boolean workloadRuns = true;
        private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> Long.compare(a.t(), b.t()));
        private final List<Violation> found = new ArrayList<>();
        /** When each job's step ("job/step") went in progress; lookups only. */
        private final Map<String, Long> stepsStarted = new HashMap<>();

        Check(Policy policy) {
            copyFrequency = policy.copyFrequency().toNanos();
        }

        List<Violation> run(List<TraceLine> trace) {
            Map<String, Vm> vms = new LinkedHashMap<>();
            Map<String, String> jobNames = new HashMap<>(); // lookups only
            Set<Vm> touched = new LinkedHashSet<>();
            long instant = Long.MIN_VALUE;
            long lastSeq = 0;
            for (int i = 0; i < trace.size(); i++) {
                TraceLine l = trace.get(i);
                if (l.t() != instant) {
                    endOfInstant(touched, instant);
                    instant = l.t();
                }
                due(l.t(), l.seq());
                lastSeq = l.seq();
                if (l.is("workload.stopped")) {
                    workloadRuns = false;
                    for (Vm v : vms.values()) {
                        advance(v, l.t());
                        rules(v, l.t());
                        touched.add(v);
                    }
                    continue;
                }
                if (l.is("job.started")) {
                    jobNames.put(l.job(), l.str("name"));
                }
                if (l.vm() == null) {
                    if (l.is("action")) {
                        for (Vm v : vms.values()) {
                            advance(v, l.t());
                            action(v, l, RetryLadderObeyed.refused(trace, i, v.name, l.str("action")));
                            touched.add(v);
                            v.lastSeq = l.seq();
                        }
                    }
                    continue;
                }
                Vm v = vms.computeIfAbsent(l.vm(), Vm::new);
                advance(v, l.t());
                touched.add(v);
                v.lastSeq = l.seq();
                if (l.is("action")) {
                    action(v, l, RetryLadderObeyed.refused(trace, i, v.name, l.str("action")));
                } else {
                    event(v, l, jobNames);
                }
                plan(v);
            }
            endOfInstant(touched, instant);
            if (instant != Long.MIN_VALUE) {
                due(instant + 1, lastSeq); // up to the trace's end, not beyond
            }
            return found;
        }

        /**
         * What comes due before {@code t}, in time order: the moments the VMs' time rules may turn
         * (each VM's next one, planned as it changes), and the moments {@link #STEP} after they
         * turned, where health is judged; seen at the line with {@code seq}.
         */
        private void due(long t, long seq) {
            while (!queue.isEmpty() && queue.peek().t() < t) {
                Due d = queue.poll();
                Vm v = d.vm();
                if (d.turn()) {
                    if (d.t() == v.plannedTurn) {
                        advance(v, d.t());
                        plan(v);
                    }
                } else {
                    advance(v, d.t());
                    judge(v, d.t(), seq);
                }
            }
        }

        /** Queues the VM's next possible turn of the time rules. */
        private void plan(Vm v) {
            long next = nextTurn(v);
            if (next != v.plannedTurn) {
                v.plannedTurn = next;
                if (next != Long.MAX_VALUE) {
                    queue.add(new Due(next, v, true));
                }
            }
        }

        private void event(Vm v, TraceLine l, Map<String, String> jobNames) {
            if (v.state == null && l.is("vm.state")) {
                v.state = l.str("from");
            }
            if (!NOT_PROGRESS.contains(l.type()) && !(l.is("job.step") && "In progress".equals(l.str("status")))
                    && !l.is("action")) {
                v.unprovenFloor = false;
            }
            if (MAYBE_SUCCESS.contains(l.type())) {
                v.ladderFloor = 0;
            }
            switch (l.type()) {
                case "vm.state" -> {
                    v.state = l.str("to");
                    if ("Waiting to complete initial replication".equals(v.state)) {
                        // initial replication or a reprotect: delta replication begins anew, its points forgotten
                        v.since = -1;
                        v.syncs.clear();
                        v.newestPointInTime = Long.MIN_VALUE;
                    } else if ("Replicating".equals(v.state) && v.since < 0) {
                        v.since = l.t();
                    }
                    if (v.stopped) {
                        // the work left once replication stopped (a failover's last change) is done
                        v.stopped = false;
                        v.ladderCeiling = 0;
                        v.adminCeiling = false;
                        v.unprovenFloor = false;
                        v.unprovenCeiling = false;
                    }
                }
                case "vm.health" -> {
                    String from = l.str("from");
                    if (level(from) != v.shown) {
                        found.add(new Violation(NAME, l.seq(), "vm.health of " + v.name + " changes from " + from
                                + ", but the trace last showed it " + LEVELS[v.shown]));
                    }
                    int to = level(l.str("to"));
                    if (to < 0) {
                        found.add(new Violation(NAME, l.seq(), "vm.health of " + v.name + " to " + l.str("to")
                                + ": not a health (Normal, Warning, Critical)"));
                    } else {
                        v.shown = to;
                    }
                }
                case "retry.scheduled" -> {
                    int attempt = (int) Math.max(1, l.num("attempt"));
                    int level = attempt > 5 ? 2 : 1;
                    v.ladderFloor = level;
                    v.ladderFloorUntil = l.t() + RetryLadderObeyed.delayOf(attempt).toNanos();
                    v.ladderCeiling = level;
                }
                case "error" -> {
                    String job = l.job();
                    if (ErrorTable.awaitsAdministrator(l) && (job == null || !SIDE_JOBS.contains(jobNames.get(job)))) {
                        v.adminFloor = true;
                        v.adminCeiling = true;
                    }
                }
                case "recovery-point.created" -> {
                    v.syncs.addLast(l.t());
                    v.newestPointInTime = TraceLine.epochNanos(l.str("pointInTime"));
                    provenSuccess(v);
                }
                case "log.applied", "ir.finished" -> provenSuccess(v);
                case "job.step" -> {
                    String step = l.job() + "/" + l.str("step");
                    if ("In progress".equals(l.str("status"))) {
                        stepsStarted.put(step, l.t());
                    } else {
                        Long started = stepsStarted.remove(step);
                        if ("Succeeded".equals(l.str("status")) && started != null && l.t() > started) {
                            // a step that ran: one done as it starts, or told done without having
                            // run (a resumed resync's block step, done before the error), is bookkeeping
                            v.unprovenCeiling = false;
                        }
                    }
                }
                case "resync.required" -> {
                    v.ladderFloor = 0;
                    v.ladderCeiling = 0;
                    v.adminFloor = false;
                    v.adminCeiling = false;
                    v.unprovenFloor = false;
                    v.unprovenCeiling = false;
                }
                case "failover.finished" -> {
                    if (!"test".equals(l.str("kind"))) {
                        v.ladderFloor = 0;
                        v.adminFloor = false;
                        v.stopped = true;
                    }
                }
                default -> { }
            }
            rules(v, l.t());
        }

        private static void provenSuccess(Vm v) {
            v.ladderCeiling = 0;
            v.unprovenCeiling = false;
        }

        /** An administrator's action on {@code v}, {@code refused} or not. */
        private void action(Vm v, TraceLine l, boolean refused) {
            String action = l.str("action");
            if (!refused) {
                switch (action) {
                    case "resume" -> {
                        // what waited runs again, the ladder restarts; Critical until the resumed work makes progress
                        v.unprovenFloor = v.adminFloor;
                        v.unprovenCeiling |= v.adminCeiling;
                        v.adminCeiling = false;
                        if (v.unprovenCeiling) {
                            v.ladderCeiling = 0;
                        }
                    }
                    case "resync" -> v.adminCeiling = false; // the resync repairs what waited
                    case "unplanned-failover", "disable-replication" -> v.stopped = true;
                    default -> { }
                }
            }
            v.ladderFloor = 0;
            v.adminFloor = false;
            if (!"resume".equals(action) || refused) {
                v.unprovenFloor = false;
            }
        }

        /** Judges the VMs something happened to at {@code t}, once all of it is known; at the VM's last line then. */
        private void endOfInstant(Set<Vm> touched, long t) {
            for (Vm v : touched) {
                judge(v, t, v.lastSeq);
            }
            touched.clear();
        }

        /** The health shown at {@code t} against the floor and the ceiling; {@code seq} names where it is seen. */
        private void judge(Vm v, long t, long seq) {
            if (v.state == null) {
                v.state = "Not enabled";
            }
            long step = STEP.toNanos();
            int state = stateLevel(v.state);
            int ladderFloor = t < v.ladderFloorUntil ? v.ladderFloor : 0;
            boolean timeFloor = v.rule && t - v.ruleSince >= step;
            int floor = Math.max(Math.max(state, ladderFloor), Math.max(v.adminFloor || v.unprovenFloor ? 2 : 0, timeFloor ? 1 : 0));
            boolean unjudgedTime = !workloadRuns && "Replicating".equals(v.state);
            boolean timeCeiling = v.rule || v.ruleTrueUntil > t - step || unjudgedTime;
            int ceiling = Math.max(Math.max(state, v.ladderCeiling),
                    Math.max(v.adminCeiling || v.unprovenCeiling ? 2 : 0, timeCeiling ? 1 : 0));
            if (v.shown < floor) {
                if (!v.below) {
                    found.add(new Violation(NAME, seq, v.name + " shows " + LEVELS[v.shown] + " at " + iso(t) + " where the rules demand "
                            + LEVELS[floor] + ": " + why(v, state, ladderFloor, v.adminFloor, v.unprovenFloor, timeFloor, floor)));
                }
                v.below = true;
            } else {
                v.below = false;
            }
            if (v.shown > ceiling) {
                if (!v.above) {
                    found.add(new Violation(NAME, seq, v.name + " shows " + LEVELS[v.shown] + " at " + iso(t) + " with no rule for it: "
                            + "state " + v.state + ", " + (v.ladderCeiling == 0 ? "no retry on the ladder" : "retries on the ladder")
                            + ", " + (v.adminCeiling ? "waiting for an administrator" : "not waiting for an administrator")
                            + (v.unprovenCeiling ? ", resumed and unproven" : "")
                            + (timeCeiling ? ", a time rule held" : ", no time rule held in the last " + STEP)));
                }
                v.above = true;
            } else {
                v.above = false;
            }
        }

        private static String why(Vm v, int state, int ladder, boolean admin, boolean unproven, boolean time, int floor) {
            List<String> causes = new ArrayList<>();
            if (state == floor) {
                causes.add("state " + v.state);
            }
            if (ladder == floor) {
                causes.add(floor == 2 ? "an error persists to the 30-minute retries" : "retries on the ladder");
            }
            if (admin && floor == 2) {
                causes.add("an error waits for an administrator");
            }
            if (unproven && floor == 2) {
                causes.add("resumed, and the resumed work has made no progress");
            }
            if (time && floor == 1) {
                causes.add("a time rule has held since " + iso(v.ruleSince) + " (newest point in time "
                        + (v.newestPointInTime == Long.MIN_VALUE ? "none" : iso(v.newestPointInTime)) + ", " + v.syncs.size()
                        + " points in the last hour)");
            }
            return String.join("; ", causes);
        }

        private static String iso(long t) {
            return java.time.Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L), Math.floorMod(t, 1_000_000_000L)).toString();
        }

        /** The time rules through {@code t}: every moment before it at which they may turn, in order. */
        private void advance(Vm v, long t) {
            while (true) {
                long next = nextTurn(v);
                if (next > t) {
                    break;
                }
                v.cursor = next;
                rules(v, next);
            }
            v.cursor = Math.max(v.cursor, t);
        }

        /** The first moment after the cursor at which the time rules could change with nothing happening. */
        private long nextTurn(Vm v) {
            long next = Long.MAX_VALUE;
            if (v.newestPointInTime != Long.MIN_VALUE && v.newestPointInTime + HOUR + 1 > v.cursor) {
                next = v.newestPointInTime + HOUR + 1; // over an hour old: strictly after the hour
            }
            while (!v.syncs.isEmpty() && v.syncs.peekFirst() + HOUR <= v.cursor) {
                v.syncs.pollFirst();
            }
            if (!v.syncs.isEmpty()) {
                next = Math.min(next, v.syncs.peekFirst() + HOUR); // a cycle leaves the last hour
            }
            if (v.since >= 0 && v.cursor >= v.since) {
                long k = (v.cursor - v.since) / copyFrequency + 1;
                if (k * copyFrequency <= HOUR) {
                    next = Math.min(next, v.since + k * copyFrequency); // one more cycle expected
                }
            }
            return next;
        }

        /** Re-evaluates the time rules at {@code t}; when they turn, the moment {@link #STEP} later is judged. */
        private void rules(Vm v, long t) {
            while (!v.syncs.isEmpty() && v.syncs.peekFirst() + HOUR <= t) {
                v.syncs.pollFirst();
            }
            boolean now = false;
            if (workloadRuns && "Replicating".equals(v.state) && v.since >= 0) {
                boolean stale = v.newestPointInTime != Long.MIN_VALUE && t - v.newestPointInTime > HOUR;
                long expected = Math.min(HOUR, t - v.since) / copyFrequency;
                long missed = expected - v.syncs.size();
                now = stale || expected > 0 && missed * 5 > expected;
            }
            if (now != v.rule) {
                if (v.rule) {
                    v.ruleTrueUntil = t;
                }
                v.rule = now;
                v.ruleSince = t;
                queue.add(new Due(t + STEP.toNanos(), v, false));
            }
        }
    }
}
