package io.replisim.simulator.hunt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The retry ladder is obeyed, per VM (docs/trace.md, {@code retry.scheduled}):
 * <ul>
 *   <li>every {@code error} is classified as docs/domain.md's error table classifies its
 *       {@code code} ({@link ErrorTable}): a {@code recoverable} flag that says otherwise is a
 *       violation, and the table's verdict, not the flag, decides what follows (the flag only for
 *       a code the table does not name);</li>
 *   <li>every {@code retry.scheduled} directly follows a recoverable {@code error} of that VM at
 *       the same time, and every recoverable error is retried, except {@code LowDiskSpace} from
 *       guest writes on a full volume (one error per episode, nothing to retry) and errors that
 *       failed a side job (they carry its {@code job});</li>
 *   <li>successive attempts count 1, 2, 3, ... with delays {@code PT1M}, {@code PT2M},
 *       {@code PT4M}, {@code PT8M}, {@code PT10M}, then {@code PT30M};</li>
 *   <li>the count restarts at 1 only after a success of that VM ({@code log.applied},
 *       {@code transfer.finished}, {@code recovery-point.created}, {@code ir.finished}, a
 *       succeeded job step), a {@code resync.required} or a {@code resume} action; and it must
 *       restart after a completed cycle ({@code recovery-point.created}), a finished initial
 *       replication or disk copy, or a {@code resync.required};</li>
 *   <li>the retry happens when due: no error, failed transfer or success of the VM comes before
 *       {@code t + delay}, and if the retry's first visible step is a log switch or a transfer
 *       start, it comes exactly at {@code t + delay}. A {@code resync.required}, an unplanned or
 *       planned failover, or a {@code disable-replication} cancels a pending retry.</li>
 * </ul>
 */
public final class RetryLadderObeyed implements Invariant {
    public static final String NAME = "retry-ladder";

