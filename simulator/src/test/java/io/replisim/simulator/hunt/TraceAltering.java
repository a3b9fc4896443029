package io.replisim.simulator.hunt;

import java.io.IOException;
import java.io.Writer;
import java.util.function.UnaryOperator;

/**
 * A trace writer between the stack and its trace that passes each line the stack writes (without
 * its newline) through {@code alter}: what the stack claims, broken in test code. {@code alter}
 * may return several lines joined by newlines, or null to drop the line.
 */
final class TraceAltering extends Writer {
    private final Writer out;
    private final UnaryOperator<String> alter;
    private final StringBuilder line = new StringBuilder();

    TraceAltering(Writer out, UnaryOperator<String> alter) {
        this.out = out;
        this.alter = alter;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            if (buf[i] != '\n') {
                line.append(buf[i]);
                continue;
            }
            String altered = alter.apply(line.toString());
            if (altered != null) {
                out.write(altered);
                out.write('\n');
            }
            line.setLength(0);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
