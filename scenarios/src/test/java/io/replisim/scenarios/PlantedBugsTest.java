package io.replisim.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The planted bugs of docs/planted-bugs.md stay plantable: each patch in scripts/planted applies
 * to the stack as it is ({@code git apply --check}), so a change to the stack that moves a
 * patch's context is noticed here rather than when someone measures the catch rate again.
 */
class PlantedBugsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TestFactory
    Stream<DynamicTest> everyPlantedPatchAppliesToTheStack() throws IOException {
        assumeTrue(Files.isDirectory(ROOT.resolve(".git")) || Files.isRegularFile(ROOT.resolve(".git")),
                "not a git checkout: git apply has nothing to check against");
        List<Path> patches;
        try (Stream<Path> list = Files.list(ROOT.resolve("scripts/planted"))) {
            patches = list.filter(p -> p.toString().endsWith(".patch")).sorted().toList();
        }
        assertEquals(10, patches.size(), patches.toString());
        return patches.stream().map(patch -> DynamicTest.dynamicTest(patch.getFileName().toString(), () -> {
            Process git = new ProcessBuilder("git", "apply", "--check", ROOT.relativize(patch).toString())
                    .directory(ROOT.toFile()).redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(git.waitFor(60, TimeUnit.SECONDS), "git apply --check did not finish");
            assertEquals(0, git.exitValue(), patch.getFileName() + " no longer applies; refresh its context:\n" + out);
        }));
    }
}
