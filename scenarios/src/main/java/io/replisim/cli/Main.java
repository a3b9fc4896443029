package io.replisim.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code replisim} command line. Exit codes: 0 expectations held, 1 one failed, 2 invalid input, 3 internal error, 4 environment. */
@Command(
        name = "replisim",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Deterministic simulator and test harness for Hyper-V replication to Azure (Site Recovery).",
        subcommands = {RunCommand.class, ValidateCommand.class, ReportCommand.class, DiffCommand.class, HuntCommand.class, SweepCommand.class, PlanCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the run finished and every expectation held (validate: every file is valid)",
            "1:an expectation failed",
            "2:invalid input (scenario file, flag)",
            "3:internal error (a bug in replisim)",
            "4:the environment stopped it: an output folder not writable, a full disk, too little memory, Azurite not available"
        })
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int EXPECTATION_FAILED = 1;
    public static final int INVALID_INPUT = 2;
    public static final int INTERNAL_ERROR = 3;
    public static final int ENVIRONMENT = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** The I/O error behind {@code t}, if one is. */
    static java.io.IOException ioCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.io.IOException io) {
                return io;
            }
        }
        return null;
    }

    /** Runs the command line with the given streams; returns the exit code (tests call this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            java.io.IOException io = ioCause(ex);
            if (io != null) { // the file system, not replisim: a folder not writable, a full disk
                commandLine.getErr().println("replisim: " + Outputs.describe(io) + " (outputs already written may be incomplete;"
                        + " an unfinished file is left as <name>.partial)");
                return ENVIRONMENT;
            }
            commandLine.getErr().println("replisim: internal error: " + ex);
            commandLine.getErr().println("This is a bug in replisim; the stack trace follows so it can be reported.");
            ex.printStackTrace(commandLine.getErr());
            return INTERNAL_ERROR;
        });
        if (args.length > 0 && !args[0].startsWith("-") && !cli.getSubcommands().containsKey(args[0])) {
            // picocli would answer "replisim nosuch --help" with the top-level help and exit 0
            cli.getErr().println("replisim: unknown command '" + args[0] + "'; the commands are "
                    + String.join(", ", cli.getSubcommands().keySet()) + " (replisim --help)");
            return INVALID_INPUT;
        }
        return cli.execute(args);
    }
}
