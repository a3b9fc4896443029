package io.replisim.simulator.hunt;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A trace double for planted bug b6 (scripts/planted/b6-app-consistent-from-creation.patch): it
 * relabels each {@code recovery-point.created} line as a stack would that counts the
 * app-consistent schedule from the moment the last app-consistent point was created instead of
 * its {@code pointInTime}, so every app-consistent point after the first comes a cycle late.
 * Nothing else in the trace changes (b6 changes nothing else in a run that fails over to no
 * {@code latest-app} point). One instance per trace: it keeps each VM's schedule.
 */
final class AppConsistentFromCreation implements UnaryOperator<String> {
    private final long every;
    private final Map<String, Long> lastAppCreated = new HashMap<>();

    AppConsistentFromCreation(Duration appConsistentEvery) {
        this.every = appConsistentEvery.toNanos();
    }

    @Override
    public String apply(String line) {
        if (!line.contains("\"type\":\"recovery-point.created\"")) {
            return line;
        }
        TraceLine l = TraceLine.parseLine(line);
        long pit = TraceLine.epochNanos(l.str("pointInTime"));
        Long last = lastAppCreated.get(l.vm());
        boolean app = every > 0 && (last == null || pit - last >= every);
        if (app) {
            lastAppCreated.put(l.vm(), l.t());
        }
        return line.replace("\"consistency\":\"" + l.str("consistency") + "\"", "\"consistency\":\"" + (app ? "app" : "crash") + "\"");
    }
}
