package io.replisim.cli;

import io.replisim.simulator.run.ReplisimVersion;
import picocli.CommandLine;

/** The version Maven stamped into the build, as {@code --version} prints it. */
final class VersionProvider implements CommandLine.IVersionProvider {
    static String version() {
        return ReplisimVersion.number();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"replisim " + version(), "trace format " + ReplisimVersion.TRACE_FORMAT,
            "Java " + System.getProperty("java.version")};
    }
}
