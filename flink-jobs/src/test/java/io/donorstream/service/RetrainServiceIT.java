package io.donorstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.data.CellTable;
import io.donorstream.kafka.KafkaBrokerExtension;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.TopicReader;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.Stage;
import io.donorstream.retrain.Retrainer;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.transformer.TransformerTextEncoder;
import io.donorstream.train.TrainSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The retrain service on a real broker: a burst of requests, one candidate, promoted and announced on model-updates. */
class RetrainServiceIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  static final CellTable CELLS = SyntheticDataGenerator.generate(SyntheticSpec.generic(1600, 8, 3, 16, "X_emb", 4.0, 0.0, 11), "svc").table();
  @TempDir Path dir;

  @Test
  void aBurstOfRequestsTrainsOneCandidateThatIsPromotedAndAnnounced() throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    try (TransformerTextEncoder encoder = TransformerTextEncoder.miniLm(Path.of("target", "text-cache"))) {
      // The champion never saw the two largest donors; the archive (the other half of the cells) has all eight.
      registry.register("vanilla", null, null, null, "initial", d -> new TrainingPipeline(m -> {}).run(TrainRequest.of(
          CELLS.select(rows(0, "D04", "D05")), "vanilla", TrainSettings.defaults("vanilla", 1).withDevice("cpu"), d, encoder)
          .version(d.getFileName().toString()).build()));
      registry.move("vanilla", "1", Stage.CHAMPION, "initial");
      Path archive = archive(CELLS.select(rows(1)));
      for (int i = 0; i < 3; i++) request("drift #" + i);

      List<String> log = new ArrayList<>();
      try (RetrainService service = new RetrainService(KAFKA.bootstrap(), "retrain-test", ProjectTopics.RETRAIN_REQUESTS,
          ProjectTopics.MODEL_UPDATES, registry, archive, null, Retrainer.defaults("vanilla").promotingDirectly(), encoder, log::add)) {
        Retrainer.Result result = null;
        for (int i = 0; i < 10 && result == null; i++) result = service.pollOnce(2_000);
        assertThat(result).isNotNull();
        assertThat(result.passed()).as(result.decision()).isTrue();
        assertThat(service.pollOnce(1_000)).as("the burst was handled once and committed").isNull();
      }
      assertThat(registry.versions("vanilla")).as("one candidate for three requests").hasSize(2);
      assertThat(registry.champion("vanilla").version()).isEqualTo("2");
      assertThat(log).anyMatch(l -> l.contains("3 requests coalesced"));
      AvroSerde<ModelUpdate> us = AvroSerde.of(ModelUpdate.class);
      List<ModelUpdate> updates = new ArrayList<>();
      TopicReader.readToEnd(KAFKA.bootstrap(), ProjectTopics.MODEL_UPDATES, 30_000, r -> updates.add(us.deserialize(r.value())));
      assertThat(updates).singleElement().satisfies(u -> {
        assertThat(u.getVersion()).isEqualTo("2");
        assertThat(Path.of(java.net.URI.create(u.getArtifactUri()))).isEqualTo(registry.dir("vanilla", "2").toAbsolutePath());
      });
    }
  }

  static int[] rows(int parity, String... without) {
    List<String> skip = List.of(without);
    List<Integer> rows = new ArrayList<>();
    for (int i = parity; i < CELLS.size(); i += 2) if (!skip.contains(CELLS.donorIds()[i])) rows.add(i);
    return rows.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The cells as the monitor archives them: labelled CellEvents, one second apart. */
  Path archive(CellTable t) throws IOException {
    Path file = dir.resolve("archive/day=1970-01-01/cells-0.avro");
    Files.createDirectories(file.getParent());
    try (DataFileWriter<CellEvent> out = new DataFileWriter<>(new SpecificDatumWriter<>(CellEvent.class))) {
      out.create(CellEvent.getClassSchema(), file.toFile());
      for (int i = 0; i < t.size(); i++) {
        List<Float> v = new ArrayList<>();
        for (float x : t.row(i)) v.add(x);
        out.append(CellEvent.newBuilder().setCellId(t.cellIds()[i]).setDatasetId("d").setEventTime(Instant.ofEpochMilli(1_000L * i))
            .setEmbedding(v).setEmbeddingKey(t.embeddingKey()).setCellType(t.cellTypes()[i]).setCellTypeOntologyId(null)
            .setDonorId(t.donorIds()[i]).setSex(t.sexes()[i]).build());
      }
    }
    return dir.resolve("archive");
  }

  static void request(String reason) throws Exception {
    RetrainRequest r = RetrainRequest.newBuilder().setRequestId(reason).setRequestedAt(Instant.now()).setReason(reason).setModelName("vanilla")
        .setModelVersion("1").setMetrics(Map.of()).setDataFrom(null).setDataTo(null).build();
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", KAFKA.bootstrap(),
        "key.serializer", StringSerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName()))) {
      p.send(new ProducerRecord<>(ProjectTopics.RETRAIN_REQUESTS, "vanilla", AvroSerde.of(RetrainRequest.class).serialize(r))).get();
    }
  }
}
