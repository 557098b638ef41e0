package io.donorstream.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.data.CellTable;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.TopicReader;
import io.donorstream.local.LocalKafkaBroker;
import io.donorstream.promotion.PromotionGate;
import io.donorstream.promotion.Reason;
import io.donorstream.publish.ModelAnnouncer;
import io.donorstream.registry.Decision;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.RegisteredVersion;
import io.donorstream.registry.Stage;
import io.donorstream.retrain.Retrainer;
import io.donorstream.retrain.service.PromotionRule;
import io.donorstream.schema.ModelRole;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop in-process with every real part: a KRaft broker, the ScoringJob and the
 * MonitoringJob on one local Flink cluster (RocksDB, checkpoints, the Prometheus reporter, scraped
 * over HTTP), the retrain service training with DJL; small generated data whose model draws every
 * streamed cell new.
 */
@ExtendWith(MiniLmEncoder.class)
class ClosedLoopIT {
  /** The demo's signals, a sex signal that generalises across donors: an unremoved model leaks it (Bayes 0.730, sex-blind 0.632). */
  static final LoopDemo.Input WITH_SEX = LoopFixtures.generated(SyntheticSpec.generic(4000, 12, 4, 16, "X_emb", 2.0, 1.5, 5), "loop");
  /** No sex signal: no leakage alarm can come. */
  static final LoopDemo.Input NO_SEX = LoopFixtures.generated(SyntheticSpec.generic(4000, 12, 4, 16, "X_emb", 2.5, 0.0, 6), "plain");
  /** The test JVM's shared encoder, for the tests and their {@link Harness}. */
  final TransformerTextEncoder encoder;
  @TempDir Path dir;

  ClosedLoopIT(TransformerTextEncoder encoder) {
    this.encoder = encoder;
  }

