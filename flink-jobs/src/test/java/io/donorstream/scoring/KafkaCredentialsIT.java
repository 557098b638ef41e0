package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.cli.Donorstream;
import io.donorstream.data.H5adWriter;
import io.donorstream.kafka.KafkaBrokerExtension;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.TopicReader;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A broker that asks for a SASL/PLAIN login, as a managed Kafka does: with the right credentials
 * in a {@code --kafka-config} file, cells go publish → ScoringJob (Flink's Kafka source and
 * transactional sink) → predictions; with a wrong password, the command says so in one line.
 */
@ExtendWith(MiniLmEncoder.class)
class KafkaCredentialsIT {
  private static final String USER = "alice";
  private static final String PASSWORD = "pw-" + UUID.randomUUID();

  @RegisterExtension static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.withLogin(Map.of(USER, PASSWORD));

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(ScoringJobIT.flinkConfig()).build());

  @TempDir static Path dir;
  static Path cells;
  static Path model;

  @BeforeAll
  static void prepare(TransformerTextEncoder encoder) {
    cells = dir.resolve("cells.h5ad");
    H5adWriter.write(cells, ScoringFixtures.CELLS, Map.of());
    model = ScoringFixtures.train(dir.resolve("model"), "1", 1, encoder);
  }

  private static Path clientConfig(String name, String password) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n",
        "security.protocol=SASL_PLAINTEXT",
        "sasl.mechanism=PLAIN",
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER + "\" password=\"" + password + "\";"));
    return file;
  }

  private record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Donorstream.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void withTheRightLoginCellsArePublishedScoredAndReadBack() throws Exception {
    Path good = clientConfig("good.properties", PASSWORD);
    Run publish = cli("publish", "--data", cells.toString(), "--embedding-key", ScoringFixtures.CELLS.embeddingKey(), "--bootstrap",
        KAFKA.bootstrap(), "--kafka-config", good.toString());
    assertThat(publish.code()).as("publish: %s", publish.err()).isZero();

    KafkaEndpoint kafka = KafkaEndpoint.of(KAFKA.bootstrap(), good);
    assertThat(kafka.toString()).doesNotContain(PASSWORD).contains("sasl.jaas.config");
    ScoringFixtures.scoreProjectTopics(kafka, model, "scoring-with-login");

    Set<String> ids = new HashSet<>();
    AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);
    TopicReader.readToEnd(kafka, ProjectTopics.PREDICTIONS, 60_000, r -> assertThat(ids.add(serde.deserialize(r.value()).getCellId())).isTrue());
    assertThat(ids).containsExactlyInAnyOrder(ScoringFixtures.CELLS.cellIds());
  }

  @Test
  void aWrongPasswordIsOneErrorLineThatNamesNoSecret() throws Exception {
    String wrong = "not-" + PASSWORD;
    Run run = cli("publish", "--data", cells.toString(), "--embedding-key", ScoringFixtures.CELLS.embeddingKey(), "--bootstrap",
        KAFKA.bootstrap(), "--kafka-config", clientConfig("wrong.properties", wrong).toString());
    List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
    assertThat(run.code()).isEqualTo(2);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("error: ").contains("refused the credentials").doesNotContain(wrong).doesNotContain("Exception");
    assertThat(run.out()).doesNotContain(wrong);
  }
}
