package io.replisim.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

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

    /** slf4j-simple's settings (the binding in replisim.jar); it reads them once, when the JVM's first logger is made. */
    static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final Map<String, String> LOG_FORMAT = Map.of(
            "org.slf4j.simpleLogger.logFile", "System.err",
            "org.slf4j.simpleLogger.showDateTime", "true",
            "org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private int verbosity;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show on stderr what the Azure Storage SDK, Testcontainers, WireMock and Azurite log (nothing "
                    + "without it): -v their INFO lines and up, -vv their DEBUG lines too (the SDK's HTTP client, each "
                    + "request Azurite serves).")
    void verbose(boolean[] flags) {
        verbosity = flags.length;
    }

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
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
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
        // after parsing, before any command runs, hence before any library makes a logger
        cli.setExecutionStrategy(parseResult -> {
            configureLogging(main.verbosity);
            return new CommandLine.RunLast().execute(parseResult);
        });
        if (args.length > 0 && !args[0].startsWith("-") && !cli.getSubcommands().containsKey(args[0])) {
            // picocli would answer "replisim nosuch --help" with the top-level help and exit 0
            cli.getErr().println("replisim: unknown command '" + args[0] + "'; the commands are "
                    + String.join(", ", cli.getSubcommands().keySet()) + " (replisim --help)");
            return INVALID_INPUT;
        }
        return cli.execute(args);
    }

    /**
     * The libraries' logs: off, unless {@code -v} (INFO) or {@code -vv} (DEBUG); a level given
     * with {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} stands when there is no {@code -v}.
     * Takes effect only if no logger was made yet in this JVM: a process runs one command line,
     * but in a JVM that runs several (tests) the first decides.
     */
    static void configureLogging(int verbosity) {
        if (verbosity > 0) {
            System.setProperty(LOG_LEVEL, verbosity == 1 ? "info" : "debug");
        } else if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, "off");
        }
        LOG_FORMAT.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }
}
