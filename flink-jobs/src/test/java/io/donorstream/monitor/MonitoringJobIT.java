package io.donorstream.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.config.MonitorOptions;
import io.donorstream.config.ScoringOptions;
import io.donorstream.data.CellTable;
import io.donorstream.data.CellTableReader;
import io.donorstream.data.H5adReadOptions;
import io.donorstream.data.Shuffle;
import io.donorstream.kafka.KafkaBrokerExtension;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.TopicReader;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.publish.CellPublisher;
import io.donorstream.publish.PublishOptions;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.CellLabel;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.scoring.ScoringJobIT;
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
import java.util.SplittableRandom;
import java.util.TreeSet;
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

/**
 * ScoringJob then MonitoringJob on a real broker and MiniCluster (RocksDB, checkpoints), default
 * monitor settings: a model trained without four donors; the stream switches to those donors at
 * cell K → a retrain request naming the drift soon after K; the same stream without the switch → none.
 * Half the labels travel in the cells, half arrive later on {@code labels}; the training archive
 * must hold every cell, labelled, readable as {@code train --data} reads it.
 */
@ExtendWith(MiniLmEncoder.class)
class MonitoringJobIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  @TempDir static Path dir;

  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(ScoringJobIT.flinkConfig()).build());

  static final int K = 2000;
  static CellTable cells;
  static Path model;
  static int[] known;
  static int[] unseen;


  @BeforeAll
  static void trainWithoutFourDonors(TransformerTextEncoder encoder) {
    Path onek1k = Path.of("..", "..", "shared", "data", "onek1k", "onek1k-a.h5ad").toAbsolutePath().normalize();
    cells = Files.exists(onek1k)
        ? CellTableReader.read(onek1k, H5adReadOptions.of("X_pca"))
        // Without a sex signal: this test is about drift, and a model trained on a planted shared sex
        // signal leaks sex, which the (default) leakage rule would rightly report on the steady stream.
        : SyntheticDataGenerator.generate(SyntheticSpec.generic(4000, 20, 4, 50, "X_pca", 2.0, 0.0, 5), "synthetic").table();
    // Hold out the first two donors of each sex (by sorted id).
    List<String> heldOut = new ArrayList<>();
    for (String sex : List.of("female", "male")) {
      TreeSet<String> ofSex = new TreeSet<>();
      for (int i = 0; i < cells.size(); i++) if (sex.equals(cells.sexes()[i])) ofSex.add(cells.donorIds()[i]);
      ofSex.stream().limit(2).forEach(heldOut::add);
    }
    List<Integer> k = new ArrayList<>();
    List<Integer> u = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) (heldOut.contains(cells.donorIds()[i]) ? u : k).add(i);
    known = k.stream().mapToInt(Integer::intValue).toArray();
    unseen = u.stream().mapToInt(Integer::intValue).toArray();
    Shuffle.shuffle(known, new SplittableRandom(1));
    Shuffle.shuffle(unseen, new SplittableRandom(2));
    model = dir.resolve("vanilla-1");
    new TrainingPipeline(m -> {}).run(TrainRequest.of(cells.select(known), "vanilla",
        TrainSettings.defaults("vanilla", 1).withEpochs(5).withDevice("cpu"), model, encoder).build());
  }

  @Test
  void aSwitchToDonorsTheModelNeverSawRaisesARetrainRequestNamingTheDrift() throws Exception {
    int[] rows = new int[K + unseen.length];
    System.arraycopy(known, 0, rows, 0, K);
    System.arraycopy(unseen, 0, rows, K, unseen.length);
    Run run = run("switch", rows);

    assertThat(run.requests).isNotEmpty();
    RetrainRequest first = run.requests.get(0);
    assertThat(first.getReason()).startsWith("drift");
    assertThat(first.getModelVersion()).isEqualTo("1");
    int at = run.position(first.getRequestedAt().toEpochMilli());
    assertThat(at - K).as("cells after the switch until the request").isBetween(0, 2000);
    assertThat(run.reports).isNotEmpty().allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("1"));
    QualityReport last = run.reports.get(run.reports.size() - 1);
    assertThat(last.getUnseenDonorLabelShare()).as("the windows see the unseen donors").isGreaterThan(0.0);
    assertThat(last.getEstimatedAccuracy()).as("calibration map in the artifact").isNotNull();
    System.out.printf("switch at cell %d, retrain request at cell %d (%s); %d quality reports%n", K, at, first.getReason(), run.reports.size());
  }

  @Test
  void theSameStreamWithoutTheSwitchRaisesNone() throws Exception {
    int n = Math.min(known.length, K + unseen.length);
    Run run = run("steady", java.util.Arrays.copyOf(known, n));
    assertThat(run.reports).isNotEmpty();
    assertThat(run.requests).as("no reason to retrain").isEmpty();
    QualityReport last = run.reports.get(run.reports.size() - 1);
    assertThat(last.getUnseenDonorLabelShare()).isEqualTo(0.0);
    assertThat(last.getAccuracy()).isNotNull();
  }

  /**
   * Stop with a savepoint mid-stream and resume from it: the windows, the learners and the retrain
   * cooldowns carry on. Predictions are written here with chosen event times, their labels on
   * {@code labels}; part A switches to unseen donors and raises requests (drift, unseen donors);
   * part B continues them within the cooldowns. Restored, the monitor raises none of those reasons
   * again and the window across the stop counts cells of both parts; started afresh it would have
   * asked again (the unseen-donor rule) and counted part B alone.
   */
  @Test
  void windowsLearnersAndTheCooldownSurviveAStopWithSavepoint() throws Exception {
    String name = "savepoint";
    ScoringJobIT.Topics t = new ScoringJobIT.Topics(name + "-cells", name + "-updates", name + "-predictions", name + "-dlq");
    String labels = name + "-labels";
    String quality = name + "-quality";
    String requests = name + "-retrain";
    String monitorDlq = name + "-monitor-dlq";
    // Two partitions, so both decoding subtasks have data (an idle one would hold the watermark for 30 s).
    KAFKA.broker().createTopics(List.of(new NewTopic(t.updates(), 1, (short) 1), new NewTopic(t.predictions(), 2, (short) 1),
        new NewTopic(labels, 2, (short) 1), new NewTopic(quality, 1, (short) 1), new NewTopic(requests, 1, (short) 1),
        new NewTopic(monitorDlq, 1, (short) 1), new NewTopic(t.cells(), 1, (short) 1)));
    ScoringJobIT.announce(KAFKA, t.updates(), "1", model);
    var manifest = io.donorstream.artifact.ModelArtifact.readVerified(model);
    long t0 = 1_700_000_000_000L;
    // Part A: 1,500 cells 10 ms apart, the last 500 from a donor the model never saw; part B: 1,000 more of them.
    sendPredictions(t, labels, manifest.donors, 0, 1_500, 1_000, t0);
    Configuration settings = new Configuration();
    settings.set(MonitorOptions.WINDOW_MILLIS, 2_000L);
    settings.set(MonitorOptions.SLIDE_MILLIS, 1_000L);
    settings.set(MonitorOptions.OUT_OF_ORDERNESS_MILLIS, 0L);
    MonitorOptions options = new MonitorOptions(settings);
    KafkaMonitoringJob wiring = new KafkaMonitoringJob(KafkaEndpoint.of(KAFKA.bootstrap()), "monitor-" + name, false, t.predictions(), labels, t.updates(),
        quality, requests, monitorDlq, t.cells());

    StreamExecutionEnvironment first = environment();
    wiring.job(options).build(first);
    org.apache.flink.core.execution.JobClient job = first.executeAsync("monitoring-" + name + "-1");
    // Part A's windows up to its last full second are reported once the watermark passes them.
    List<QualityReport> reports = awaitReports(quality, t0 + 14_000);
    List<RetrainRequest> partA = reportsAndRequests(requests);
    String savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
        org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get();
    // Asserted once the job is stopped: a job left running would hold the shared cluster's slots from the other tests.
    assertThat(partA.stream().flatMap(q -> q.getKinds().stream())).as("the switch in part A raised its requests")
        .contains("drift", "unseen_donors").doesNotHaveDuplicates();

    sendPredictions(t, labels, manifest.donors, 1_500, 2_500, 1_000, t0);
    Configuration restore = new Configuration();
    restore.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    StreamExecutionEnvironment second = environment(restore);
    wiring.job(options).build(second);
    org.apache.flink.core.execution.JobClient resumed = second.executeAsync("monitoring-" + name + "-2");
    reports = awaitReports(quality, t0 + 24_000);
    resumed.cancel().get();

    // Each reason has its own cooldown: restored, none of part A's reasons is raised again. A reason part A had not
    // reached yet (the challenger, whose lead crosses its margin near the stop depending on arrival order) may still come.
    assertThat(reportsAndRequests(requests).stream().flatMap(q -> q.getKinds().stream())).as("cooldowns restored: no reason raised twice")
        .containsAll(partA.stream().flatMap(q -> q.getKinds().stream()).toList()).doesNotHaveDuplicates();
    QualityReport across = reports.stream().filter(r -> r.getWindowEnd().toEpochMilli() == t0 + 16_000).findFirst().orElseThrow();
    assertThat(across.getNPredictions()).as("window 14-16 s holds the last second of part A and the first of part B").isEqualTo(200);
    QualityReport later = reports.stream().filter(r -> r.getWindowEnd().toEpochMilli() == t0 + 20_000).findFirst().orElseThrow();
    assertThat(later.getUnseenDonorLabelShare()).isEqualTo(1.0);
    assertThat(later.getDriftDetections()).as("the detector's history came back with it").isGreaterThanOrEqualTo(1L);
    assertThat(later.getChallengerAccuracy()).as("the challenger learned the new donor").isGreaterThan(0.5);
  }

  /** Live (unbounded), labels only inside predictions and none on the labels topic: the idle input must not hold event time back. */
  @Test
  void anEmptyLabelsTopicDoesNotHoldTheWindowsBack() throws Exception {
    String name = "emptylabels";
    ScoringJobIT.Topics t = new ScoringJobIT.Topics(name + "-cells", name + "-updates", name + "-predictions", name + "-dlq");
    KAFKA.broker().createTopics(List.of(new NewTopic(t.updates(), 1, (short) 1), new NewTopic(t.predictions(), 2, (short) 1),
        new NewTopic(name + "-labels", 2, (short) 1), new NewTopic(name + "-unused-labels", 2, (short) 1),
        new NewTopic(name + "-quality", 1, (short) 1), new NewTopic(name + "-retrain", 1, (short) 1),
        new NewTopic(name + "-monitor-dlq", 1, (short) 1), new NewTopic(t.cells(), 1, (short) 1)));
    ScoringJobIT.announce(KAFKA, t.updates(), "1", model);
    var manifest = io.donorstream.artifact.ModelArtifact.readVerified(model);
    long t0 = System.currentTimeMillis();
    sendPredictions(t, name + "-unused-labels", manifest.donors, 0, 1_500, 1_000, t0); // labels go to a topic the monitor does not read
    Configuration settings = new Configuration();
    settings.set(MonitorOptions.WINDOW_MILLIS, 2_000L);
    settings.set(MonitorOptions.SLIDE_MILLIS, 1_000L);
    settings.set(MonitorOptions.IDLE_MILLIS, 2_000L);
    KafkaMonitoringJob wiring = new KafkaMonitoringJob(KafkaEndpoint.of(KAFKA.bootstrap()), "monitor-" + name, false, t.predictions(), name + "-labels", t.updates(),
        name + "-quality", name + "-retrain", name + "-monitor-dlq", t.cells());
    StreamExecutionEnvironment first = environment();
    wiring.job(new MonitorOptions(settings)).build(first);
    org.apache.flink.core.execution.JobClient job = first.executeAsync("monitoring-" + name);
    List<QualityReport> reports = awaitReports(name + "-quality", t0 + 5_000);
    job.cancel().get();
    assertThat(reports).isNotEmpty();
  }

  /** Predictions {@code from..to} (cell i at t0 + 10 ms * i), unlabelled, and their labels on {@code labels}. */
  static void sendPredictions(ScoringJobIT.Topics t, String labels, List<String> donors, int from, int to, int switchAt, long t0) {
    AvroSerde<DonorPrediction> ps = AvroSerde.of(DonorPrediction.class);
    AvroSerde<CellLabel> ls = AvroSerde.of(CellLabel.class);
    SplittableRandom rng = new SplittableRandom(from);
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", KAFKA.bootstrap(),
        "key.serializer", StringSerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName(), "linger.ms", 5))) {
      for (int i = from; i < to; i++) {
        boolean unseen = i >= switchAt;
        String truth = unseen ? "never-seen" : donors.get(rng.nextInt(donors.size()));
        String answer = unseen || rng.nextDouble() < 0.2 ? donors.get(rng.nextInt(donors.size())) : truth;
        float[] latent = new float[8];
        for (int j = 0; j < latent.length; j++) latent[j] = (float) (rng.nextGaussian() + (unseen ? 3 : 0));
        Instant at = Instant.ofEpochMilli(t0 + 10L * i);
        DonorPrediction d = DonorPrediction.newBuilder().setCellId("cell-" + i).setDatasetId("d").setEventTime(at).setScoredAt(at)
            .setModelName("vanilla").setModelVersion("1").setPredictedDonor(answer).setTopK(List.of()).setConfidence(0.7f)
            .setUnknownDonor(false).setLatent(io.donorstream.schema.serde.FloatArray.wrap(latent)).setCellType(cells.cellTypes()[0])
            .setTrueDonorId(null).setSex(null).build();
        p.send(new ProducerRecord<>(t.predictions(), d.getCellId(), ps.serialize(d)));
        p.send(new ProducerRecord<>(labels, d.getCellId(), ls.serialize(CellLabel.newBuilder().setCellId(d.getCellId()).setDatasetId("d")
            .setEventTime(at).setDonorId(truth).setSex(i % 2 == 0 ? "female" : "male").build())));
      }
    }
  }

  /** Waits (bounded) until a report for a window ending at {@code windowEnd} is committed; returns all reports. */
  static List<QualityReport> awaitReports(String topic, long windowEnd) throws Exception {
    AvroSerde<QualityReport> qs = AvroSerde.of(QualityReport.class);
    List<QualityReport> reports = new ArrayList<>();
    io.donorstream.scoring.Eventually.await("a report for the window ending at " + windowEnd, 120_000, () -> {
      reports.clear();
      TopicReader.readToEnd(KAFKA.bootstrap(), topic, 30_000, r -> reports.add(qs.deserialize(r.value())));
      return reports.stream().anyMatch(r -> r.getWindowEnd().toEpochMilli() >= windowEnd);
    });
    return reports;
  }

  static List<RetrainRequest> reportsAndRequests(String topic) {
    AvroSerde<RetrainRequest> rs = AvroSerde.of(RetrainRequest.class);
    List<RetrainRequest> out = new ArrayList<>();
    TopicReader.readToEnd(KAFKA.bootstrap(), topic, 30_000, r -> out.add(rs.deserialize(r.value())));
    return out;
  }

  /** Publishes {@code rows} in order (labels in every cell), scores them, monitors the predictions. */
  static Run run(String name, int[] rows) throws Exception {
    ScoringJobIT.Topics t = ScoringJobIT.Topics.create(KAFKA, name);
    String labels = name + "-labels";
    String quality = name + "-quality";
    String requests = name + "-retrain";
    String monitorDlq = name + "-monitor-dlq";
    KAFKA.broker().createTopics(List.of(new NewTopic(labels, 2, (short) 1), new NewTopic(quality, 1, (short) 1),
        new NewTopic(requests, 1, (short) 1), new NewTopic(monitorDlq, 1, (short) 1)));
    CellTable stream = cells.select(rows);
    // Half the cells carry their labels; the other half's labels follow on the labels topic.
    CellPublisher.publish(stream, new PublishOptions(KAFKA.bootstrap(), t.cells(), 0, 0.5, 0, false, 1, false));
    Map<String, Integer> row = new HashMap<>();
    for (int i = 0; i < rows.length; i++) row.put(stream.cellIds()[i], i);
    AvroSerde<CellEvent> es = AvroSerde.of(CellEvent.class);
    AvroSerde<CellLabel> ls = AvroSerde.of(CellLabel.class);
    List<CellLabel> late = new ArrayList<>();
    TopicReader.readToEnd(KAFKA.bootstrap(), t.cells(), 60_000, r -> {
      CellEvent e = es.deserialize(r.value());
      int i = row.get(e.getCellId());
      if (e.getDonorId() == null) {
        late.add(CellLabel.newBuilder().setCellId(e.getCellId()).setDatasetId(e.getDatasetId()).setEventTime(e.getEventTime())
            .setDonorId(stream.donorIds()[i]).setSex(stream.sexes()[i]).build());
      }
    });
    assertThat(late).hasSizeBetween(rows.length / 3, 2 * rows.length / 3);
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", KAFKA.bootstrap(),
        "key.serializer", StringSerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName()))) {
      for (CellLabel l : late) p.send(new ProducerRecord<>(labels, l.getCellId(), ls.serialize(l)));
    }
    ScoringJobIT.announce(KAFKA, t.updates(), "1", model);

    StreamExecutionEnvironment scoring = environment();
    t.on(KAFKA, "scoring-" + name + "-" + UUID.randomUUID(), true).job(new ScoringOptions(new Configuration(), cells.width())).build(scoring);
    scoring.execute("scoring-" + name);

    StreamExecutionEnvironment monitoring = environment();
    new KafkaMonitoringJob(KafkaEndpoint.of(KAFKA.bootstrap()), "monitor-" + name + "-" + UUID.randomUUID(), true, t.predictions(), labels, t.updates(), quality,
        requests, monitorDlq, t.cells()).job(MonitorOptions.defaults(), List.of(), archiveOf(name).toUri().toString()).build(monitoring);
    monitoring.execute("monitoring-" + name);

    Run run = new Run();
    AvroSerde<DonorPrediction> ps = AvroSerde.of(DonorPrediction.class);
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < rows.length; i++) position.put(stream.cellIds()[i], i);
    TopicReader.readToEnd(KAFKA.bootstrap(), t.predictions(), 60_000, r -> {
      DonorPrediction p = ps.deserialize(r.value());
      run.eventTimes.merge(p.getEventTime().toEpochMilli(), position.get(p.getCellId()), Math::max);
    });
    AvroSerde<QualityReport> qs = AvroSerde.of(QualityReport.class);
    TopicReader.readToEnd(KAFKA.bootstrap(), quality, 60_000, r -> run.reports.add(qs.deserialize(r.value())));
    AvroSerde<RetrainRequest> rs = AvroSerde.of(RetrainRequest.class);
    TopicReader.readToEnd(KAFKA.bootstrap(), requests, 60_000, r -> run.requests.add(rs.deserialize(r.value())));
    assertThat(TopicReader.readAll(KAFKA.bootstrap(), monitorDlq, 30_000)).as("nothing the monitor could not read").isEmpty();

    // The training archive holds every cell once, labelled (inline or joined), as train --data reads it.
    CellTable archived = CellTableReader.read(archiveOf(name), H5adReadOptions.of(cells.embeddingKey()));
    assertThat(archived.size()).isEqualTo(rows.length);
    for (int i = 0; i < archived.size(); i++) {
      int r = row.get(archived.cellIds()[i]);
      assertThat(archived.donorIds()[i]).isEqualTo(stream.donorIds()[r]);
      assertThat(archived.sexes()[i]).isEqualTo(stream.sexes()[r]);
      assertThat(archived.row(i)).containsExactly(stream.row(r));
    }
    try (var days = Files.list(archiveOf(name))) {
      assertThat(days.map(d -> d.getFileName().toString()).toList()).allMatch(d -> d.matches("day=\\d{4}-\\d{2}-\\d{2}"));
    }
    return run;
  }

  static Path archiveOf(String name) {
    return dir.resolve("archive-" + name);
  }

  static StreamExecutionEnvironment environment() {
    return environment(new Configuration());
  }

  static StreamExecutionEnvironment environment(Configuration c) {
    c.setString("restart-strategy.type", "fixed-delay");
    c.setString("restart-strategy.fixed-delay.attempts", "2");
    c.setString("restart-strategy.fixed-delay.delay", "200 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
    env.setParallelism(2);
    env.enableCheckpointing(500);
    return env;
  }

  static final class Run {
    final List<QualityReport> reports = new ArrayList<>();
    final List<RetrainRequest> requests = new ArrayList<>();
    /** Event time (ms) → the last stream position published in that millisecond. */
    final java.util.TreeMap<Long, Integer> eventTimes = new java.util.TreeMap<>();

    int position(long eventTime) {
      return eventTimes.floorEntry(eventTime).getValue();
    }
  }
}