  @Test
  void aLeakageAlarmEndsInASexFreeChampionAndTheDriftInOneThatKnowsTheNewDonors() throws Exception {
    LoopDemo.Options options = new LoopDemo.Options(400, 500, 200, 200, 500, 2, "0", "9460-9479", 240, false, 10_000);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    LoopResult r;
    try (PrintStream out = new PrintStream(new TeeStream(printed), true, StandardCharsets.UTF_8)) {
      r = LoopDemo.run(WITH_SEX, dir, encoder, options, out);
    }
    assertThat(r.closed()).as(r.summaryLine() + " " + r.problem() + " " + r.alarms()).isTrue();
    assertThat(r.alarms()).as("a leakage alarm was raised and answered by a promotion")
        .anySatisfy(a -> assertThat(a.asked()).contains(Reason.LEAKAGE))
        .allSatisfy(a -> assertThat(a.open()).as(a.toString()).isFalse());
    assertThat(r.leakageBefore()).as("v1 leaks").isGreaterThan(0.2);
    assertThat(Math.abs(r.leakageAfter())).as("the final champion's live gauge").isLessThanOrEqualTo(0.2);
    assertThat(r.accuracyAfterSwap()).as("accuracy recovers").isGreaterThan(r.accuracyDuringDrift() + 0.3);
    assertThat(r.drift()).as("the drift's first window closed").isNotNull();
    assertThat(r.drift().fellBy(0.2)).as("the label-free estimate fell with the drift: " + r.drift().describe()).isTrue();
    assertThat(r.shadowPredictions()).as("the candidates answered in shadow first").isPositive();
    assertThat(r.swaps()).as("one swap per story").isGreaterThanOrEqualTo(2);
    assertThat(r.servedVersionBefore()).as("modelVersion gauge before the drift").isGreaterThanOrEqualTo(2.0);
    assertThat(r.servedVersionAfter()).as("modelVersion gauge at the end").isEqualTo(Double.parseDouble(r.finalVersion()));
    assertThat(r.scoringRestarts()).as("the ScoringJob swapped without a restart").isEqualTo(0.0);

    ModelRegistry registry = new ModelRegistry(dir.resolve("loop/models"));
    RegisteredVersion leakageAnswer = registry.versions(LoopDemo.MODEL).stream().filter(v -> v.reasons().contains(Reason.LEAKAGE)
        && v.wasChampion()).findFirst().orElseThrow();
    List<Decision> path = leakageAnswer.decisions();
    assertThat(path.stream().map(Decision::to).toList()).startsWith(Stage.CANDIDATE, Stage.SHADOW, Stage.CHAMPION);
    assertThat(path.get(2).reason()).as("promoted past the accuracy-price gate").startsWith("promoted from shadow: answering [leakage]")
        .contains("accuracy cost within the price");
    assertThat(registry.version(LoopDemo.MODEL, "1").stage()).isEqualTo(Stage.RETIRED);
    assertThat(Files.readString(dir.resolve("loop").resolve(LoopReport.MARKDOWN))).contains("promoted from shadow", r.summaryLine());
    assertThat(Files.size(dir.resolve("loop").resolve(LoopReport.PNG))).isPositive();
    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(lines.size() - 1)).as("the summary is the last line").isEqualTo(r.summaryLine());
    assertThat(lines).anyMatch(l -> l.contains("Leakage alarm: v1's live donor-held-out sex leakage"));
  }

  @Test
  void aLeakageAlarmAndADriftAlarmInTheSameMinuteAreBothAnswered() throws Exception {
    Harness h = new Harness(WITH_SEX, PromotionGate.defaults(0.0));
    try (h) {
      // Known donors only until the leakage alarm, then at once the new donors: both alarms within seconds.
      h.publisher.stream(Phase.BEFORE_DRIFT, h.source::known, () -> h.requests(Reason.LEAKAGE) > 0, 200L * 120);
      long leakageAt = System.currentTimeMillis();
      assertThat(h.requests(Reason.LEAKAGE)).as(h.log()).isPositive();
      h.publisher.stream(Phase.DRIFT, h.source::unseen, () -> h.requests(Reason.DRIFT) + h.requests(Reason.UNSEEN_DONORS) > 0, 200L * 60);
      assertThat(System.currentTimeMillis() - leakageAt).as("both alarms in the same minute").isLessThan(60_000);
      // Until every alarm is answered, the leakage and the drift ones by promotions.
      java.util.function.Predicate<Alarms.Alarm> story = a -> a.asked().contains(Reason.LEAKAGE) || a.asked().contains(Reason.DRIFT)
          || a.asked().contains(Reason.UNSEEN_DONORS);
      h.publisher.stream(Phase.DRIFT, h.source::unseen, () -> {
        List<Alarms.Alarm> alarms = Alarms.of(h.observer.requests(), h.registry, LoopDemo.MODEL);
        return Alarms.open(alarms).isEmpty() && alarms.stream().filter(story).allMatch(Alarms.Alarm::promoted);
      }, 200L * 240);
      List<Alarms.Alarm> alarms = Alarms.of(h.observer.requests(), h.registry, LoopDemo.MODEL);
      assertThat(alarms).as(h.log()).allSatisfy(a -> assertThat(a.open()).as(a.toString()).isFalse());
      assertThat(alarms.stream().filter(story)).as(h.log()).allSatisfy(a -> assertThat(a.promoted()).as(a.toString()).isTrue());
      assertThat(Alarms.any(alarms, Reason.LEAKAGE)).isTrue();
      RegisteredVersion champion = h.registry.champion(LoopDemo.MODEL);
      assertThat(h.registry.versions(LoopDemo.MODEL).stream().filter(RegisteredVersion::wasChampion).flatMap(v -> v.reasons().stream()))
          .as("versions answering both were promoted").contains(Reason.LEAKAGE).anyMatch(Reason::asksForAccuracy);
      assertThat(champion.version()).isNotEqualTo("1");
    }
  }

  @Test
  void aLabelFreeRequestComesFromUnseenDonorsWithNoLabelsAtAll() throws Exception {
    Harness h = new Harness(NO_SEX, PromotionGate.defaults(0.0));
    try (h) {
      h.publisher.labelling(0).stream(Phase.DRIFT, h.source::unseen, () -> h.requests(Reason.UNKNOWN_DONORS) > 0, 200L * 120);
      assertThat(h.requests(Reason.UNKNOWN_DONORS)).as(h.log()).isPositive();
      RetrainRequest q = h.observer.requests().stream().filter(r -> r.getKinds().contains("unknown_donors")).findFirst().orElseThrow();
      assertThat(q.getReason()).contains("come from donors the model does not know").contains("no labels needed");
      QualityReport v1 = h.observer.latest("champion");
      assertThat(v1.getNLabeled()).as("no cell carried a label").isZero();
      assertThat(v1.getEstimatedAccuracy()).as("open-set CBPE falls with the unseen donors").isLessThan(v1.getEstimatedAccuracyCbpe() - 0.2);
      // The service cannot train for donors it has no labelled cell of: it says so and keeps the request.
      h.awaitLog("cannot answer [unknown_donors] yet");
      assertThat(h.registry.versions(LoopDemo.MODEL)).hasSize(1);
    }
  }

  @Test
  void aWorseCandidateIsRetiredFromShadowAndTheChampionStays() throws Exception {
    // The champion learns from all 4,000 cells; the candidate from the few hundred archived when it is asked
    // for. The holdout gate is opened (margin -1) so that the live comparison is what judges it.
    Harness h = new Harness(NO_SEX, PromotionGate.defaults(-1.0), NO_SEX.cells(), null);
    try (h) {
      h.publisher.stream(Phase.BEFORE_DRIFT, h.source::after, () -> false, 300);
      requestRetraining(h.bootstrap);
      h.publisher.stream(Phase.AFTER_SWAP, h.source::after, () -> h.registry.versions(LoopDemo.MODEL).stream()
          .anyMatch(v -> v.version().equals("2") && v.stage() == Stage.RETIRED), 200L * 180);

      List<Decision> decisions = h.registry.version(LoopDemo.MODEL, "2").decisions();
      assertThat(decisions.stream().map(Decision::to).toList()).as(h.log()).containsExactly(Stage.CANDIDATE, Stage.SHADOW, Stage.RETIRED);
      assertThat(decisions.get(2).reason()).startsWith("retired from shadow: not better with confidence");
      assertThat(h.registry.champion(LoopDemo.MODEL).version()).isEqualTo("1");
      String job = h.loop.scoringJob().getJobID().toString();
      double shadowGauge = Double.NaN;
      for (int i = 0; i < 60 && shadowGauge != -1.0; i++) {
        PrometheusScrape s = PrometheusScrape.of(h.reporterPorts, job);
        shadowGauge = s == null ? Double.NaN : s.values("flink_taskmanager_job_task_operator_donorstream_shadowModelVersion", job).stream()
            .mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        if (shadowGauge != -1.0) Thread.sleep(500); // the scrape is a poll of a live system
      }
      assertThat(shadowGauge).as("every scoring subtask dropped the retired shadow").isEqualTo(-1.0);
      assertThat(h.observer.shadowPredictions()).as("the candidate answered in shadow").isPositive();
      assertThat(h.observer.firstAnswers()).as("consumers of predictions only ever saw the champion").containsOnlyKeys("1");
      AvroSerde<ModelUpdate> updates = AvroSerde.of(ModelUpdate.class);
      List<String> announced = new ArrayList<>();
      TopicReader.readToEnd(h.bootstrap, ProjectTopics.MODEL_UPDATES, 30_000, rec -> {
        ModelUpdate u = updates.deserialize(rec.value());
        announced.add(u.getVersion() + " " + u.getRole());
      });
      // The monitor may ask again once v2 is gone, so a v3 may follow: v2 itself never comes back.
      assertThat(announced).startsWith("1 " + ModelRole.CHAMPION, "2 " + ModelRole.SHADOW, "2 " + ModelRole.RETIRED);
      assertThat(announced.subList(3, announced.size())).noneMatch(a -> a.startsWith("1 ") || a.startsWith("2 "));
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

  /**
   * A broker, the loop (both jobs and the retrain service) and an observer, with a first model
   * trained without sex removal on the plan's training cells (or on {@code firstTraining}).
   */
  private final class Harness implements AutoCloseable {
    final ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    final List<String> serviceLog = Collections.synchronizedList(new ArrayList<>());
    final String reporterPorts = "9480-9499";
    final LoopCells source;
    final LocalKafkaBroker broker;
    final String bootstrap;
    final LoopObserver observer;
    final ClosedLoop loop;
    final LoopPublisher publisher;
    private final Path kafkaDir;

    Harness(LoopDemo.Input input, PromotionGate gate) throws Exception {
      this(input, gate, null, LoopPlan.of(input.cells(), 400));
    }

    Harness(LoopDemo.Input input, PromotionGate gate, CellTable firstTraining, LoopPlan plan) throws Exception {
      LoopPlan p = plan != null ? plan : LoopPlan.of(input.cells(), 400);
      CellTable initial = firstTraining != null ? firstTraining : input.cells().select(p.training());
      LoopDemo.firstChampion(registry, initial, encoder, "initial");
      source = LoopCells.generated(input.fresh(), p);
      kafkaDir = Files.createDirectories(dir.resolve("kafka"));
      broker = LocalKafkaBroker.start(kafkaDir, 0);
      bootstrap = broker.bootstrap();
      broker.createTopics(ProjectTopics.all(2));
      ClosedLoop.Settings settings = new ClosedLoop.Settings(2, 1_000, "0", reporterPorts, LoopDemo.monitorConfig(), 1_000,
          Retrainer.defaults(LoopDemo.MODEL).withGate(gate), new PromotionRule(150, 400, gate.withMargin(gate.margin() < 0 ? 0.01 : gate.margin())),
          firstTraining != null ? null : initial);
      observer = new LoopObserver(bootstrap);
      loop = ClosedLoop.start(bootstrap, dir, registry, input.cells().width(), encoder, settings, serviceLog::add);
      ModelAnnouncer.announce(bootstrap, ProjectTopics.MODEL_UPDATES, registry.dir(LoopDemo.MODEL, "1"));
      publisher = new LoopPublisher(bootstrap, 200, observer, () -> {}, () -> false);
    }

    long requests(Reason kind) {
      return observer.requests().stream().filter(q -> q.getKinds().contains(kind.wire())).count();
    }

    String log() {
      synchronized (serviceLog) {
        return String.join("\n", serviceLog);
      }
    }

    /** Waits (bounded) for the service to log a line containing {@code text}. */
    void awaitLog(String text) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline && !log().contains(text)) Thread.sleep(200); // the service runs on its own thread
      assertThat(log()).contains(text);
    }

    @Override
    public void close() throws Exception {
      try {
        loop.close();
        observer.close();
      } finally {
        broker.close();
        LocalKafkaBroker.deleteData(kafkaDir);
      }
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
