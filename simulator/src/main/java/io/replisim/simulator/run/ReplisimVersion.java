package io.replisim.simulator.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Which replisim made an output: the version Maven stamps into {@code replisim.properties} at
 * build time, and the trace format's version, raised whenever an event's meaning or a field
 * changes in a way a reader of older traces must know of (docs/trace.md, Versions).
 */
public final class ReplisimVersion {
    /** The trace format; version 1 is the first that says its version. */
    public static final int TRACE_FORMAT = 2;

    private static final String NUMBER = load();

    private ReplisimVersion() {}

    /** This build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String number() {
        return NUMBER;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = ReplisimVersion.class.getResourceAsStream("replisim.properties")) {
            if (in == null) {
                return "unknown";
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }
}
