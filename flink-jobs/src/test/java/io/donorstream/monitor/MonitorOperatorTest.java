package io.donorstream.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.RawRecord;
import io.donorstream.quality.MonitorSettings;
import io.donorstream.quality.Outcome;
import io.donorstream.quality.RetrainRules;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.scoring.ScoringFixtures;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The monitor operator with Flink's harness: windows on the watermark, the model's details, drift, and state across a restore. */
@ExtendWith(MiniLmEncoder.class)
class MonitorOperatorTest {
  @TempDir static Path dir;
  static Path artifact;
  static ModelManifest manifest;
  static final AvroSerde<QualityReport> REPORTS = AvroSerde.of(QualityReport.class);
  static final AvroSerde<RetrainRequest> REQUESTS = AvroSerde.of(RetrainRequest.class);
  /** 10 s windows closing every 5 s; drift on, unseen donors above 30% for 2 windows; other rules off. */
  static final MonitorSettings SETTINGS = new MonitorSettings(10_000, 5_000, 0.99,
      new RetrainRules.Settings(Double.NaN, Double.NaN, Double.NaN, 0.3, Double.NaN, true, 2, 60_000, Double.NaN));

  @BeforeAll
  static void trainModel(TransformerTextEncoder encoder) {
    artifact = ScoringFixtures.train(dir.resolve("v1"), "1", 1, encoder);
    manifest = ModelArtifact.readVerified(artifact);
  }

  static TwoInputStreamOperatorTestHarness<Outcome, RawRecord, KeyedBytes> harness() throws Exception {
    return new TwoInputStreamOperatorTestHarness<>(new MonitorOperator(SETTINGS));
  }

  /** Cell i at time t: right with probability {@code accuracy}, from donor {@code donor} (a model donor unless named otherwise). */
  static Outcome outcome(int i, long t, String donor, boolean right) {
    String other = manifest.donors.get((manifest.donors.indexOf(donor) + 1 + manifest.donors.size()) % manifest.donors.size());
    String sex = manifest.donor_sex.getOrDefault(donor, "female");
    float[] latent = {i % 7, sex.equals("female") ? 1 : -1, (float) Math.sin(i)};
    return new Outcome("c" + i, "vanilla", "1", t, right ? donor : other, right ? 0.9f : 0.6f, false, "T", latent, donor, sex, true);
  }

  static List<QualityReport> reports(TwoInputStreamOperatorTestHarness<Outcome, RawRecord, KeyedBytes> h) {
    return h.extractOutputValues().stream().map(k -> REPORTS.deserialize(k.value)).toList();
  }

  static List<RetrainRequest> requests(TwoInputStreamOperatorTestHarness<Outcome, RawRecord, KeyedBytes> h) {
    var side = h.getSideOutput(MonitorOperator.RETRAIN_REQUESTS);
    return side == null ? List.of() : side.stream().map(r -> REQUESTS.deserialize(((KeyedBytes) r.getValue()).value)).toList();
  }

  /** Event time reaches {@code t}; the model-update input is idle, as {@link MonitoringJob#alwaysIdle} makes it. */
  static void watermark(TwoInputStreamOperatorTestHarness<Outcome, RawRecord, KeyedBytes> h, long t) throws Exception {
    h.processWatermarkStatus2(WatermarkStatus.IDLE);
    h.processWatermark1(new Watermark(t));
  }

