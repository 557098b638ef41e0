package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.config.ScoringOptions;
import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.RawRecord;
import io.donorstream.schema.DeadLetter;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.ModelRole;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring operator alone, driven by Flink's keyed two-input test harness: batching and its
 * timer, the flush before a checkpoint barrier, duplicates and unknown cell types to dead letters,
 * model swaps and refusals, and restore from a snapshot; most on the task thread (answers out at
 * once), the scorer thread's hand-overs apart. The real-broker ITs cover the whole job.
 */
@ExtendWith(MiniLmEncoder.class)
class MicroBatchScoringOperatorTest {
  private static final AvroSerde<DonorPrediction> PREDICTIONS = AvroSerde.of(DonorPrediction.class);
  private static final AvroSerde<DeadLetter> DEAD_LETTERS = AvroSerde.of(DeadLetter.class);

  @TempDir static Path dir;
  static Path v1;
  static Path v2;

  @BeforeAll
  static void trainTwoVersions(TransformerTextEncoder encoder) {
    v1 = ScoringFixtures.train(dir.resolve("v1"), "1", 1, encoder);
    v2 = ScoringFixtures.train(dir.resolve("v2"), "2", 2, encoder);
  }

  /** On the task thread: each batch's answers are out when the call that filled it returns. */
  private static ScoringOptions options(Path initialModel, int batchSize) {
    return options(initialModel, batchSize, false);
  }

  /** @param scorerThread every batch on the scorer thread (however cheap), or none */
  private static ScoringOptions options(Path initialModel, int batchSize, boolean scorerThread) {
    return options(config(initialModel, batchSize, scorerThread));
  }

  private static ScoringOptions options(Configuration c) {
    return new ScoringOptions(c, ScoringFixtures.CELLS.width());
  }

