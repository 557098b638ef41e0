package io.donorstream.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.data.CellTable;
import io.donorstream.kafka.LocalKafkaBroker;
import io.donorstream.kafka.ModelAnnouncer;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.TopicReader;
import io.donorstream.registry.Decision;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.Stage;
import io.donorstream.retrain.Retrainer;
import io.donorstream.schema.ModelRole;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.service.PromotionRule;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop in-process with every real part: a KRaft broker, the ScoringJob and the
 * MonitoringJob on one local Flink cluster (RocksDB, checkpoints, the Prometheus reporter, scraped
 * over HTTP), the retrain service training with DJL; small synthetic data.
 */
class ClosedLoopIT {
  static final CellTable CELLS = SyntheticDataGenerator.generate(SyntheticSpec.generic(4000, 12, 4, 16, "X_emb", 2.5, 1.0, 5), "loop").table();
  static TransformerTextEncoder encoder;
  @TempDir Path dir;

  @BeforeAll
  static void encoder() {
    encoder = TransformerTextEncoder.miniLm(Path.of("target", "text-cache"));
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  @Test
  void aDriftIsRetrainedShadowedPromotedAndSwappedWithoutARestart() throws Exception {
    LoopDemo.Options options = new LoopDemo.Options(400, 500, 200, 150, 2, "0", "9460-9479", 240, false, 10_000);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    LoopResult r;
    try (PrintStream out = new PrintStream(new TeeStream(printed), true, StandardCharsets.UTF_8)) {
      r = LoopDemo.run(CELLS, dir, encoder, options, out);
    }
    assertThat(r.closed()).as(r.summaryLine() + " " + r.problem()).isTrue();
    assertThat(r.accuracyAfterSwap()).as("accuracy recovers").isGreaterThan(r.accuracyDuringDrift() + 0.3);
    assertThat(r.shadowPredictions()).as("the candidate answered in shadow first").isPositive();
    assertThat(r.servedVersionBefore()).as("modelVersion gauge before the drift").isEqualTo(1.0);
    assertThat(r.servedVersionAfter()).as("modelVersion gauge at the end").isEqualTo(Double.parseDouble(r.finalVersion())).isGreaterThan(1.0);
    assertThat(r.scoringRestarts()).as("the ScoringJob swapped without a restart").isEqualTo(0.0);

    ModelRegistry registry = new ModelRegistry(dir.resolve("loop/models"));
    List<Stage> path = registry.version(LoopDemo.MODEL, "2").decisions().stream().map(Decision::to).toList();
    assertThat(path).startsWith(Stage.CANDIDATE, Stage.SHADOW, Stage.CHAMPION);
    assertThat(registry.version(LoopDemo.MODEL, "1").stage()).isEqualTo(Stage.RETIRED);
    assertThat(Files.readString(dir.resolve("loop").resolve(LoopReport.MARKDOWN))).contains("promoted from shadow", r.summaryLine());
    assertThat(Files.size(dir.resolve("loop").resolve(LoopReport.PNG))).isPositive();
    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(lines.size() - 1)).as("the summary is the last line").isEqualTo(r.summaryLine());
  }

