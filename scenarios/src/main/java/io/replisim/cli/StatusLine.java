package io.replisim.cli;

import java.io.PrintWriter;

/** One line of status on a terminal, redrawn in place (carriage returns); nothing elsewhere. */
final class StatusLine {
    private final PrintWriter err;
    private final boolean terminal;
    private int width;

    StatusLine(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    void show(String text) {
        if (!terminal) {
            return;
        }
        String shown = text.length() > 100 ? text.substring(0, 99) + "…" : text;
        err.print("\r" + shown + " ".repeat(Math.max(0, width - shown.length())));
        err.flush();
        width = shown.length();
    }

    void clear() {
        if (terminal && width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            width = 0;
        }
    }
}
