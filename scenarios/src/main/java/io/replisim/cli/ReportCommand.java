package io.replisim.cli;

import io.replisim.reports.RunFolderException;
import io.replisim.reports.RunReports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {
            "Renders report.html and junit.xml again from a run folder's summary.json and trace.jsonl.",
            "Exit 0 when written, 2 when the folder is not a run folder, 4 when the environment stopped it (an output folder not writable, a full disk)."
        })
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "A folder written by 'replisim run'.")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try {
            RunReports.rerender(dir);
        } catch (RunFolderException e) {
            spec.commandLine().getErr().println("replisim report: " + e.getMessage());
            return Main.INVALID_INPUT;
        }
        spec.commandLine().getOut().println("wrote " + dir.resolve(RunReports.REPORT) + " and " + dir.resolve(RunReports.JUNIT));
        return Main.OK;
    }
}
