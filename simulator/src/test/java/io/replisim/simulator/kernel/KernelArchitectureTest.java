package io.replisim.simulator.kernel;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The kernel stands alone. (The wall-clock and randomness rules cover every module: scenarios' ArchitectureTest.) */
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
    void theKernelSpeaksNoReplicationVocabulary() {
        noClasses().that().resideInAPackage("io.replisim.simulator.kernel..")
                .should().haveNameMatching("(?i).*(vm|disk|replica|azure|hyperv|blob|vault|resync|failover|log).*")
                .because("the kernel is a general discrete-event engine (docs/architecture.md, Layers)")
                .check(PRODUCTION);
    }
}