  @Test
  void windowsCloseOnTheWatermarkWithTheirOwnCells() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement2(ScoringFixtures.update("1", artifact, null), 0);
      String d = manifest.donors.get(0);
      // 0-5 s: 4 cells, 3 right; 5-10 s: 2 cells, both wrong.
      long[] times = {100, 1_000, 2_000, 4_999, 5_000, 9_000};
      boolean[] right = {true, true, true, false, false, false};
      for (int i = 0; i < times.length; i++) h.processElement1(outcome(i, times[i], d, right[i]), times[i]);
      watermark(h, 4_999);
      assertThat(reports(h)).isEmpty();
      watermark(h, 5_000);
      assertThat(reports(h)).singleElement().satisfies(r -> {
        assertThat(r.getWindowStart().toEpochMilli()).isEqualTo(-5_000);
        assertThat(r.getWindowEnd().toEpochMilli()).isEqualTo(5_000);
        assertThat(r.getNPredictions()).isEqualTo(4);
        assertThat(r.getAccuracy()).isCloseTo(0.75, within(1e-9));
        assertThat(r.getEstimatedAccuracy()).as("the artifact has a calibration map").isNotNull();
      });
      watermark(h, 20_000);
      List<QualityReport> all = reports(h);
      assertThat(all).extracting(r -> r.getWindowEnd().toEpochMilli()).containsExactly(5_000L, 10_000L, 15_000L);
      assertThat(all.get(1).getNPredictions()).isEqualTo(6);
      assertThat(all.get(1).getAccuracy()).isCloseTo(3.0 / 6, within(1e-9));
      assertThat(all.get(2).getNPredictions()).isEqualTo(2);
      assertThat(all.get(2).getAccuracy()).isCloseTo(0.0, within(1e-9));
      assertThat(all.get(2).getNPredictionsTotal()).as("running totals").isEqualTo(6);
      assertThat(all.get(2).getAccuracyTotal()).isCloseTo(0.5, within(1e-9));
    }
  }

  @Test
  void windowsWaitForTheirModelsDetails() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement1(outcome(0, 1_000, manifest.donors.get(0), true), 1_000);
      watermark(h, 30_000);
      assertThat(reports(h)).as("donors and calibration unknown yet").isEmpty();
      h.processElement2(ScoringFixtures.update("1", artifact, null), 0);
      assertThat(reports(h)).hasSize(2).allSatisfy(r -> assertThat(r.getUnseenDonorLabelShare()).isEqualTo(0.0));
    }
  }

  @Test
  void aSwitchToDonorsTheModelNeverSawAsksForANewModelSoonAfterIt() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement2(ScoringFixtures.update("1", artifact, null), 0);
      SplittableRandom rng = new SplittableRandom(4);
      int i = 0;
      long t = 0;
      for (; i < 3000; i++, t += 10) {
        h.processElement1(outcome(i, t, manifest.donors.get(rng.nextInt(manifest.donors.size())), rng.nextDouble() < 0.8), t);
        if (i % 100 == 0) watermark(h, t);
      }
      assertThat(requests(h)).as("stationary: no request").isEmpty();
      int switchAt = i;
      for (; i < 4000 && requests(h).isEmpty(); i++, t += 10) {
        Outcome o = outcome(i, t, manifest.donors.get(0), false);
        h.processElement1(new Outcome(o.cellId(), o.modelName(), o.modelVersion(), t, o.predictedDonor(), 0.5f, false, "T", o.latent(),
            "new-donor-" + (i % 3), "male", true), t);
        if (i % 100 == 0) watermark(h, t);
      }
      assertThat(requests(h)).singleElement().satisfies(r -> {
        assertThat(r.getReason()).startsWith("drift");
        assertThat(r.getModelVersion()).isEqualTo("1");
        assertThat(r.getMetrics().get("cells_seen")).isLessThan(switchAt + 200.0);
        assertThat(r.getDataFrom().toEpochMilli()).isZero();
      });
    }
  }

  @Test
  void aRestoredMonitorCarriesOnAsIfNeverStopped() throws Exception {
    SplittableRandom rng = new SplittableRandom(9);
    List<Outcome> stream = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      stream.add(outcome(i, i * 10L, manifest.donors.get(rng.nextInt(manifest.donors.size())), rng.nextDouble() < 0.7));
    }
    List<QualityReport> straight;
    try (var h = harness()) {
      h.open();
      h.processElement2(ScoringFixtures.update("1", artifact, null), 0);
      for (Outcome o : stream.subList(0, 1000)) h.processElement1(o, o.eventTime());
      watermark(h, 9_000);
      for (Outcome o : stream.subList(1000, 2000)) h.processElement1(o, o.eventTime());
      watermark(h, Long.MAX_VALUE - 1);
      straight = reports(h);
    }
    OperatorSubtaskState state;
    List<QualityReport> resumed = new ArrayList<>();
    try (var h = harness()) {
      h.open();
      h.processElement2(ScoringFixtures.update("1", artifact, null), 0);
      for (Outcome o : stream.subList(0, 1000)) h.processElement1(o, o.eventTime());
      watermark(h, 9_000);
      resumed.addAll(reports(h));
      state = h.snapshot(1, 1);
    }
    try (var h = harness()) {
      h.initializeState(state);
      h.open();
      for (Outcome o : stream.subList(1000, 2000)) h.processElement1(o, o.eventTime());
      watermark(h, Long.MAX_VALUE - 1);
      resumed.addAll(reports(h));
    }
    assertThat(straight).hasSizeGreaterThan(4);
    assertThat(resumed).as("windows, probe, challenger and detector state all resumed").isEqualTo(straight);
  }

  @Test
  void aShadowIsComparedCellByCellWithTheChampionAndAsksForNoRetraining(TransformerTextEncoder encoder) throws Exception {
    Path shadowArtifact = ScoringFixtures.train(dir.resolve("v2"), "2", 2, encoder);
    try (var h = harness()) {
      h.open();
      h.processElement2(ScoringFixtures.update("1", artifact, null), 0);
      h.processElement2(ScoringFixtures.update("2", shadowArtifact, null, io.donorstream.schema.ModelRole.SHADOW), 0);
      // Every cell from a donor neither model knows (the unseen-donor rule fires), the champion right on
      // even cells by construction, the shadow on all; the shadow's answers come first for some cells.
      for (int i = 0; i < 200; i++) {
        long t = 100 + 20L * i;
        Outcome champion = outcome(i, t, "stranger", false);
        champion = new Outcome(champion.cellId(), "vanilla", "1", t, i % 2 == 0 ? "stranger" : champion.predictedDonor(), 0.6f, false, "T",
            champion.latent(), "stranger", champion.sex(), true);
        Outcome shadow = new Outcome(champion.cellId(), "vanilla", "2", t, "stranger", 0.9f, false, "T", champion.latent(), "stranger",
            champion.sex(), true, true, Float.NaN);
        if (i % 3 == 0) {
          h.processElement1(shadow, t);
          h.processElement1(champion, t);
        } else {
          h.processElement1(champion, t);
          h.processElement1(shadow, t);
        }
      }
      watermark(h, 30_000);
      List<QualityReport> shadowReports = reports(h).stream().filter(r -> r.getRole().equals("shadow")).toList();
      assertThat(shadowReports).isNotEmpty().allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("2"));
      QualityReport last = shadowReports.get(shadowReports.size() - 1);
      assertThat(last.getPairedCells()).isEqualTo(200);
      assertThat(last.getPairedChampionVersion()).isEqualTo("1");
      assertThat(last.getPairedShadowAccuracy()).isCloseTo(1.0, within(1e-9));
      assertThat(last.getPairedChampionAccuracy()).isCloseTo(0.5, within(1e-9));
      assertThat(last.getPairedDifferenceLowerBound()).isGreaterThan(0.4);
      assertThat(reports(h).stream().filter(r -> r.getRole().equals("champion"))).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("1"));
      assertThat(requests(h)).as("the champion asks; the shadow, judged against it, does not").isNotEmpty()
          .allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("1"));
    }
  }

  @Test
  void predictionsThatStartLateStillCloseWindowsBecauseTheModelUpdateInputIsIdleNotAtTheEndOfTime() throws Exception {
    // Before the first prediction the data input goes idle. Were the model-update input at the end of
    // time then (the first version), the operator's watermark would jump there and never come back.
    try (var h = harness()) {
      h.open();
      h.processElement2(ScoringFixtures.update("1", artifact, null), 0);
      h.processWatermarkStatus1(WatermarkStatus.IDLE);
      h.processWatermark2(new Watermark(Long.MAX_VALUE));
      h.processWatermarkStatus1(WatermarkStatus.ACTIVE);
      h.processElement1(outcome(0, 1_000, manifest.donors.get(0), true), 1_000);
      h.processWatermark1(new Watermark(20_000));
      assertThat(reports(h)).as("the end-of-time trap: nothing closes").isEmpty();
    }
    try (var h = harness()) {
      h.open();
      h.processElement2(ScoringFixtures.update("1", artifact, null), 0);
      h.processWatermarkStatus1(WatermarkStatus.IDLE);
      h.processWatermarkStatus2(WatermarkStatus.IDLE);
      h.processWatermarkStatus1(WatermarkStatus.ACTIVE);
      h.processElement1(outcome(0, 1_000, manifest.donors.get(0), true), 1_000);
      h.processWatermark1(new Watermark(20_000));
      assertThat(reports(h)).as("an idle control input: windows close on the data").isNotEmpty();
    }
  }

  @Test
  void theModelUpdateInputIsAlwaysIdleAndNeverEmitsAWatermark() {
    List<String> seen = new java.util.ArrayList<>();
    var generator = MonitoringJob.<RawRecord>alwaysIdle().createWatermarkGenerator(null);
    org.apache.flink.api.common.eventtime.WatermarkOutput out = new org.apache.flink.api.common.eventtime.WatermarkOutput() {
      @Override
      public void emitWatermark(org.apache.flink.api.common.eventtime.Watermark w) {
        seen.add("watermark " + w.getTimestamp());
      }

      @Override
      public void markIdle() {
        seen.add("idle");
      }

      @Override
      public void markActive() {
        seen.add("active");
      }
    };
    generator.onEvent(null, 5, out);
    generator.onPeriodicEmit(out);
    generator.onPeriodicEmit(out);
    assertThat(seen).containsOnly("idle");
  }
}
