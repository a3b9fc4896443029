package io.replisim.cli;

import io.replisim.simulator.run.ProgressListener;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Shows how far a run is, on a terminal only: simulated time reached of the total and events
 * per second, refreshed a few times a second once the run has lasted a second. This is the one
 * place that reads the wall clock, outside the simulation. Notes (which Azurite serves) go to
 * stderr whether or not it is a terminal, unless quiet.
 */
final class Progress implements ProgressListener {
    private static final long SHOW_AFTER = 1_000_000_000L;
    private static final long REFRESH = 250_000_000L;

    private final PrintWriter err;
    private final PrintWriter notes;
    private final long wallStart = System.nanoTime();
    private long lastShown;
    private boolean shown;

    private Progress(PrintWriter err, PrintWriter notes) {
        this.err = err;
        this.notes = notes;
    }

    static Progress forTerminal(PrintWriter err, boolean quiet) {
        boolean terminal = System.console() != null && !quiet;
        return new Progress(terminal ? err : null, quiet ? null : err);
    }

    @Override
    public void note(String line) {
        if (notes != null) {
            done();
            notes.println(line);
            notes.flush();
        }
    }

    @Override
    public void progress(long simulatedNanos, long totalNanos, long events) {
        if (err == null) {
            return;
        }
        long wall = System.nanoTime() - wallStart;
        if (wall < SHOW_AFTER || wall - lastShown < REFRESH) {
            return;
        }
        lastShown = wall;
        shown = true;
        long pct = totalNanos <= 0 ? 100 : Math.min(100, simulatedNanos * 100 / totalNanos);
        double perSecond = events / (wall / 1e9);
        err.printf("\r  simulated %s of %s (%d%%), %,.0f events/s   ", clock(simulatedNanos), clock(totalNanos), pct, perSecond);
        err.flush();
    }

    void done() {
        if (shown) {
            err.print("\r" + " ".repeat(78) + "\r");
            err.flush();
            shown = false;
        }
    }

    private static String clock(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        return d.toDaysPart() > 0
                ? String.format("%dd %02d:%02d:%02d", d.toDaysPart(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart())
                : String.format("%02d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
