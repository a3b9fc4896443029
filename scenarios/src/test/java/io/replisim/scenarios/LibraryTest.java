package io.replisim.scenarios;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replisim.junit.ReplisimScenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The regression suite, through the extension users add to their own suites: every scenario of
 * the library runs as its own test, its expectations and the stack's invariants become
 * assertions, and a second run with the same seed must give a byte-identical trace. Outputs
 * stay in target/replisim/LibraryTest/.
 */
@ReplisimScenarios(value = "library", determinism = true)
class LibraryTest {
    static final Path LIBRARY = Path.of("library");

    /** The library's scenario files, sorted. */
    static List<Path> scenarios() throws Exception {
        try (Stream<Path> files = Files.list(LIBRARY)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void theLibraryIsComplete() throws Exception {
        int n = scenarios().size();
        assertTrue(n >= 25, "the library has " + n + " scenarios");
    }
}
