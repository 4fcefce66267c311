package io.zkmq;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.zookeeper.KeeperException;

/**
 * The package rules of docs/architecture.md ("Packages and what they may import"), checked on the
 * production classes of the connector. A failure names the class and the dependency that breaks a
 * rule: move the code to the package that owns it rather than loosening the rule.
 */
@AnalyzeClasses(packages = "io.zkmq", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {

    private static final String[] CURATOR_AND_ZOOKEEPER = {
        "org.apache.curator..", "org.apache.zookeeper.."
    };

    /**
     * Flink's API-status annotations (flink-annotations, no code): every package may carry them.
     */
    private static final String API_ANNOTATIONS = "org.apache.flink.annotation..";

    /**
     * See "Public API" in docs/architecture.md: users may rely only on {@code @PublicEvolving}
     * classes.
     */
    @ArchTest
    static final ArchRule PUBLIC_CLASSES_DECLARE_WHETHER_THEY_ARE_API =
            classes()
                    .that()
                    .arePublic()
                    .and()
                    .areTopLevelClasses()
                    .should()
                    .beAnnotatedWith(PublicEvolving.class)
                    .orShould()
                    .beAnnotatedWith(Internal.class)
                    .because(
                            "a public class is either API users may rely on (@PublicEvolving) or machinery that may"
                                    + " change at any time (@Internal); make it package-private if nothing outside its package"
                                    + " uses it");

    @ArchTest
    static final ArchRule TOP_LEVEL_PACKAGES_HAVE_NO_CYCLE =
            slices().matching("io.zkmq.(*)..").namingSlices("$1").should().beFreeOfCycles();

    /** The may-import table of docs/architecture.md, row by row. Every package must be in it. */
    @ArchTest
    static final ArchRule PACKAGES_IMPORT_ONLY_WHAT_THE_TABLE_ALLOWS =
            layeredArchitecture()
                    .consideringOnlyDependenciesInLayers()
                    .ensureAllClassesAreContainedInArchitecture()
                    .layer("error")
                    .definedBy("io.zkmq.error..")
                    .layer("queue")
                    .definedBy("io.zkmq.queue..")
                    .layer("hashing")
                    .definedBy("io.zkmq.hashing..")
                    .layer("coordination")
                    .definedBy("io.zkmq.coordination..")
                    .layer("client")
                    .definedBy("io.zkmq.client..")
                    .layer("embedded")
                    .definedBy("io.zkmq.embedded..")
                    .layer("tier")
                    .definedBy("io.zkmq.tier..")
                    .layer("connector")
                    .definedBy("io.zkmq.connector..")
                    .layer("source")
                    .definedBy("io.zkmq.source..")
                    .layer("sink")
                    .definedBy("io.zkmq.sink..")
                    .layer("table")
                    .definedBy("io.zkmq.table..")
                    .whereLayer("error")
                    .mayNotAccessAnyLayer()
                    .whereLayer("queue")
                    .mayOnlyAccessLayers("error")
                    .whereLayer("hashing")
                    .mayNotAccessAnyLayer()
                    .whereLayer("coordination")
                    .mayOnlyAccessLayers("queue", "hashing", "error")
                    .whereLayer("client")
                    .mayOnlyAccessLayers("coordination", "tier", "queue", "hashing", "error")
                    .whereLayer("embedded")
                    .mayOnlyAccessLayers("error")
                    .whereLayer("tier")
                    .mayOnlyAccessLayers("queue", "error")
                    .whereLayer("connector")
                    .mayOnlyAccessLayers("client", "coordination", "queue", "error")
                    .whereLayer("source")
                    .mayOnlyAccessLayers(
                            "connector", "client", "coordination", "queue", "hashing", "error")
                    .whereLayer("sink")
                    .mayOnlyAccessLayers(
                            "connector", "client", "coordination", "queue", "hashing", "error")
                    .whereLayer("table")
                    .mayOnlyAccessLayers("source", "sink", "connector", "queue", "error");

    @ArchTest
    static final ArchRule COORDINATION_DOES_NOT_DEPEND_ON_CLIENT =
            noClasses()
                    .that()
                    .resideInAPackage("io.zkmq.coordination..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.zkmq.client..")
                    .because(
                            "the client builds on coordination (consumer groups, config watches, the maintenance leader)"
                                    + " and hands it what it needs, e.g. the maintenance tasks");

    @ArchTest
    static final ArchRule SOURCE_DOES_NOT_DEPEND_ON_SINK =
            noClasses()
                    .that()
                    .resideInAPackage("io.zkmq.source..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.zkmq.sink..");

    @ArchTest
    static final ArchRule SINK_DOES_NOT_DEPEND_ON_SOURCE =
            noClasses()
                    .that()
                    .resideInAPackage("io.zkmq.sink..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.zkmq.source..")
                    .because(
                            "what both need (e.g. QueuePartition) lives in queue, client or connector");

    @ArchTest
    static final ArchRule ONLY_CLIENT_COORDINATION_AND_EMBEDDED_USE_CURATOR_OR_ZOOKEEPER =
            noClasses()
                    .that()
                    .resideOutsideOfPackages(
                            "io.zkmq.client..",
                            "io.zkmq.coordination..",
                            "io.zkmq.embedded..",
                            "io.zkmq.error..") // error: see ERROR_KNOWS_ONLY_KEEPER_EXCEPTION
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(CURATOR_AND_ZOOKEEPER)
                    .because(
                            "the Flink adapters and the pure packages reach ZooKeeper only through client and coordination");

    @ArchTest
    static final ArchRule ERROR_KNOWS_ONLY_KEEPER_EXCEPTION =
            noClasses()
                    .that()
                    .resideInAPackage("io.zkmq.error..")
                    .should()
                    .dependOnClassesThat(
                            resideInAnyPackage(CURATOR_AND_ZOOKEEPER)
                                    .and(not(belongToAnyOf(KeeperException.class))))
                    .because(
                            "ZkErrors translates ZooKeeper's result codes; nothing else of ZooKeeper belongs in the"
                                    + " exception family");

    @ArchTest
    static final ArchRule STORAGE_MODEL_IS_PURE =
            classes()
                    .that()
                    .resideInAPackage("io.zkmq.queue..")
                    .should()
                    .onlyDependOnClassesThat()
                    .resideInAnyPackage(
                            "io.zkmq.queue..",
                            "io.zkmq.error..",
                            "java..",
                            "com.fasterxml.jackson..",
                            "com.dynatrace.hash4j..",
                            API_ANNOTATIONS)
                    .because(
                            "the storage model does no I/O, so it is unit-testable in milliseconds");

    @ArchTest
    static final ArchRule HASHING_IS_PURE =
            classes()
                    .that()
                    .resideInAPackage("io.zkmq.hashing..")
                    .should()
                    .onlyDependOnClassesThat()
                    .resideInAnyPackage(
                            "io.zkmq.hashing..",
                            "java..",
                            "com.dynatrace.hash4j..",
                            API_ANNOTATIONS)
                    .because("placement is a pure, deterministic function");
}
