package io.donorstream.scoring;

import io.donorstream.artifact.Checksums;
import io.donorstream.data.CellTable;
import io.donorstream.flink.RawRecord;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.publish.CellEvents;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.transformer.TransformerTextEncoder;
import io.donorstream.train.TrainSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/** Small trained models and cells for operator tests (no broker, no cluster). */
public final class ScoringFixtures {
  public static final CellTable CELLS = SyntheticDataGenerator.generate(SyntheticSpec.generic(600, 4, 2, 8, "X_emb", 2.0, 1.5, 3), "ops").table();

  private ScoringFixtures() {}

  /**
   * Trains a tiny vanilla model as version {@code version} into {@code dir} with {@code encoder} (the
   * test's {@link io.donorstream.text.transformer.MiniLmEncoder}; not closed here).
   */
  public static Path train(Path dir, String version, long seed, TransformerTextEncoder encoder) {
    new TrainingPipeline(m -> {}).run(TrainRequest.of(CELLS, "vanilla", TrainSettings.defaults("vanilla", seed).withEpochs(2).withDevice("cpu"), dir, encoder).version(version).build());
    return dir;
  }

  /**
   * Announces {@code model} as champion on the project topics at {@code kafka} and runs a bounded
   * ScoringJob over what {@code cells} holds (on the test's MiniCluster, parallelism 2, checkpoints
   * every 500 ms).
   */
  public static void scoreProjectTopics(io.donorstream.kafka.KafkaEndpoint kafka, Path model, String name) throws Exception {
    io.donorstream.publish.ModelAnnouncer.announce(kafka, io.donorstream.kafka.ProjectTopics.MODEL_UPDATES, model,
        io.donorstream.schema.ModelRole.CHAMPION, null);
    var env = org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(500);
    KafkaScoringJob.onProjectTopics(kafka, name + "-" + java.util.UUID.randomUUID(), true)
        .job(new io.donorstream.config.ScoringOptions(new org.apache.flink.configuration.Configuration(), CELLS.width())).build(env);
    env.execute(name);
  }

  /** Cell {@code row} of the fixture table as its Kafka record, under id {@code id} (also the record key). */
  static RawRecord record(int row, String id) {
    return record(row, id, e -> {});
  }

  /** The same, with the event changed by {@code change} before it is encoded. */
  static RawRecord record(int row, String id, Consumer<CellEvent> change) {
    CellEvent e = CellEvents.of(CELLS, row, Instant.ofEpochMilli(1_000 + row), true);
    e.setCellId(id);
    change.accept(e);
    return new RawRecord(id.getBytes(StandardCharsets.UTF_8), AvroSerde.of(CellEvent.class).serialize(e), "cells", 0, row,
        e.getEventTime().toEpochMilli());
  }

  /** A model-update record announcing {@code artifact} as {@code version}, with its true SHA-256 unless {@code sha256} is given. */
  public static RawRecord update(String version, Path artifact, String sha256) {
    return update(version, artifact, sha256, io.donorstream.schema.ModelRole.CHAMPION);
  }

  public static RawRecord update(String version, Path artifact, String sha256, io.donorstream.schema.ModelRole role) {
    ModelUpdate u = ModelUpdate.newBuilder().setModelName("vanilla").setVersion(version).setArtifactUri(artifact.toUri().toString())
        .setSha256(sha256 != null ? sha256 : Checksums.sha256(artifact.resolve(Checksums.FILE))).setCreatedAt(Instant.now())
        .setMetrics(Map.of()).setRole(role).build();
    return new RawRecord(null, AvroSerde.of(ModelUpdate.class).serialize(u), "model-updates", 0, 0, 0);
  }
}
