package io.replisim.junit;

import io.replisim.simulator.run.Backend;
import io.replisim.simulator.scenario.Fidelity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.opentest4j.AssertionFailedError;

/** One scenario file's test, named after the file. */
final class ScenarioDescriptor extends AbstractTestDescriptor {
    private final Path file;
    private final Path outputs;
    private final ReplisimScenarios settings;

    ScenarioDescriptor(UniqueId id, String name, Path file, Path outputs, ReplisimScenarios settings) {
        super(id, name, FileSource.from(file.toAbsolutePath().toFile()));
        this.file = file;
        this.outputs = outputs;
        this.settings = settings;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }

    ScenarioCheck.Outcome run() throws IOException {
        if (!Files.exists(file)) {
            throw new AssertionFailedError("@ReplisimScenarios: no scenario folder or file " + file.toAbsolutePath().normalize()
                    + " (paths are relative to the working directory, " + Path.of("").toAbsolutePath() + ")");
        }
        return ScenarioCheck.run(file, new ScenarioCheck.Settings(null, fidelity(settings.fidelity()), Backend.MEMORY, null,
                settings.invariants(), settings.determinism()), outputs);
    }

    private static Fidelity fidelity(String label) {
        if (label.isEmpty()) {
            return null;
        }
        return Arrays.stream(Fidelity.values()).filter(f -> f.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionFailedError("@ReplisimScenarios(fidelity = \"" + label + "\"): expected "
                        + Arrays.stream(Fidelity.values()).map(Fidelity::label).collect(Collectors.joining(", "))));
    }
}