  /** The tests' settings, for a test to change one before {@link #options(Configuration)}. */
  private static Configuration config(Path initialModel, int batchSize, boolean scorerThread) {
    Configuration c = new Configuration();
    c.set(ScoringOptions.SCORER_THREAD, scorerThread);
    c.set(ScoringOptions.SCORER_THREAD_MIN_MILLIS, 0L);
    if (initialModel != null) c.set(ScoringOptions.MODEL_PATH, initialModel.toString());
    c.set(ScoringOptions.BATCH_SIZE, batchSize);
    c.set(ScoringOptions.BATCH_MILLIS, 50L);
    return c;
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, RawRecord, RawRecord, KeyedBytes> harness(MicroBatchScoringOperator op)
      throws Exception {
    return new KeyedTwoInputStreamOperatorTestHarness<>(op, ScoringJob::partitionKey, r -> "model-updates", Types.STRING);
  }

  /** The operator's output records bound for {@code output}. */
  private static List<KeyedBytes> to(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, KeyedBytes> h, ScoringOutput output) {
    return h.extractOutputValues().stream().filter(k -> ScoringOutput.of(k) == output).toList();
  }

  private static List<DonorPrediction> predictions(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, KeyedBytes> h) {
    return to(h, ScoringOutput.PREDICTIONS).stream().map(k -> PREDICTIONS.deserialize(k.value)).toList();
  }

  private static List<String> deadLetterReasons(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, KeyedBytes> h) {
    return to(h, ScoringOutput.DEAD_LETTERS).stream().map(k -> DEAD_LETTERS.deserialize(k.value).getReason()).toList();
  }

  @Test
  void scoresAFullBatchAtOnceAndAPartialOneWhenItsTimerFires() throws Exception {
    try (var h = harness(new MicroBatchScoringOperator(options(v1, 4)))) {
      h.open();
      for (int i = 0; i < 3; i++) h.processElement1(ScoringFixtures.record(i, "c" + i), 0);
      assertThat(predictions(h)).as("3 of 4: the batch waits").isEmpty();
      h.processElement1(ScoringFixtures.record(3, "c3"), 0);
      assertThat(predictions(h)).extracting(p -> p.getCellId().toString()).containsExactly("c0", "c1", "c2", "c3");

      h.processElement1(ScoringFixtures.record(4, "c4"), 0);
      assertThat(predictions(h)).hasSize(4);
      h.setProcessingTime(50);
      assertThat(predictions(h)).hasSize(5);
      assertThat(predictions(h).get(4).getModelVersion().toString()).isEqualTo("1");
    }
  }

  @Test
  void scoresWhatIsWaitingBeforeACheckpointBarrierSoNoBatchIsHalfSent() throws Exception {
    try (var h = harness(new MicroBatchScoringOperator(options(v1, 100)))) {
      h.open();
      for (int i = 0; i < 3; i++) h.processElement1(ScoringFixtures.record(i, "c" + i), 0);
      h.prepareSnapshotPreBarrier(1);
      assertThat(predictions(h)).hasSize(3);
      OperatorSubtaskState state = h.snapshot(1, 1);
      try (var restored = harness(new MicroBatchScoringOperator(options(v1, 100)))) {
        restored.initializeState(state);
        restored.open();
        restored.endInput1();
        assertThat(predictions(restored)).as("nothing pending in the checkpoint to score twice").isEmpty();
      }
    }
  }

  @Test
  void aRepeatedCellIdAndAnUnknownCellTypeGoToDeadLettersWithTheirReasons() throws Exception {
    try (var h = harness(new MicroBatchScoringOperator(options(v1, 2)))) {
      h.open();
      h.processElement1(ScoringFixtures.record(0, "same"), 0);
      h.processElement1(ScoringFixtures.record(1, "same"), 0);
      RawRecord alien = ScoringFixtures.record(2, "alien", e -> e.setCellType("hepatocyte"));
      h.processElement1(alien, 0);
      assertThat(deadLetterReasons(h)).containsExactlyInAnyOrder(DeadLetters.DUPLICATE, DeadLetters.UNKNOWN_CELL_TYPE);
      assertThat(predictions(h)).extracting(p -> p.getCellId().toString()).containsExactly("same");
    }
  }

  @Test
  void finiteValuesOfAnyMagnitudeGetAFinitePredictionOrADeadLetterNeverANaN() throws Exception {
    java.util.Random random = new java.util.Random(11);
    int cells = 60;
    try (var h = harness(new MicroBatchScoringOperator(options(v1, 16)))) {
      h.open();
      h.processElement1(ScoringFixtures.record(0, "huge", e -> e.getEmbedding().replaceAll(x -> 3e38f)), 0);
      for (int i = 1; i < cells; i++) {
        h.processElement1(ScoringFixtures.record(i, "random-" + i, e -> e.getEmbedding().replaceAll(x -> randomFinite(random))), 0);
      }
      h.endInput1();
      List<DonorPrediction> predictions = predictions(h);
      List<String> reasons = deadLetterReasons(h);
      assertThat(predictions.size() + reasons.size()).as("in = predictions + dead letters").isEqualTo(cells);
      assertThat(reasons).contains(DeadLetters.OUT_OF_RANGE).isSubsetOf(DeadLetters.OUT_OF_RANGE, DeadLetters.NON_FINITE);
      assertThat(predictions).extracting(DonorPrediction::getCellId).doesNotContain("huge");
      for (DonorPrediction p : predictions) {
        assertThat(p.getConfidence()).as("cell %s", p.getCellId()).isBetween(0f, 1f);
        assertThat(p.getTopK()).allSatisfy(s -> assertThat(s.getProbability()).isBetween(0f, 1f));
      }
      DeadLetter huge = DEAD_LETTERS.deserialize(to(h, ScoringOutput.DEAD_LETTERS).get(0).value);
      assertThat(huge.getReason()).isEqualTo(DeadLetters.OUT_OF_RANGE);
      assertThat(huge.getDetail()).contains("standard deviations", "3.0E38");
    }
  }

  /** A float of any magnitude (its bits drawn at random), never NaN or infinite. */
  private static float randomFinite(java.util.Random random) {
    float x;
    do x = Float.intBitsToFloat(random.nextInt()); while (!Float.isFinite(x));
    return x;
  }

  @Test
  void decodesAfterTheExchangeAndDeadLettersAnUnusableRecordWhole() throws Exception {
    try (var h = harness(new MicroBatchScoringOperator(options(v1, 1)))) {
      h.open();
      RawRecord good = ScoringFixtures.record(0, "good");
      h.processElement1(new RawRecord("junk".getBytes(), new byte[] {1, 2, 3}, "cells", 0, 7, 0), 0);
      h.processElement1(new RawRecord("other".getBytes(), good.value, "cells", 0, 8, 0), 0);
      h.processElement1(good, 0);
      assertThat(deadLetterReasons(h)).containsExactly(DeadLetters.CORRUPT, DeadLetters.KEY_MISMATCH);
      DeadLetter first = DEAD_LETTERS.deserialize(to(h, ScoringOutput.DEAD_LETTERS).get(0).value);
      assertThat(first.getRaw().remaining()).as("the raw record, whole").isEqualTo(3);
      assertThat(first.getSourceOffset()).isEqualTo(7);
      assertThat(predictions(h)).extracting(p -> p.getCellId().toString()).containsExactly("good");
    }
  }

  @Test
  void aRepeatIsCaughtAfterARestoreWhenOnlyTheCheckpointRemembersTheId() throws Exception {
    OperatorSubtaskState state;
    try (var h = harness(new MicroBatchScoringOperator(options(v1, 1)))) {
      h.open();
      h.processElement1(ScoringFixtures.record(0, "before"), 0);
      state = h.snapshot(1, 1);
    }
    try (var h = harness(new MicroBatchScoringOperator(options(v1, 1)))) {
      h.initializeState(state);
      h.open();
      h.processElement1(ScoringFixtures.record(0, "before"), 0);
      h.processElement1(ScoringFixtures.record(1, "after"), 0);
      h.processElement1(ScoringFixtures.record(1, "after"), 0);
      assertThat(deadLetterReasons(h)).containsExactly(DeadLetters.DUPLICATE, DeadLetters.DUPLICATE);
      assertThat(predictions(h)).extracting(p -> p.getCellId().toString()).containsExactly("after");
    }
  }

  @Test
  void swapsToANewerModelBetweenBatchesAndRefusesATamperedOrOlderOne() throws Exception {
    MicroBatchScoringOperator op = new MicroBatchScoringOperator(options(v1, 1));
    try (var h = harness(op)) {
      h.open();
      h.processElement1(ScoringFixtures.record(0, "a"), 0);

      h.processElement2(ScoringFixtures.update("3", v2, "0".repeat(64)), 0);
      op.awaitModelLoading();
      h.processElement1(ScoringFixtures.record(1, "b"), 0);

      h.processElement2(ScoringFixtures.update("2", v2, null), 0);
      op.awaitModelLoading();
      h.processElement1(ScoringFixtures.record(2, "c"), 0);

      h.processElement2(ScoringFixtures.update("1", v1, null), 0);
      op.awaitModelLoading();
      h.processElement1(ScoringFixtures.record(3, "d"), 0);

      assertThat(predictions(h)).extracting(p -> p.getCellId() + "@" + p.getModelVersion())
          .as("tampered v3 refused, v2 swapped in, older v1 refused").containsExactly("a@1", "b@1", "c@2", "d@2");
    }
  }

  @Test
  void cellsWaitForTheFirstModelAndARestoredSubtaskServesTheModelItServedBefore() throws Exception {
    MicroBatchScoringOperator op = new MicroBatchScoringOperator(options(null, 10));
    OperatorSubtaskState waiting;
    try (var h = harness(op)) {
      h.open();
      h.processElement1(ScoringFixtures.record(0, "early"), 0);
      h.setProcessingTime(100);
      assertThat(predictions(h)).as("no model yet").isEmpty();
      waiting = h.snapshot(1, 1);
    }
    MicroBatchScoringOperator restoredOp = new MicroBatchScoringOperator(options(null, 10));
    OperatorSubtaskState serving;
    try (var h = harness(restoredOp)) {
      h.initializeState(waiting);
      h.open();
      h.processElement2(ScoringFixtures.update("2", v2, null), 0);
      restoredOp.awaitModelLoading();
      h.setProcessingTime(100);
      assertThat(predictions(h)).extracting(p -> p.getCellId() + "@" + p.getModelVersion()).containsExactly("early@2");
      serving = h.snapshot(2, 2);
    }
    try (var h = harness(new MicroBatchScoringOperator(options(v1, 1)))) {
      h.initializeState(serving);
      h.open();
      h.processElement1(ScoringFixtures.record(1, "later"), 0);
      assertThat(predictions(h)).as("the checkpointed model, not the configured initial one")
          .extracting(p -> p.getCellId() + "@" + p.getModelVersion()).containsExactly("later@2");
    }
  }

  private static List<String> shadowAnswers(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, KeyedBytes> h) {
    return to(h, ScoringOutput.SHADOW_PREDICTIONS).stream().map(k -> PREDICTIONS.deserialize(k.value))
        .map(p -> p.getCellId() + "@" + p.getModelVersion()).toList();
  }

  private static List<String> answers(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, KeyedBytes> h) {
    return predictions(h).stream().map(p -> p.getCellId() + "@" + p.getModelVersion()).toList();
  }

  @Test
  void aShadowAnswersTheSameCellsApartAndSurvivesARestore() throws Exception {
    MicroBatchScoringOperator op = new MicroBatchScoringOperator(options(v1, 1), true);
    OperatorSubtaskState state;
    try (var h = harness(op)) {
      h.open();
      h.processElement2(ScoringFixtures.update("2", v2, null, ModelRole.SHADOW), 0);
      op.awaitModelLoading();
      h.processElement1(ScoringFixtures.record(0, "a"), 0);
      assertThat(answers(h)).as("consumers see the champion only").containsExactly("a@1");
      assertThat(shadowAnswers(h)).containsExactly("a@2");
      state = h.snapshot(1, 1);
    }
    try (var h = harness(new MicroBatchScoringOperator(options(v1, 1), true))) {
      h.initializeState(state);
      h.open();
      h.processElement1(ScoringFixtures.record(1, "b"), 0);
      assertThat(answers(h)).containsExactly("b@1");
      assertThat(shadowAnswers(h)).as("the checkpointed shadow is reloaded").containsExactly("b@2");
    }
  }

  /** Cells a, b, c, d (batches of one): a shadow v2 for a, retired before b, a shadow v3 for c, promoted before d. */
  private static void shadowRetiredThenPromoted(KeyedTwoInputStreamOperatorTestHarness<String, RawRecord, RawRecord, KeyedBytes> h,
      MicroBatchScoringOperator op) throws Exception {
      h.open();
      h.processElement2(ScoringFixtures.update("2", v2, null, ModelRole.SHADOW), 0);
      op.awaitModelLoading();
      h.processElement1(ScoringFixtures.record(0, "a"), 0);
      h.processElement2(ScoringFixtures.update("2", v2, null, ModelRole.RETIRED), 0);
      h.processElement1(ScoringFixtures.record(1, "b"), 0);
      h.processElement2(ScoringFixtures.update("3", v2, null, ModelRole.SHADOW), 0);
      op.awaitModelLoading();
      h.processElement1(ScoringFixtures.record(2, "c"), 0);
      h.processElement2(ScoringFixtures.update("3", v2, null, ModelRole.CHAMPION), 0);
      op.awaitModelLoading();
      h.processElement1(ScoringFixtures.record(3, "d"), 0);
  }

  @Test
  void aRetiredShadowStopsAndAPromotedOneBecomesTheChampion() throws Exception {
    MicroBatchScoringOperator op = new MicroBatchScoringOperator(options(v1, 1), true);
    try (var h = harness(op)) {
      shadowRetiredThenPromoted(h, op);
      assertThat(answers(h)).containsExactly("a@1", "b@1", "c@1", "d@3");
      assertThat(shadowAnswers(h)).as("none after its retirement, none once promoted").containsExactly("a@2", "c@3");
    }
  }

  @Test
  void onAScorerThreadABatchIsAnsweredThroughTheMailboxOrAtTheLatestBeforeTheBarrier() throws Exception {
    try (var h = harness(new MicroBatchScoringOperator(options(v1, 4, true)))) {
      h.open();
      for (int i = 0; i < 4; i++) h.processElement1(ScoringFixtures.record(i, "c" + i), 0);
      h.getTaskMailbox().take(TaskMailbox.MIN_PRIORITY).run();
      assertThat(answers(h)).as("answered by the mail the scorer thread posts").containsExactly("c0@1", "c1@1", "c2@1", "c3@1");

      for (int i = 4; i < 13; i++) h.processElement1(ScoringFixtures.record(i, "c" + i), 0);
      h.prepareSnapshotPreBarrier(1);
      assertThat(answers(h)).as("two full batches, one in flight, one waiting: all out before the barrier, in order")
          .extracting(a -> a.substring(0, a.indexOf('@'))).containsExactly("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9",
              "c10", "c11", "c12");
      OperatorSubtaskState state = h.snapshot(1, 1);
      try (var restored = harness(new MicroBatchScoringOperator(options(v1, 4, true)))) {
        restored.initializeState(state);
        restored.open();
        restored.endInput1();
        assertThat(predictions(restored)).as("nothing in flight or waiting is in the checkpoint").isEmpty();
      }
    }
  }

  @Test
  void batchesExpectedToCostLessThanTheThresholdStayOnTheTaskThread() throws Exception {
    Configuration c = config(v1, 4, true);
    // A minute: no batch of four comes near it, however slow this machine is at the moment.
    c.set(ScoringOptions.SCORER_THREAD_MIN_MILLIS, 60_000L);
    try (var h = harness(new MicroBatchScoringOperator(options(c)))) {
      h.open();
      for (int i = 0; i < 12; i++) {
        h.processElement1(ScoringFixtures.record(i, "c" + i), 0);
        assertThat(predictions(h)).as("answered when the call that filled its batch returns").hasSize((i + 1) / 4 * 4);
      }
      assertThat(h.getTaskMailbox().hasMail()).as("nothing handed over").isFalse();
    }
  }

  @Test
  void onAScorerThreadSwapsAndWithdrawalsWaitForTheBatchInFlight() throws Exception {
    MicroBatchScoringOperator op = new MicroBatchScoringOperator(options(v1, 1, true), true);
    try (var h = harness(op)) {
      shadowRetiredThenPromoted(h, op);
      h.processElement1(ScoringFixtures.record(4, "e"), 0);
      h.prepareSnapshotPreBarrier(1);
      assertThat(answers(h)).containsExactly("a@1", "b@1", "c@1", "d@3", "e@3");
      assertThat(shadowAnswers(h)).containsExactly("a@2", "c@3");
    }
  }

  @Test
  void aShadowIsRefusedWithoutAShadowTopicOrWhenNotNewerThanTheChampion() throws Exception {
    MicroBatchScoringOperator without = new MicroBatchScoringOperator(options(v1, 1), false);
    try (var h = harness(without)) {
      h.open();
      h.processElement2(ScoringFixtures.update("2", v2, null, ModelRole.SHADOW), 0);
      without.awaitModelLoading();
      h.processElement1(ScoringFixtures.record(0, "a"), 0);
      assertThat(shadowAnswers(h)).isEmpty();
    }
    MicroBatchScoringOperator older = new MicroBatchScoringOperator(options(v2, 1), true);
    try (var h = harness(older)) {
      h.open();
      h.processElement2(ScoringFixtures.update("1", v1, null, ModelRole.SHADOW), 0);
      older.awaitModelLoading();
      h.processElement1(ScoringFixtures.record(0, "a"), 0);
      assertThat(answers(h)).containsExactly("a@2");
      assertThat(shadowAnswers(h)).isEmpty();
    }
  }

  @Test
  void theLatentTravelsWithLabelledCellsAndAFixedSampleOfTheOthers() throws Exception {
    Configuration c = config(v1, 1, false);
    c.set(ScoringOptions.LATENT_UNLABELLED_SHARE, 0.25);
    try (var h = harness(new MicroBatchScoringOperator(options(c)))) {
      h.open();
      for (int i = 0; i < 400; i++) {
        boolean unlabelled = i % 2 == 1;
        h.processElement1(ScoringFixtures.record(i % 50, "u" + i, e -> {
          if (unlabelled) {
            e.setDonorId(null);
            e.setSex(null);
          }
        }), 0);
      }
      List<DonorPrediction> out = predictions(h);
      assertThat(out).hasSize(400);
      assertThat(out.stream().filter(p -> p.getTrueDonorId() != null)).as("labelled: always").allMatch(p -> !p.getLatent().isEmpty());
      long sampled = out.stream().filter(p -> p.getTrueDonorId() == null && !p.getLatent().isEmpty()).count();
      assertThat(sampled).as("unlabelled: about a quarter of 200").isBetween(30L, 70L);
    }
    try (var again = harness(new MicroBatchScoringOperator(options(c)))) {
      again.open();
      RawRecord cell = ScoringFixtures.record(0, "u1", e -> e.setDonorId(null));
      again.processElement1(cell, 0);
      again.processElement1(ScoringFixtures.record(0, "u1x", e -> e.setDonorId(null)), 0);
      // The sample is a function of the id alone: the same ids get the same answer in any run.
      assertThat(predictions(again).get(0).getLatent().isEmpty()).isEqualTo(
          new PredictionEncoder(0.25).carriesLatent(new CellDecoder(ScoringFixtures.CELLS.width(), 1 << 20).decode(cell).cell()) == false);
    }
  }
}
