package io.replisim.scenarios;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.replisim.simulator.scenario.ScenarioError;
import io.replisim.simulator.scenario.ScenarioException;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Broken files made from valid ones, by a property test that shrinks what it finds: loading
 * either succeeds or fails with located errors; never another exception, never a hang.
 */
class ScenarioMutationTest {
    private static final String[] GARBAGE = {"", "-1", "0", "5 parsecs", "{", "[", "]", "}", ":", "\t", "''", "\"", "null",
        "~", "&anchor", "*alias", "!!binary x", "9999999999999999999999PiB", "1e309", "P", "Mon-Fry 9-5", "é", "\u0000", "#",
        "{a: [b, {c: d}]}", "- - -", "? key", "|", ">", "%YAML 1.1", "---", "...", "<<: *x", "0x1F", "1h-2m", "1m1m1m1m1m1m1m"};

    @Test
    void mutatedLibraryFilesNeverEscapeAsAStackTraceOrHang() throws Exception {
        List<Path> files = LibraryTest.scenarios();
        List<List<String>> texts = new ArrayList<>();
        for (Path f : files) {
            texts.add(Files.readAllLines(f));
        }
        ScenarioLoader loader = new ScenarioLoader();
        qt().withFixedSeed(20260105L).withExamples(600).forAll(
                        integers().between(0, files.size() - 1), integers().between(0, 7),
                        integers().between(0, 10_000), integers().between(0, GARBAGE.length - 1))
                .checkAssert((fileIndex, kind, where, garbage) -> {
                    String text = mutate(texts.get(fileIndex), kind, where, GARBAGE[garbage]);
                    Path name = files.get(fileIndex);
                    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                        try {
                            loader.parse(name, text);
                        } catch (ScenarioException e) {
                            for (ScenarioError error : e.errors()) {
                                assertTrue(error.format().startsWith(name.toString()), error.format());
                                assertTrue(!error.message().isBlank(), "an empty message for:\n" + text);
                            }
                        } catch (Throwable t) {
                            fail("mutation " + kind + " at " + where + " with '" + GARBAGE[garbage] + "' of " + name
                                    + " escaped as " + t + "\n" + text, t);
                        }
                    });
                });
    }

    /** One of eight edits: drop, duplicate or swap lines, replace a value, cut the file, re-indent, insert garbage, cut a line. */
    private static String mutate(List<String> lines, int kind, int where, String garbage) {
        List<String> out = new ArrayList<>(lines);
        int i = where % out.size();
        int j = (where / 7) % out.size();
        String line = out.get(i);
        switch (kind) {
            case 0 -> out.remove(i);
            case 1 -> out.add(i, line);
            case 2 -> {
                out.set(i, out.get(j));
                out.set(j, line);
            }
            case 3 -> {
                int colon = line.indexOf(':');
                out.set(i, colon < 0 ? garbage : line.substring(0, colon + 1) + " " + garbage);
            }
            case 4 -> out = new ArrayList<>(out.subList(0, i));
            case 5 -> out.set(i, (where % 2 == 0 ? " " : "") + line.strip());
            case 6 -> out.add(i, garbage);
            default -> out.set(i, line.substring(0, (where / 3) % (line.length() + 1)));
        }
        return String.join("\n", out) + "\n";
    }
}