    private static final Duration[] LADDER = {
        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8), Duration.ofMinutes(10)
    };
    /** The delay once the ladder is exhausted. */
    public static final Duration PERSISTENT = Duration.ofMinutes(30);

    /** The delay before retry number {@code attempt} (from 1) that docs/trace.md documents. */
    public static Duration delayOf(int attempt) {
        return attempt <= LADDER.length ? LADDER[attempt - 1] : PERSISTENT;
    }

    @Override
    public String name() {
        return NAME;
    }

    private record Pending(long seq, long due, int attempt, Duration delay) {}

    private static final class Ladder {
        int attempt;
        long attemptSeq = -1;
        boolean mayRestart = true;
        String mustRestartAfter;
        Pending pending;
    }

    @Override
    public List<Violation> check(RunEvidence run) {
        List<TraceLine> trace = run.trace();
        List<Violation> found = new ArrayList<>();
        Map<String, Ladder> vms = new LinkedHashMap<>();
        for (int i = 0; i < trace.size(); i++) {
            TraceLine l = trace.get(i);
            String vm = l.vm();
            if (l.is("action")) {
                action(trace, i, vms);
                continue;
            }
            if (vm == null) {
                continue;
            }
            Ladder s = vms.computeIfAbsent(vm, k -> new Ladder());
            switch (l.type()) {
                case "retry.scheduled" -> scheduled(trace, i, s, found);
                case "error" -> {
                    boolean retried = i + 1 < trace.size() && trace.get(i + 1).is("retry.scheduled")
                            && vm.equals(trace.get(i + 1).vm());
                    Boolean byCode = ErrorTable.recoverable(l.str("code"));
                    if (byCode != null && byCode != l.bool("recoverable")) {
                        found.add(new Violation(NAME, l.seq(), "error " + l.str("code") + " of " + vm + " is reported"
                                + (byCode ? " non-recoverable" : " recoverable") + "; docs/domain.md's error table says it is"
                                + (byCode ? " recoverable" : " not")));
                    }
                    if (ErrorTable.recoverable(l) && !retried) {
                        if ("LowDiskSpace".equals(l.str("code"))) {
                            continue; // a guest write on a full volume: reported once per episode, not retried
                        }
                        if (l.str("job") != null) {
                            continue; // it failed a side job (test failover, cleanup, commit): not retried, by design
                        }
                        found.add(new Violation(NAME, l.seq(), "recoverable error " + l.str("code") + " of " + vm
                                + " is not retried (no retry.scheduled follows it)"));
                    }
                    // a job's error before the pending retry is due is another job failing (a commit, a
                    // failover's step), not that retry's attempt, which still comes when due
                    boolean otherJob = l.str("job") != null && s.pending != null && l.t() < s.pending.due();
                    if (!otherJob) {
                        outcome(l, s, "error " + l.str("code"), found);
                    }
                }
                case "transfer.failed" -> outcome(l, s, "transfer.failed of " + l.str("transfer"), found);
                case "log.applied", "transfer.finished", "recovery-point.created", "ir.finished" -> {
                    outcome(l, s, l.type(), found);
                    s.mayRestart = true;
                    if (l.is("recovery-point.created") || l.is("ir.finished")
                            || l.is("transfer.finished") && "initial".equals(l.str("kind"))) {
                        s.mustRestartAfter = l.type() + " (seq " + l.seq() + ")";
                    }
                }
                case "job.step" -> {
                    if ("Succeeded".equals(l.str("status"))) {
                        if (s.pending != null && l.t() >= s.pending.due()) {
                            s.pending = null;
                        }
                        s.mayRestart = true;
                    }
                }
                case "log.switched", "transfer.started" -> {
                    Pending p = s.pending;
                    if (p != null) {
                        if (l.t() < p.due()) {
                            found.add(new Violation(NAME, l.seq(), l.type() + " of " + vm + " " + early(l, p)));
                        } else if (l.t() > p.due()) {
                            found.add(new Violation(NAME, l.seq(), "the retry of attempt " + p.attempt() + " (seq " + p.seq()
                                    + ", delay " + p.delay() + ") started " + Duration.ofNanos(l.t() - p.due()) + " late with "
                                    + l.type()));
                        }
                        s.pending = null;
                    }
                }
                case "resync.required" -> {
                    s.pending = null; // abandoned: the logs are discarded
                    s.mayRestart = true;
                    s.mustRestartAfter = "resync.required (seq " + l.seq() + ")";
                }
                case "failover.finished" -> {
                    if (!"test".equals(l.str("kind"))) {
                        s.pending = null;
                    }
                }
                default -> { }
            }
        }
        return found;
    }

    private static void scheduled(List<TraceLine> trace, int i, Ladder s, List<Violation> found) {
        TraceLine l = trace.get(i);
        TraceLine before = i > 0 ? trace.get(i - 1) : null;
        if (before == null || !before.is("error") || !l.vm().equals(before.vm()) || !ErrorTable.recoverable(before)
                || before.t() != l.t()) {
            found.add(new Violation(NAME, l.seq(), "retry.scheduled for " + l.vm()
                    + " does not directly follow a recoverable error of that VM"));
        }
        int attempt = (int) l.num("attempt");
        Duration delay = l.dur("delay");
        if (attempt < 1) {
            found.add(new Violation(NAME, l.seq(), "attempt " + attempt + " of " + l.vm() + ": attempts count from 1"));
        } else if (!delayOf(attempt).equals(delay)) {
            found.add(new Violation(NAME, l.seq(), "attempt " + attempt + " of " + l.vm() + " is retried after " + delay
                    + "; the ladder says " + delayOf(attempt)));
        }
        if (attempt == 1) {
            if (s.attempt > 0 && !s.mayRestart) {
                found.add(new Violation(NAME, l.seq(), "the attempts of " + l.vm() + " restarted at 1 after attempt " + s.attempt
                        + " (seq " + s.attemptSeq + ") with no success in between"));
            }
        } else if (attempt != s.attempt + 1) {
            found.add(new Violation(NAME, l.seq(), "attempt " + attempt + " of " + l.vm() + " follows "
                    + (s.attempt == 0 ? "no attempt" : "attempt " + s.attempt + " (seq " + s.attemptSeq + ")")
                    + ": expected attempt " + (s.attempt + 1) + (s.mayRestart ? " or 1" : "")));
        } else if (s.mustRestartAfter != null) {
            found.add(new Violation(NAME, l.seq(), "attempt " + attempt + " of " + l.vm() + " continues the ladder after "
                    + s.mustRestartAfter + ": it should have restarted at attempt 1"));
        }
        s.attempt = attempt;
        s.attemptSeq = l.seq();
        s.mayRestart = false;
        s.mustRestartAfter = null;
        s.pending = delay == null ? null : new Pending(l.seq(), l.t() + delay.toNanos(), attempt, delay);
    }

    /** An error or a success of the VM: its pending retry must have been due. */
    private static void outcome(TraceLine l, Ladder s, String what, List<Violation> found) {
        Pending p = s.pending;
        if (p == null) {
            return;
        }
        if (l.t() < p.due()) {
            found.add(new Violation(NAME, l.seq(), what + " of " + l.vm() + " " + early(l, p)));
        }
        s.pending = null;
    }

    private static String early(TraceLine l, Pending p) {
        return "comes " + Duration.ofNanos(p.due() - l.t()) + " before its retry was due (attempt " + p.attempt() + ", seq "
                + p.seq() + ", delay " + p.delay() + ")";
    }

    /** Administrators' actions: resume lets the count restart; a manual resync both; unplanned failover and disable cancel retries. */
    private static void action(List<TraceLine> trace, int i, Map<String, Ladder> vms) {
        TraceLine l = trace.get(i);
        String action = l.str("action");
        for (Map.Entry<String, Ladder> e : vms.entrySet()) {
            if (l.vm() != null && !l.vm().equals(e.getKey()) || refused(trace, i, e.getKey(), action)) {
                continue;
            }
            switch (action) {
                case "resume" -> e.getValue().mayRestart = true;
                case "resync" -> { // started by hand now: the pending retry of its start is superseded
                    e.getValue().pending = null;
                    e.getValue().mayRestart = true;
                }
                case "unplanned-failover", "disable-replication" -> e.getValue().pending = null;
                default -> { }
            }
        }
    }

    /** Whether the action at {@code i} was refused for {@code vm} (an {@code action.refused} at the same time). */
    static boolean refused(List<TraceLine> trace, int i, String vm, String action) {
        long t = trace.get(i).t();
        for (int j = i + 1; j < trace.size() && trace.get(j).t() == t; j++) {
            TraceLine r = trace.get(j);
            if (r.is("action")) {
                return false;
            }
            if (r.is("action.refused") && vm.equals(r.vm()) && action.equals(r.str("action"))) {
                return true;
            }
        }
        return false;
    }
}
