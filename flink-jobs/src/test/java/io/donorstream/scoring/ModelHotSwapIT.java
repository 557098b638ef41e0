package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.config.ScoringOptions;
import io.donorstream.data.CellTable;
import io.donorstream.kafka.KafkaBrokerExtension;
import io.donorstream.kafka.TopicReader;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.publish.CellPublisher;
import io.donorstream.publish.PublishOptions;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import io.donorstream.train.TrainSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running job swaps v1 → v2 mid-stream without losing a record, refuses a tampered v3 and keeps
 * serving v2; the Prometheus endpoint shows the donorstream metrics, the version gauge moving.
 */
@ExtendWith(MiniLmEncoder.class)
class ModelHotSwapIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  @TempDir static Path dir;
  static final int PROM_PORT = freePort();

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).setConfiguration(flinkConfig()).build());

  static CellTable cells;
  static Path v1;
  static Path v2;

  static Configuration flinkConfig() {
    Configuration c = new Configuration();
    c.setString("state.backend.type", "rocksdb");
    c.setString("execution.checkpointing.dir", Path.of("target", "checkpoints-swap").toAbsolutePath().toUri().toString());
    c.setString("execution.checkpointing.interval", "300 ms");
    c.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    c.setString("metrics.reporter.prom.port", String.valueOf(PROM_PORT));
    return c;
  }

  @BeforeAll
  static void trainTwoVersions(TransformerTextEncoder encoder) {
    cells = SyntheticDataGenerator.generate(SyntheticSpec.generic(2400, 6, 3, 24, "X_emb", 2.0, 1.5, 5), "swap").table();
    v1 = dir.resolve("v1");
    v2 = dir.resolve("v2");
    for (Object[] v : new Object[][] {{v1, "1", 1L}, {v2, "2", 2L}}) {
      new TrainingPipeline(m -> {}).run(TrainRequest.of(cells, "vanilla", TrainSettings.defaults("vanilla", (Long) v[2]).withEpochs(3).withDevice("cpu"), (Path) v[0], encoder).version((String) v[1]).build());
    }
  }

  @Test
  void swapsModelsWithoutLosingRecordsAndRefusesATamperedOne() throws Exception {
    ScoringJobIT.Topics t = ScoringJobIT.Topics.create(KAFKA, "swap");
    ScoringJobIT.announce(KAFKA, t.updates(), "1", v1);
    publish(t, 0, 600);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(300);
    Configuration c = new Configuration();
    c.set(ScoringOptions.BATCH_SIZE, 64);
    t.on(KAFKA, "swap-" + UUID.randomUUID(), false).job(new ScoringOptions(c, cells.width())).build(env);
    JobClient job = env.executeAsync("hot-swap");
    try {
      try {
        Eventually.await("600 predictions from v1", 90_000, () -> predictions(t).size() == 600);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; job " + job.getJobStatus().get() + ", predictions " + predictions(t).size()
            + ", dead letters " + TopicReader.readAll(KAFKA.bootstrap(), t.deadLetters(), 10_000).size() + ", cells "
            + TopicReader.readAll(KAFKA.bootstrap(), t.cells(), 10_000).size() + ", metrics:\n"
            + scrape().lines().filter(l -> l.contains("donorstream")).limit(20).reduce("", (a, b) -> a + b + "\n"));
      }
      Eventually.await("modelVersion gauge at 1", 30_000, () -> metric("donorstream_modelVersion") == 1.0);
      assertThat(scrape()).contains("donorstream_recordsIn", "donorstream_recordsOut", "donorstream_scoringLatencyMs",
          "donorstream_batchSize", "donorstream_endToEndLatencyMs");

      ScoringJobIT.announce(KAFKA, t.updates(), "2", v2);
      int[] next = {600};
      Eventually.await("a prediction from v2", 90_000, () -> {
        publish(t, next[0], 20);
        next[0] += 20;
        return predictions(t).values().stream().anyMatch(p -> p.getModelVersion().equals("2"));
      });
      int afterSwap = next[0];
      Eventually.await("modelVersion gauge at 2", 30_000, () -> metric("donorstream_modelVersion") == 2.0);

      Path v3 = tampered(v2);
      ScoringJobIT.announce(KAFKA, t.updates(), "3", v3);
      Eventually.await("v3 refused", 30_000, () -> metric("donorstream_modelRejections") >= 1.0);
      publish(t, afterSwap, 300);
      int total = afterSwap + 300;
      Eventually.await(total + " predictions", 90_000, () -> predictions(t).size() == total);

      Map<String, DonorPrediction> byId = predictions(t);
      for (int i = 0; i < total; i++) {
        DonorPrediction p = byId.get(cells.cellIds()[i]);
        assertThat(p).as("prediction for cell %d", i).isNotNull();
        if (i < 600) assertThat(p.getModelVersion()).as("before the swap").isEqualTo("1");
        if (i >= afterSwap) assertThat(p.getModelVersion()).as("after the swap, v3 refused").isEqualTo("2");
      }
      assertThat(metric("donorstream_modelVersion")).isEqualTo(2.0);
    } finally {
      job.cancel().get();
    }
  }

  private static Path tampered(Path original) throws IOException {
    Path copy = Files.createDirectories(dir.resolve("v3"));
    try (var files = Files.list(original)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, copy.resolve(f.getFileName()));
    }
    Path params = copy.resolve("donor-model-0000.params");
    byte[] b = Files.readAllBytes(params);
    b[b.length - 10] ^= 0x7f;
    Files.write(params, b);
    return copy;
  }

  private static void publish(ScoringJobIT.Topics t, int from, int count) {
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) rows[i] = from + i;
    CellPublisher.publish(cells.select(rows), new PublishOptions(KAFKA.bootstrap(), t.cells(), 0, 1.0, 0, false, 1, false));
  }

  private static Map<String, DonorPrediction> predictions(ScoringJobIT.Topics t) {
    Map<String, DonorPrediction> byId = new HashMap<>();
    AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);
    TopicReader.readToEnd(KAFKA.bootstrap(), t.predictions(), 30_000, r -> {
      DonorPrediction p = serde.deserialize(r.value());
      if (byId.put(p.getCellId(), p) != null) throw new AssertionError("duplicate prediction for " + p.getCellId());
    });
    return byId;
  }

  /** The value of the first sample of a metric on the job's Prometheus endpoint, or NaN. */
  private static double metric(String name) {
    Matcher m = Pattern.compile("^flink_taskmanager_job_task_operator_" + name + "\\{[^}]*} ([-0-9.eE+]+)$", Pattern.MULTILINE)
        .matcher(scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static String scrape() {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PROM_PORT + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
