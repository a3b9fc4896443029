package io.replisim.simulator.kernel;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The kernel stands alone, and no simulation code reads the wall clock or unseeded randomness. */
class KernelArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.replisim");

    @Test
    void theKernelDependsOnNoOtherProjectPackage() {
        noClasses().that().resideInAPackage("io.replisim.simulator.kernel..")
                .should().dependOnClassesThat(resideInAPackage("io.replisim..")
                        .and(not(resideInAPackage("io.replisim.simulator.kernel.."))))
                .check(PRODUCTION);
    }

    @Test
    void noProjectCodeReadsTheWallClockOrUnseededRandomnessOrSleeps() {
        noClasses().that().resideInAPackage("io.replisim..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethodWhere(target(name("now")).and(target(owner(equivalentTo(Instant.class)))))
                .orShould().callConstructorWhere(target(owner(assignableTo(Random.class))))
                .orShould().callMethod(Math.class, "random")
                .orShould().callMethod(StrictMath.class, "random")
                .orShould().callMethodWhere(target(name("sleep")).and(target(owner(equivalentTo(Thread.class)))))
                .because("a run must be reproducible from its seed (DESIGN.md, principle 1)")
                .check(PRODUCTION);
    }
}
