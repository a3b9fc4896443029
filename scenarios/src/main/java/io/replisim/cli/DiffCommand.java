package io.replisim.cli;

import io.replisim.reports.RunDiff;
import io.replisim.reports.RunFolderException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {
            "Compares two run folders by behaviour, not headers (sequence numbers and the seed aside): for each VM that differs, its first differing trace event of each run with the event before it; then what differs in their summaries (per-VM figures, the vault's jobs).",
            "Exit 0 when the runs behave the same, 1 when they differ, 2 when a folder is not a run folder."
        })
final class DiffCommand implements Callable<Integer> {
    static final int DIFFERENT = 1;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "A folder written by 'replisim run'.")
    Path a;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "Another one.")
    Path b;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RunDiff.Result result;
        try {
            result = RunDiff.compare(a, b);
        } catch (RunFolderException e) {
            spec.commandLine().getErr().println("replisim diff: " + e.getMessage());
            return Main.INVALID_INPUT;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("A: " + a);
        out.println("B: " + b);
        result.lines().forEach(out::println);
        return result.identical() ? Main.OK : DIFFERENT;
    }
}
