package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.donorstream.artifact.Checksums;
import io.donorstream.config.ScoringOptions;
import io.donorstream.data.CellTable;
import io.donorstream.data.CellTableReader;
import io.donorstream.data.H5adReadOptions;
import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.RawRecordDeserializer;
import io.donorstream.kafka.KafkaBrokerExtension;
import io.donorstream.kafka.TopicReader;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.publish.CellEvents;
import io.donorstream.publish.CellPublisher;
import io.donorstream.publish.PublishOptions;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.CellLabel;
import io.donorstream.schema.DeadLetter;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.servable.CellScore;
import io.donorstream.servable.DonorScorer;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import io.donorstream.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ScoringJob on a real MiniCluster (RocksDB, checkpoints) against a real KRaft broker. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@ExtendWith(MiniLmEncoder.class)
public class ScoringJobIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  @TempDir static Path dir;

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(flinkConfig()).build());

  static CellTable cells;
  static Path model;

  /** The suite's MiniCluster: RocksDB, checkpoints every 500 ms. */
  public static Configuration flinkConfig() {
    Configuration c = new Configuration();
    c.setString("state.backend.type", "rocksdb");
    c.setString("execution.checkpointing.dir", Path.of("target", "checkpoints").toAbsolutePath().toUri().toString());
    c.setString("execution.checkpointing.interval", "500 ms");
    return c;
  }

  @BeforeAll
  static void trainModel(TransformerTextEncoder encoder) {
    Path onek1k = Path.of("..", "..", "shared", "data", "onek1k", "onek1k-a.h5ad").toAbsolutePath().normalize();
    cells = Files.exists(onek1k)
        ? CellTableReader.read(onek1k, H5adReadOptions.of("X_pca"))
        : SyntheticDataGenerator.generate(SyntheticSpec.generic(3000, 8, 4, 50, "X_pca", 2.0, 1.5, 3), "synthetic").table();
    model = dir.resolve("vanilla-1");
    new TrainingPipeline(m -> {}).run(TrainRequest.of(cells, "vanilla", TrainSettings.defaults("vanilla", 1).withEpochs(5).withDevice("cpu"), model, encoder).build());
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void everyCellGetsExactlyOnePredictionEqualToTheScorersOwn() throws Exception {
    Topics t = Topics.create("all");
    CellPublisher.publish(cells, new PublishOptions(KAFKA.bootstrap(), t.cells, 0, 1.0, 0, false, 1, false));
    announce(t.updates, "1", model);

    runBounded(t);

    Map<String, DonorPrediction> byId = new HashMap<>();
    AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);
    TopicReader.readToEnd(KAFKA.bootstrap(), t.predictions, 60_000, r -> {
      DonorPrediction p = serde.deserialize(r.value());
      assertThat(byId.put(p.getCellId(), p)).as("duplicate prediction for %s", p.getCellId()).isNull();
    });
    assertThat(byId).hasSize(cells.size());
    assertThat(TopicReader.readAll(KAFKA.bootstrap(), t.deadLetters, 30_000)).isEmpty();
    try (DonorScorer scorer = DonorScorer.load(model)) {
      List<CellScore> expected = scorer.score(cells.embedding(), cells.cellTypes(), 3);
      for (int i = 0; i < cells.size(); i++) {
        DonorPrediction p = byId.get(cells.cellIds()[i]);
        CellScore s = expected.get(i);
        assertThat(p.getModelVersion()).isEqualTo("1");
        assertThat(p.getPredictedDonor()).as("cell %s", p.getCellId()).isEqualTo(s.predictedDonor());
        assertThat(p.getConfidence()).isCloseTo(s.confidence(), within(1e-5f));
        assertThat(p.getTopK().get(1).getDonorId()).isEqualTo(s.topDonors()[1]);
        assertThat(p.getLatent()).hasSize(s.latent().length);
        assertThat(p.getTrueDonorId()).isEqualTo(cells.donorIds()[i]);
      }
    }
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void badRecordsGoToDeadLettersWithTheirReasonAndGoodOnesAreScored() throws Exception {
    Topics t = Topics.create("hostile");
    int good = 300;
    CellPublisher.publish(cells, new PublishOptions(KAFKA.bootstrap(), t.cells, 0, 1.0, good, false, 1, false));
    Map<String, String> expectedReason = new HashMap<>();
    AvroSerde<CellEvent> serde = AvroSerde.of(CellEvent.class);
    byte[] valid = serde.serialize(CellEvents.of(cells, 0, Instant.now(), true));
    List<byte[]> bad = new ArrayList<>();
    bad.add("not avro at all".getBytes());
    expectedReason.put("corrupt-0", DeadLetters.CORRUPT);
    bad.add(java.util.Arrays.copyOf(valid, valid.length - 7));
    expectedReason.put("truncated-1", DeadLetters.TRUNCATED);
    bad.add(AvroSerde.of(CellLabel.class).serialize(CellLabel.newBuilder().setCellId("x").setDatasetId("d").setEventTime(Instant.now())
        .setDonorId("D").build()));
    expectedReason.put("foreign-2", DeadLetters.FOREIGN_SCHEMA);
    CellEvent nan = CellEvents.of(cells, 1, Instant.now(), true);
    nan.getEmbedding().set(3, Float.NaN);
    nan.setCellId("nan-cell");
    bad.add(serde.serialize(nan));
    expectedReason.put("nan-3", DeadLetters.NON_FINITE);
    CellEvent narrow = CellEvents.of(cells, 2, Instant.now(), true);
    narrow.setEmbedding(narrow.getEmbedding().subList(0, 10));
    narrow.setCellId("narrow-cell");
    bad.add(serde.serialize(narrow));
    expectedReason.put("narrow-4", DeadLetters.WRONG_WIDTH);
    bad.add(new byte[10 << 20]);
    expectedReason.put("huge-5", DeadLetters.OVERSIZED);
    CellEvent alien = CellEvents.of(cells, 3, Instant.now(), true);
    alien.setCellType("hepatocyte");
    alien.setCellId("alien-6");
    bad.add(serde.serialize(alien));
    expectedReason.put("alien-6", DeadLetters.UNKNOWN_CELL_TYPE);
    bad.add(new byte[0]);
    expectedReason.put("empty-7", DeadLetters.EMPTY);
    bad.add(valid);
    // The first good cell again, under its own id: a repeat.
    String firstId = cells.cellIds()[0];
    expectedReason.put(firstId, DeadLetters.DUPLICATE);
    bad.add(serde.serialize(CellEvents.of(cells, 1, Instant.now(), true)));
    expectedReason.put("not-its-id-9", DeadLetters.KEY_MISMATCH);
    CellEvent noId = CellEvents.of(cells, 4, Instant.now(), true);
    noId.setCellId("");
    bad.add(serde.serialize(noId));
    expectedReason.put("", DeadLetters.MISSING_CELL_ID);
    String longId = "x".repeat(100_000);
    CellEvent longIdCell = CellEvents.of(cells, 5, Instant.now(), true);
    longIdCell.setCellId(longId);
    bad.add(serde.serialize(longIdCell));
    expectedReason.put(longId, DeadLetters.OVERSIZED_CELL_ID);
    CellEvent overflow = CellEvents.of(cells, 6, Instant.now(), true);
    overflow.getEmbedding().replaceAll(x -> 3e38f);
    overflow.setCellId("overflow-12");
    bad.add(serde.serialize(overflow));
    expectedReason.put("overflow-12", DeadLetters.OUT_OF_RANGE);
    List<String> keys = List.of("corrupt-0", "truncated-1", "foreign-2", "nan-3", "narrow-4", "huge-5", "alien-6", "empty-7", firstId,
        "not-its-id-9", "", longId, "overflow-12");
    try (KafkaProducer<String, byte[]> p = producer()) {
      for (int i = 0; i < bad.size(); i++) p.send(new ProducerRecord<>(t.cells, keys.get(i), bad.get(i))).get();
    }
    announce(t.updates, "1", model);

    runBounded(t);

    List<DonorPrediction> predictions = new ArrayList<>();
    AvroSerde<DonorPrediction> ps = AvroSerde.of(DonorPrediction.class);
    TopicReader.readToEnd(KAFKA.bootstrap(), t.predictions, 60_000, r -> predictions.add(ps.deserialize(r.value())));
    Map<String, String> reasons = new HashMap<>();
    AvroSerde<DeadLetter> ds = AvroSerde.of(DeadLetter.class);
    TopicReader.readToEnd(KAFKA.bootstrap(), t.deadLetters, 60_000, r -> {
      DeadLetter d = ds.deserialize(r.value());
      reasons.put(new String(r.key()), d.getReason());
      assertThat(d.getSourceTopic()).isEqualTo(t.cells);
      assertThat(d.getSourceOffset()).isNotNegative();
    });
    assertThat(reasons).isEqualTo(expectedReason);
    assertThat(predictions).hasSize(good);
    assertThat(predictions).allSatisfy(p -> {
      assertThat(p.getCellId()).isNotBlank();
      assertThat(p.getConfidence()).isBetween(0f, 1f);
    });
    assertThat(predictions.size() + reasons.size()).as("in = predictions + dead letters").isEqualTo(good + bad.size());
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void aFailureMidStreamLosesAndDuplicatesNothing() throws Exception {
    Topics t = Topics.create("failure");
    CellPublisher.publish(cells, new PublishOptions(KAFKA.bootstrap(), t.cells, 0, 1.0, 0, false, 1, false));
    announce(t.updates, "1", model);

    runBounded(t, new FailOnceDeserializer(cells.size() / 2));

    assertThat(FailOnceDeserializer.FAILED).as("the failure happened").isTrue();
    Map<String, Integer> seen = new HashMap<>();
    // A transaction the failed attempt left open hides later committed records from read_committed
    // readers until the broker aborts it (transaction timeout 60 s): wait for that, then count.
    Eventually.await("all predictions visible", 150_000, () -> {
      seen.clear();
      TopicReader.readToEnd(KAFKA.bootstrap(), t.predictions, 60_000, r -> seen.merge(new String(r.key()), 1, Integer::sum));
      return seen.size() >= cells.size();
    });
    assertThat(seen).hasSize(cells.size());
    assertThat(seen.values()).allMatch(n -> n == 1);
  }

  private static void runBounded(Topics t) throws Exception {
    runBounded(t, new RawRecordDeserializer());
  }

  private static void runBounded(Topics t, RawRecordDeserializer deserializer) throws Exception {
    Configuration envConfig = new Configuration();
    envConfig.setString("restart-strategy.type", "fixed-delay");
    envConfig.setString("restart-strategy.fixed-delay.attempts", "3");
    envConfig.setString("restart-strategy.fixed-delay.delay", "200 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(envConfig);
    env.setParallelism(2);
    env.enableCheckpointing(500);
    Configuration c = new Configuration();
    c.set(ScoringOptions.BATCH_SIZE, 128);
    t.on(KAFKA, "scoring-" + t.cells + "-" + UUID.randomUUID(), true).job(new ScoringOptions(c, cells.width()), deserializer).build(env);
    env.execute("scoring-" + t.cells);
  }

  static void announce(String topic, String version, Path artifact) throws Exception {
    announce(KAFKA, topic, version, artifact);
  }

  public static void announce(KafkaBrokerExtension kafka, String topic, String version, Path artifact) throws Exception {
    ModelUpdate u = ModelUpdate.newBuilder().setModelName("vanilla").setVersion(version).setArtifactUri(artifact.toUri().toString())
        .setSha256(Checksums.sha256(artifact.resolve(Checksums.FILE))).setCreatedAt(Instant.now()).setMetrics(Map.of()).build();
    try (KafkaProducer<String, byte[]> p = producer(kafka)) {
      p.send(new ProducerRecord<>(topic, version, AvroSerde.of(ModelUpdate.class).serialize(u))).get();
    }
  }

  static KafkaProducer<String, byte[]> producer() {
    return producer(KAFKA);
  }

  static KafkaProducer<String, byte[]> producer(KafkaBrokerExtension kafka) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrap());
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("max.request.size", String.valueOf(32 << 20));
    return new KafkaProducer<>(p);
  }

  public record Topics(String cells, String updates, String predictions, String deadLetters) {
    /** The ScoringJob on these topics, through the same wiring as every other caller. */
    public KafkaScoringJob on(KafkaBrokerExtension kafka, String groupId, boolean bounded) {
      return new KafkaScoringJob(io.donorstream.kafka.KafkaEndpoint.of(kafka.bootstrap()), groupId, bounded, cells, updates, predictions, deadLetters);
    }

    static Topics create(String name) {
      return create(KAFKA, name);
    }

    public static Topics create(KafkaBrokerExtension kafka, String name) {
      Topics t = new Topics(name + "-cells", name + "-updates", name + "-predictions", name + "-dlq");
      kafka.broker().createTopics(List.of(new NewTopic(t.cells, 2, (short) 1), new NewTopic(t.updates, 1, (short) 1),
          new NewTopic(t.predictions, 2, (short) 1), new NewTopic(t.deadLetters, 1, (short) 1)));
      return t;
    }
  }
}
