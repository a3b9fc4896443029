package io.replisim.scenarios;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The house rules of docs/architecture.md (Layers, Determinism), checked over every module's production
 * classes: dependencies point one way, and nothing but the command line (which shows progress) reads the
 * wall clock.
 */
class ArchitectureTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.replisim");

    @Test
    void moduleDependenciesPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("io.replisim..")
                .layer("fake-hyperv").definedBy("io.replisim.hyperv..")
                .layer("fake-azure").definedBy("io.replisim.azure..")
                .layer("simulator").definedBy("io.replisim.simulator..")
                .layer("reports").definedBy("io.replisim.reports..")
                .layer("junit").definedBy("io.replisim.junit..")
                .layer("command line").definedBy("io.replisim.cli..")
                .whereLayer("command line").mayNotBeAccessedByAnyLayer()
                .whereLayer("junit").mayNotBeAccessedByAnyLayer()
                .whereLayer("reports").mayOnlyBeAccessedByLayers("command line", "junit")
                .whereLayer("simulator").mayOnlyBeAccessedByLayers("reports", "command line", "junit")
                .whereLayer("fake-hyperv").mayOnlyBeAccessedByLayers("simulator", "reports", "command line", "junit")
                .whereLayer("fake-azure").mayOnlyBeAccessedByLayers("simulator", "reports", "command line", "junit")
                .check(PRODUCTION);
    }

    @Test
    void theReplicationStackKnowsNeitherScenarioFilesNorRuns() {
        noClasses().that().resideInAnyPackage("io.replisim.simulator.replication..", "io.replisim.simulator.net..",
                        "io.replisim.simulator.fault..", "io.replisim.simulator.calendar..", "io.replisim.simulator.kernel..",
                        "io.replisim.simulator.trace..")
                .should().dependOnClassesThat().resideInAnyPackage("io.replisim.simulator.scenario..",
                        "io.replisim.simulator.run..", "io.replisim.simulator.hunt..")
                .because("the stack takes a configuration of its own (ReplicationConfig); the scenario file's classes"
                        + " build it, and runs and hunts drive the stack, not the other way round"
                        + " (docs/architecture.md, Layers)")
                .check(PRODUCTION);
    }

    @Test
    void theInvariantsShareNoCodeWithTheStackTheyJudge() {
        noClasses().that().resideInAPackage("io.replisim.simulator.hunt..")
                .and().areAssignableTo(io.replisim.simulator.hunt.Invariant.class)
                .or().haveSimpleNameStartingWith("GroundTruth")
                .or().haveSimpleName("RunEvidence")
                .or().haveSimpleName("ErrorTable")
                .or().haveSimpleName("ScenarioCapacity")
                .or().haveSimpleNameStartingWith("TraceLine")
                .or().haveSimpleName("TraceFile")
                .should().dependOnClassesThat().resideInAnyPackage("io.replisim.simulator.replication..",
                        "io.replisim.simulator.fault..")
                // the scenario holds its office hours and profile samples as calendar and net records: their
                // fields may be read (what the scenario says), the rules computed from them not used
                .orShould().callMethodWhere(target(owner(resideInAPackage("io.replisim.simulator.calendar..")
                                .or(resideInAPackage("io.replisim.simulator.net.."))))
                        .and(not(target(name("days")).or(target(name("from"))).or(target(name("to")))
                                .or(target(name("untilMidnight"))).or(target(name("offsetNanos")))
                                .or(target(name("bitsPerSecond"))))))
                .orShould().callConstructorWhere(target(owner(resideInAPackage("io.replisim.simulator.calendar..")
                        .or(resideInAPackage("io.replisim.simulator.net..")))))
                .because("a verification that uses the helpers of the code it verifies always agrees with it: the"
                        + " invariants take what should happen from the scenario and the fakes (docs/hunt.md, Ground truth)")
                .check(PRODUCTION);
    }

    @Test
    void noSimulationCodeReadsTheWallClockOrUnseededRandomnessOrSleeps() {
        noClasses().that().resideInAPackage("io.replisim..")
                .and().resideOutsideOfPackage("io.replisim.cli..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethodWhere(target(name("now")).and(target(owner(equivalentTo(Instant.class)))))
                .orShould().callConstructorWhere(target(owner(assignableTo(Random.class))))
                .orShould().callMethod(Math.class, "random")
                .orShould().callMethod(StrictMath.class, "random")
                .orShould().callMethod(UUID.class, "randomUUID")
                .orShould().callMethodWhere(target(name("sleep")).and(target(owner(equivalentTo(Thread.class)))))
                .because("a run must be reproducible from its seed (docs/architecture.md, Determinism)")
                .check(PRODUCTION);
    }
}