  @Test
  void aWorseCandidateIsRetiredFromShadowAndTheChampionStays() throws Exception {
    // The champion learns from 3,000 cells; the candidate from the few hundred archived when it is asked
    // for. The holdout gate is opened (margin -1) so that the live comparison is what judges it.
    int[] rows = IntStream.range(0, CELLS.size()).toArray();
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    CellTable training = CELLS.select(Arrays.copyOfRange(rows, 0, 3000));
    LoopDemo.firstChampion(registry, training, encoder, "initial");
    int[] stream = Arrays.copyOfRange(rows, 3000, rows.length);
    Path kafkaDir = Files.createDirectories(dir.resolve("kafka"));
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(kafkaDir, 0)) {
      String bootstrap = broker.bootstrap();
      broker.createTopics(ProjectTopics.all(2));
      ClosedLoop.Settings settings = new ClosedLoop.Settings(2, 1_000, "0", "9480-9499", LoopDemo.monitorConfig(), 1_000,
          new Retrainer(LoopDemo.MODEL, 0.2, -1.0, 0.02, true), new PromotionRule(150, 0.01, 0.02), null);
      List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
      try (LoopObserver observer = new LoopObserver(bootstrap);
          ClosedLoop loop = ClosedLoop.start(bootstrap, dir, registry, CELLS.width(), encoder, settings, log::add)) {
        ModelAnnouncer.announce(bootstrap, ProjectTopics.MODEL_UPDATES, registry.dir(LoopDemo.MODEL, "1"));
        LoopPublisher publisher = new LoopPublisher(bootstrap, CELLS, 200, observer, () -> {});
        publisher.publish(Arrays.copyOf(stream, 300), Phase.BEFORE_DRIFT);
        requestRetraining(bootstrap);
        publisher.cycle(stream, Phase.AFTER_SWAP, () -> registry.versions(LoopDemo.MODEL).stream()
            .anyMatch(v -> v.version().equals("2") && v.stage() == Stage.RETIRED), 200L * 180);

        assertThat(registry.versions(LoopDemo.MODEL)).as(String.join("\n", log)).hasSize(2);
        List<Decision> decisions = registry.version(LoopDemo.MODEL, "2").decisions();
        assertThat(decisions.stream().map(Decision::to).toList()).as(String.join("\n", log))
            .containsExactly(Stage.CANDIDATE, Stage.SHADOW, Stage.RETIRED);
        assertThat(decisions.get(2).reason()).startsWith("retired from shadow: not better with confidence");
        assertThat(registry.champion(LoopDemo.MODEL).version()).isEqualTo("1");
        String job = loop.scoringJob().getJobID().toString();
        double shadowGauge = Double.NaN;
        for (int i = 0; i < 60 && shadowGauge != -1.0; i++) {
          PrometheusScrape s = PrometheusScrape.of("9480-9499", job);
          shadowGauge = s == null ? Double.NaN : s.values("flink_taskmanager_job_task_operator_donorstream_shadowModelVersion", job).stream()
              .mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
          if (shadowGauge != -1.0) Thread.sleep(500); // the scrape is a poll of a live system
        }
        assertThat(shadowGauge).as("every scoring subtask dropped the retired shadow").isEqualTo(-1.0);
        assertThat(observer.shadowPredictions()).as("the candidate answered in shadow").isPositive();
        assertThat(observer.firstAnswers()).as("consumers of predictions only ever saw the champion").containsOnlyKeys("1");
      }
      AvroSerde<ModelUpdate> updates = AvroSerde.of(ModelUpdate.class);
      List<String> announced = new ArrayList<>();
      TopicReader.readToEnd(bootstrap, ProjectTopics.MODEL_UPDATES, 30_000, rec -> {
        ModelUpdate u = updates.deserialize(rec.value());
        announced.add(u.getVersion() + " " + u.getRole());
      });
      // The monitor may ask again once v2 is gone (it still sees the drift), so a v3 may follow: v2 itself never comes back.
      assertThat(announced).startsWith("1 " + ModelRole.CHAMPION, "2 " + ModelRole.SHADOW, "2 " + ModelRole.RETIRED);
      assertThat(announced.subList(3, announced.size())).noneMatch(a -> a.startsWith("1 ") || a.startsWith("2 "));
    } finally {
      LocalKafkaBroker.deleteData(kafkaDir);
    }
  }

  private static void requestRetraining(String bootstrap) throws Exception {
    RetrainRequest r = RetrainRequest.newBuilder().setRequestId("by-hand").setRequestedAt(Instant.now()).setReason("asked by a person")
        .setModelName(LoopDemo.MODEL).setModelVersion("1").setMetrics(Map.of()).setDataFrom(null).setDataTo(null).build();
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "key.serializer",
        StringSerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName()))) {
      p.send(new ProducerRecord<>(ProjectTopics.RETRAIN_REQUESTS, LoopDemo.MODEL, AvroSerde.of(RetrainRequest.class).serialize(r))).get();
    }
  }

  /** Keeps what the demo prints and shows it in the test log too. */
  private static final class TeeStream extends java.io.OutputStream {
    private final ByteArrayOutputStream copy;

    TeeStream(ByteArrayOutputStream copy) {
      this.copy = copy;
    }

    @Override
    public void write(int b) {
      copy.write(b);
      System.out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      copy.write(b, off, len);
      System.out.write(b, off, len);
    }
  }
}
