package io.replisim.cli;

import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks scenario files without running them. Exit 0 when all are valid, 2 otherwise.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "SCENARIO", description = "Scenario files (YAML).")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ScenarioLoader loader = new ScenarioLoader();
        int invalid = 0;
        for (Path file : files) {
            try {
                loader.load(file);
                spec.commandLine().getOut().println(file + ": valid");
            } catch (ScenarioException e) {
                invalid++;
                for (ScenarioError error : e.errors()) {
                    spec.commandLine().getErr().println(error.format());
                }
            }
        }
        return invalid == 0 ? Main.OK : Main.INVALID_INPUT;
    }
}
