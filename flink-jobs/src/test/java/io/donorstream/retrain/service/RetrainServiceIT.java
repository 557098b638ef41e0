package io.donorstream.retrain.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.data.CellTable;
import io.donorstream.kafka.KafkaBrokerExtension;
import io.donorstream.kafka.KafkaEndpoint;
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
import io.donorstream.text.transformer.MiniLmEncoder;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The retrain service on a real broker: a burst of requests, one candidate, promoted and announced on model-updates. */
@ExtendWith(MiniLmEncoder.class)
class RetrainServiceIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  static final CellTable CELLS = SyntheticDataGenerator.generate(SyntheticSpec.generic(1600, 8, 3, 16, "X_emb", 4.0, 0.0, 11), "svc").table();
  @TempDir Path dir;

  @Test
  void aBurstOfRequestsTrainsOneCandidateThatIsPromotedAndAnnounced(TransformerTextEncoder encoder) throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    Path archive = championWithoutTwoDonors(registry, encoder);
    for (int i = 0; i < 3; i++) request("drift #" + i);

    List<String> log = new ArrayList<>();
    try (RetrainService service = new RetrainService(KafkaEndpoint.of(KAFKA.bootstrap()), "retrain-test", ProjectTopics.RETRAIN_REQUESTS,
        ProjectTopics.MODEL_UPDATES, registry, archive, null, Retrainer.defaults("vanilla").promotingDirectly(), encoder, log::add)) {
      Retrainer.Result result = null;
      for (int i = 0; i < 10 && result == null; i++) result = service.pollOnce(2_000);
      assertThat(result).isNotNull();
      assertThat(result.passed()).as(result.decision()).isTrue();
      assertThat(service.pollOnce(1_000)).as("the burst was handled once and committed").isNull();
    }
    assertThat(registry.versions("vanilla")).as("one candidate for three requests").hasSize(2);
    assertThat(registry.champion("vanilla").version()).isEqualTo("2");
    // Three here (the other test's request may be on the topic too).
    assertThat(log).anyMatch(l -> l.contains("3 requests coalesced") || l.contains("4 requests coalesced"));
    AvroSerde<ModelUpdate> us = AvroSerde.of(ModelUpdate.class);
    List<ModelUpdate> updates = new ArrayList<>();
    TopicReader.readToEnd(KAFKA.bootstrap(), ProjectTopics.MODEL_UPDATES, 30_000, r -> updates.add(us.deserialize(r.value())));
    Path ours = registry.root().toAbsolutePath();
    assertThat(updates.stream().filter(u -> Path.of(java.net.URI.create(u.getArtifactUri())).startsWith(ours))).singleElement().satisfies(u -> {
      assertThat(u.getVersion()).isEqualTo("2");
      assertThat(Path.of(java.net.URI.create(u.getArtifactUri()))).isEqualTo(registry.dir("vanilla", "2").toAbsolutePath());
    });
  }

  @Test
  void aServiceKilledMidTrainingLeavesNoHalfVersionAndItsRequestIsRetrainedAfterARestart(TransformerTextEncoder encoder) throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    Path archive = championWithoutTwoDonors(registry, encoder);
    request("drift before the crash");

    // The service in a JVM of its own, killed (SIGKILL) as soon as it reports a training epoch.
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-agentlib")).toList());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.donorstream.cli.Donorstream", "retrain-service", "--bootstrap",
        KAFKA.bootstrap(), "--registry", dir.resolve("models").toString(), "--archive", archive.toString(), "--group-id", "retrain-crash",
        "--settle-seconds", "0", "--once", "--promote-directly"));
    Process service = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> seen = new ArrayList<>();
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(service.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        seen.add(line);
        if (line.contains("classify epoch")) {
          service.destroyForcibly();
          break;
        }
      }
    }
    assertThat(service.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(seen).as("killed mid-training").anyMatch(l -> l.contains("classify epoch"));

    ModelRegistry after = new ModelRegistry(dir.resolve("models"));
    assertThat(after.versions("vanilla")).as("the registry reads as before the crash").singleElement()
        .satisfies(v -> assertThat(v.stage()).isEqualTo(Stage.CHAMPION));
    try (var left = Files.list(dir.resolve("models/vanilla"))) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no half version in sight: at most a hidden staging folder")
          .allMatch(n -> n.equals("1") || n.equals(ModelRegistry.FILE) || n.startsWith("."));
    }

    // Restarted, the service gets the request again (it was never committed) and finishes the job.
    try (RetrainService restarted = new RetrainService(KafkaEndpoint.of(KAFKA.bootstrap()), "retrain-crash", ProjectTopics.RETRAIN_REQUESTS,
        ProjectTopics.MODEL_UPDATES, after, archive, null, Retrainer.defaults("vanilla").promotingDirectly(), encoder, m -> {})) {
      // Its partition comes back once the group gives up on the killed member (its session times out).
      Retrainer.Result result = null;
      long deadline = System.currentTimeMillis() + 120_000;
      while (result == null && System.currentTimeMillis() < deadline) result = restarted.pollOnce(2_000);
      assertThat(result).as("the request was redelivered").isNotNull();
      assertThat(result.candidate().version()).isEqualTo("2");
    }
    assertThat(after.versions("vanilla")).hasSize(2);
  }

  /**
   * The champion never saw the two largest donors; the archive it is retrained on (the other half of
   * the cells) has all eight. Returns the archive.
   */
  Path championWithoutTwoDonors(ModelRegistry registry, TransformerTextEncoder encoder) throws IOException {
    registry.register("vanilla", null, null, null, "initial", d -> new TrainingPipeline(m -> {}).run(TrainRequest.of(
        CELLS.select(rows(0, "D04", "D05")), "vanilla", TrainSettings.defaults("vanilla", 1).withDevice("cpu"), d, encoder)
        .version(d.getFileName().toString()).build()));
    registry.move("vanilla", "1", Stage.CHAMPION, "initial");
    return archive(CELLS.select(rows(1)));
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
