package io.donorstream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The package structure holds: no two packages depend on each other (directly or round a loop),
 * and the serving core (model-api's packages) depends on neither Flink nor the trainer. Checked
 * with ArchUnit on every module's main classes (this module's test classpath holds them all).
 */
class PackageCyclesTest {
  /** Main classes only: not this module's tests, nor the trainer's test-jar (shared test fixtures) when Maven hands it over as a jar. */
  private static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.asURI().toString().contains("-tests.jar")).importPackages("io.donorstream");

  @Test
  void everyModuleIsChecked() {
    for (String c : new String[] {"io.donorstream.schema.serde.AvroSerde", "io.donorstream.servable.DonorScorer", "io.donorstream.train.DonorTrainer",
        "io.donorstream.scoring.ScoringJob"}) {
      assertThat(MAIN.contain(c)).as(c).isTrue();
    }
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.donorstream.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void theServingCoreNeedsNoFlinkAndNoTrainingCode() {
    ArchRule rule = noClasses().that().resideInAnyPackage("io.donorstream.artifact..", "io.donorstream.preprocess..",
            "io.donorstream.model..", "io.donorstream.inference..", "io.donorstream.servable..", "io.donorstream.promotion..")
        .or().resideInAPackage("io.donorstream.text")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "io.donorstream.train..", "io.donorstream.pipeline..",
            "io.donorstream.data..", "io.donorstream.eval..", "io.donorstream.report..", "io.donorstream.scoring..", "io.donorstream.kafka..",
            "io.donorstream.publish..", "io.donorstream.flink..", "io.donorstream.local..", "io.donorstream.retrain..", "io.donorstream.cli..");
    rule.check(MAIN);
  }

  @Test
  void theMonitorsMetricLogicNeedsNoFlink() {
    noClasses().that().resideInAPackage("io.donorstream.quality..").should().dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..", "io.donorstream.train..", "io.donorstream.monitor..",
            "io.donorstream.retrain..", "io.donorstream.scoring..", "io.donorstream.flink..", "io.donorstream.local..").check(MAIN);
  }

  /** The development broker and cluster are for the commands that start them, never part of a stage a cluster runs. */
  @Test
  void onlyLocalRunsUseTheDevelopmentBrokerAndCluster() {
    noClasses().that().resideOutsideOfPackages("io.donorstream.local..", "io.donorstream.cli..", "io.donorstream.loop..",
            "io.donorstream.bench..")
        .should().dependOnClassesThat().resideInAPackage("io.donorstream.local..").check(MAIN);
  }

  /** Publishing and reading the project's topics are plain Kafka clients: a Python pipeline or a script needs no Flink. */
  @Test
  void kafkaClientsNeedNoFlink() {
    noClasses().that().resideInAnyPackage("io.donorstream.kafka..", "io.donorstream.publish..", "io.donorstream.retrain..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..").check(MAIN);
  }
}
