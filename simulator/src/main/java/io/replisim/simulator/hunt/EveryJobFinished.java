package io.replisim.simulator.hunt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every job finished: each {@code job.started} has a {@code job.finished} with its id, unless the
 * run ended while the job ran, and then it is the last job started for its VM. A
 * {@code job.finished} names a job that started and had not finished.
 */
public final class EveryJobFinished implements Invariant {
    public static final String NAME = "every-job-finished";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunEvidence run) {
        List<TraceLine> trace = run.trace();
        List<Violation> found = new ArrayList<>();
        Map<String, TraceLine> running = new LinkedHashMap<>(); // job id -> its job.started, in start order
        Map<String, TraceLine> lastStarted = new LinkedHashMap<>(); // vm -> its last job.started
        java.util.Set<String> finished = new java.util.HashSet<>(); // lookups only
        for (TraceLine l : trace) {
            if (l.is("job.started")) {
                if (running.containsKey(l.job()) || finished.contains(l.job())) {
                    found.add(new Violation(NAME, l.seq(), "job id " + l.job() + " (" + l.str("name") + " of " + l.vm()
                            + ") was used before"));
                }
                running.put(l.job(), l);
                lastStarted.put(String.valueOf(l.vm()), l);
            } else if (l.is("job.finished")) {
                if (running.remove(l.job()) == null) {
                    found.add(new Violation(NAME, l.seq(), "job.finished for job " + l.job() + " (" + l.str("name") + " of "
                            + l.vm() + ") which " + (finished.contains(l.job()) ? "had finished already" : "never started")));
                }
                finished.add(l.job());
            }
        }
        for (TraceLine open : running.values()) {
            TraceLine last = lastStarted.get(String.valueOf(open.vm()));
            if (last != open) {
                found.add(new Violation(NAME, open.seq(), "job " + open.str("name") + " of " + open.vm() + " (" + open.job()
                        + ") never finished, yet a later job (" + last.str("name") + ", seq " + last.seq() + ") started for "
                        + open.vm()));
            }
        }
        found.sort(java.util.Comparator.comparingLong(Violation::seq));
        return found;
    }
}
