package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.donorstream.data.H5adWriter;
import io.donorstream.kafka.KafkaBrokerExtension;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.TopicReader;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.CellLabel;
import io.donorstream.schema.DeadLetter;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client ({@code clients/python}) against the real broker and the real ScoringJob: its
 * own unit tests pass, its fingerprints are Java's, cells it publishes are scored, and the
 * predictions it reads back are the ones the Java reader sees. Skips when Debian's Python lacks
 * the client's packages, unless {@code DONORSTREAM_REQUIRE_PYTHON=1} (as {@code .ci/run} sets).
 */
@ExtendWith(MiniLmEncoder.class)
class PythonClientIT {
  private static final Path CLIENT = Path.of("..", "clients", "python").toAbsolutePath().normalize();
  private static final String PYTHON = "/usr/bin/python3";

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(ScoringJobIT.flinkConfig()).build());

  @TempDir static Path dir;

  @BeforeAll
  static void needsPython() throws Exception {
    Run probe = python(List.of("-c", "import confluent_kafka, avro, anndata, h5py, numpy, pandas"));
    if (probe.code() != 0) {
      String why = "Debian's Python lacks the client's packages (apt-get install python3-confluent-kafka python3-avro python3-anndata): "
          + probe.out().lines().reduce((a, b) -> b).orElse("");
      if ("1".equals(System.getenv("DONORSTREAM_REQUIRE_PYTHON"))) throw new AssertionError(why);
      Assumptions.assumeTrue(false, why);
    }
  }

  private record Run(int code, String out) {}

  private static Run python(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(PYTHON));
    command.addAll(args);
    Process p;
    try {
      p = new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      return new Run(-1, e.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Run(-2, "timed out: " + out);
    }
    return new Run(p.exitValue(), out);
  }

  private static String interop(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("tests/java_interop.py"));
    command.addAll(List.of(args));
    Run run = python(command);
    assertThat(run.code()).as("java_interop.py %s: %s", args[0], run.out()).isZero();
    // librdkafka logs to stderr (merged here): the script's answer is in its lines that are not log lines.
    List<String> lines = run.out().lines().filter(l -> !l.isBlank() && !l.startsWith("%")).toList();
    return String.join("\n", lines);
  }

  @Test
  void theClientsOwnTestsPass() throws Exception {
    Run run = python(List.of("-m", "unittest", "discover", "-s", "tests", "-t", "."));
    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out()).contains("OK");
  }

  @Test
  void fingerprintsAreJavas() throws Exception {
    Map<String, String> java = new java.util.TreeMap<>();
    for (var type : List.of(CellEvent.class, CellLabel.class, DeadLetter.class, DonorPrediction.class, ModelUpdate.class, QualityReport.class,
        RetrainRequest.class)) {
      java.put(type.getSimpleName(), AvroSerde.of(type).fingerprint());
    }
    Map<String, String> python = new java.util.TreeMap<>();
    interop("fingerprints").lines().map(l -> l.split(" ")).forEach(f -> python.put(f[0], f[1]));
    assertThat(python).isEqualTo(java);
  }

  @Test
  void cellsPublishedFromPythonAreScoredAndPythonReadsWhatJavaReads(TransformerTextEncoder encoder) throws Exception {
    Path cells = dir.resolve("cells.h5ad");
    H5adWriter.write(cells, ScoringFixtures.CELLS, Map.of());
    Path model = ScoringFixtures.train(dir.resolve("model"), "1", 1, encoder);
    int n = ScoringFixtures.CELLS.size();

    assertThat(interop("publish", KAFKA.bootstrap(), cells.toString(), ScoringFixtures.CELLS.embeddingKey(), "0.5")).isEqualTo(String.valueOf(n));
    KafkaEndpoint kafka = KafkaEndpoint.of(KAFKA.bootstrap());
    ScoringFixtures.scoreProjectTopics(kafka, model, "scoring-python-cells");

    assertThat(TopicReader.readAll(kafka, ProjectTopics.CELLS_DLQ, 30_000)).as("dead letters").isEmpty();
    Map<String, DonorPrediction> java = new HashMap<>();
    AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);
    TopicReader.readToEnd(kafka, ProjectTopics.PREDICTIONS, 60_000, r -> java.put(r.key(), serde.deserialize(r.value())));
    assertThat(java.keySet()).containsExactlyInAnyOrder(ScoringFixtures.CELLS.cellIds());

    Path csv = dir.resolve("python-predictions.csv");
    assertThat(interop("read", KAFKA.bootstrap(), String.valueOf(n), csv.toString())).isEqualTo(String.valueOf(n));
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows.get(0)).isEqualTo("cell_id,model_version,predicted_donor,confidence,unknown_donor,top2_donor,true_donor_id,sex");
    assertThat(rows).hasSize(n + 1);
    int labelled = 0;
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",", -1);
      DonorPrediction p = java.get(f[0]);
      assertThat(p).as("cell %s", f[0]).isNotNull();
      assertThat(f[1]).isEqualTo(p.getModelVersion());
      assertThat(f[2]).isEqualTo(p.getPredictedDonor());
      assertThat(Float.parseFloat(f[3])).isCloseTo(p.getConfidence(), within(0f));
      assertThat(Boolean.parseBoolean(f[4])).isEqualTo(p.getUnknownDonor());
      assertThat(f[5]).isEqualTo(p.getTopK().get(1).getDonorId());
      assertThat(f[6]).isEqualTo(p.getTrueDonorId() == null ? "" : p.getTrueDonorId());
      assertThat(f[7]).isEqualTo(p.getSex() == null ? "" : p.getSex());
      if (p.getTrueDonorId() != null) labelled++;
    }
    assertThat(labelled).as("labels on about half the cells").isBetween(n / 3, 2 * n / 3);
  }
}
