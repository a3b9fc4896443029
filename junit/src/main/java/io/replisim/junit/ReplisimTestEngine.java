package io.replisim.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.Filter;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.ClasspathRootSelector;
import org.junit.platform.engine.discovery.PackageNameFilter;
import org.junit.platform.engine.discovery.PackageSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;

/**
 * The JUnit Platform engine behind {@link ReplisimScenarios}: finds the annotated classes the
 * build or the IDE selects (by class, package, classpath root or unique id) and runs each of
 * their scenario files as a test.
 */
public final class ReplisimTestEngine implements TestEngine {
    public static final String ID = "replisim";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return Optional.of("io.replisim");
    }

    @Override
    public Optional<String> getArtifactId() {
        return Optional.of("replisim-junit");
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        EngineDescriptor engine = new EngineDescriptor(uniqueId, "replisim scenarios");
        Predicate<String> names = Filter.composeFilters(request.getFiltersByType(ClassNameFilter.class)).toPredicate()
                .and(Filter.composeFilters(request.getFiltersByType(PackageNameFilter.class)).toPredicate());
        Predicate<Class<?>> suite = c -> AnnotationSupport.isAnnotated(c, ReplisimScenarios.class)
                && !Modifier.isAbstract(c.getModifiers());
        // class -> the scenarios selected in it by unique id (empty: all of them)
        Map<Class<?>, Set<String>> classes = new LinkedHashMap<>();
        request.getSelectorsByType(ClassSelector.class).stream().map(ClassSelector::getJavaClass).filter(suite)
                .forEach(c -> classes.put(c, new LinkedHashSet<>()));
        for (PackageSelector p : request.getSelectorsByType(PackageSelector.class)) {
            ReflectionSupport.findAllClassesInPackage(p.getPackageName(), suite, names).forEach(c -> classes.put(c, new LinkedHashSet<>()));
        }
        for (ClasspathRootSelector r : request.getSelectorsByType(ClasspathRootSelector.class)) {
            ReflectionSupport.findAllClassesInClasspathRoot(r.getClasspathRoot(), suite, names)
                    .forEach(c -> classes.put(c, new LinkedHashSet<>()));
        }
        for (UniqueIdSelector s : request.getSelectorsByType(UniqueIdSelector.class)) {
            List<UniqueId.Segment> segments = s.getUniqueId().getSegments();
            if (!s.getUniqueId().hasPrefix(uniqueId) || segments.size() < 2) {
                continue;
            }
            ReflectionSupport.tryToLoadClass(segments.get(1).getValue()).toOptional().filter(suite).ifPresent(c -> {
                Set<String> only = classes.computeIfAbsent(c, k -> new LinkedHashSet<>());
                if (segments.size() > 2) {
                    only.add(segments.get(2).getValue());
                }
            });
        }
        classes.forEach((c, only) -> engine.addChild(suite(engine.getUniqueId(), c, only)));
        return engine;
    }

    private static SuiteDescriptor suite(UniqueId parent, Class<?> type, Set<String> only) {
        ReplisimScenarios a = AnnotationSupport.findAnnotation(type, ReplisimScenarios.class).orElseThrow();
        SuiteDescriptor suite = new SuiteDescriptor(parent.append("class", type.getName()), type);
        Path outputs = Path.of(a.output(), type.getSimpleName());
        for (String place : a.value()) {
            Path given = Path.of(place);
            for (Path file : scenarioFiles(given)) {
                String name = Files.isDirectory(given) ? given.relativize(file).toString().replace('\\', '/') : file.getFileName().toString();
                name = name.replaceFirst("\\.ya?ml$", "");
                if (only.isEmpty() || only.contains(name)) {
                    suite.addChild(new ScenarioDescriptor(suite.getUniqueId().append("scenario", name), name, file,
                            outputs.resolve(name), a));
                }
            }
            if (!Files.exists(given) && (only.isEmpty() || only.contains(place))) {
                suite.addChild(new ScenarioDescriptor(suite.getUniqueId().append("scenario", place), place, given,
                        outputs.resolve("missing"), a));
            }
        }
        return suite;
    }

    /** The scenario files at {@code place}: itself if a file, its *.yaml and *.yml files (recursively, sorted) if a folder. */
    static List<Path> scenarioFiles(Path place) {
        if (!Files.isDirectory(place)) {
            return Files.exists(place) ? List.of(place) : List.of();
        }
        try (Stream<Path> files = Files.walk(place)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing the scenarios in " + place, e);
        }
    }

    @Override
    public void execute(ExecutionRequest request) {
        EngineExecutionListener listener = request.getEngineExecutionListener();
        TestDescriptor root = request.getRootTestDescriptor();
        listener.executionStarted(root);
        for (TestDescriptor suite : new ArrayList<>(root.getChildren())) {
            listener.executionStarted(suite);
            for (TestDescriptor test : new ArrayList<>(suite.getChildren())) {
                listener.executionStarted(test);
                ScenarioDescriptor scenario = (ScenarioDescriptor) test;
                TestExecutionResult result;
                try {
                    ScenarioCheck.Outcome outcome = scenario.run();
                    listener.reportingEntryPublished(test, ReportEntry.from("outputs", outcome.outputs().toAbsolutePath().normalize().toString()));
                    outcome.orFail();
                    result = TestExecutionResult.successful();
                } catch (Exception | AssertionError e) {
                    result = TestExecutionResult.failed(e);
                }
                listener.executionFinished(test, result);
            }
            listener.executionFinished(suite, TestExecutionResult.successful());
        }
        listener.executionFinished(root, TestExecutionResult.successful());
    }
}
