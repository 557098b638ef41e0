package io.donorstream.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.quality.Outcome;
import io.donorstream.schema.CellLabel;
import io.donorstream.schema.DeadLetter;
import io.donorstream.schema.serde.AvroSerde;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Labels joined to predictions in every order, expiry of labels without predictions, and the join's state across a restore. */
class LabelJoinTest {
  static final long WAIT = 1_000;

  static KeyedTwoInputStreamOperatorTestHarness<String, Outcome, LabelEvent, Outcome> harness() throws Exception {
    return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(LabelJoin.forPredictions(WAIT)), Outcome::cellId, LabelEvent::cellId,
        Types.STRING);
  }

  static Outcome prediction(String cell, long t, String labelDonor) {
    return new Outcome(cell, "vanilla", "1", t, "A", 0.8f, false, "T", new float[] {1, 2}, labelDonor, labelDonor == null ? null : "female", true);
  }

  static List<Outcome> out(KeyedTwoInputStreamOperatorTestHarness<String, Outcome, LabelEvent, Outcome> h) {
    return h.extractOutputValues();
  }

  @Test
  void aPredictionCarryingItsLabelPassesAtOnce() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement1(prediction("c1", 100, "A"), 100);
      assertThat(out(h)).singleElement().satisfies(o -> {
        assertThat(o.labelled()).isTrue();
        assertThat(o.counted()).isTrue();
      });
    }
  }

  @Test
  void aLateLabelBringsThePredictionBackForTheLabelledMetricsOnly() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement1(prediction("c1", 100, null), 100);
      h.processElement2(new LabelEvent("c1", "B", "male", 600), 600);
      List<Outcome> o = out(h);
      assertThat(o).hasSize(2);
      assertThat(o.get(0).labelled()).isFalse();
      assertThat(o.get(0).counted()).isTrue();
      assertThat(o.get(1).labelled()).isTrue();
      assertThat(o.get(1).counted()).as("already counted as a prediction").isFalse();
      assertThat(o.get(1).trueDonor()).isEqualTo("B");
      assertThat(o.get(1).sex()).isEqualTo("male");
      assertThat(o.get(1).eventTime()).as("counted when the label came").isEqualTo(600);
    }
  }

  @Test
  void aLabelBeforeItsPredictionWaitsForIt() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement2(new LabelEvent("c1", "A", "female", 50), 50);
      assertThat(out(h)).isEmpty();
      h.processElement1(prediction("c1", 100, null), 100);
      assertThat(out(h)).singleElement().satisfies(o -> {
        assertThat(o.trueDonor()).isEqualTo("A");
        assertThat(o.counted()).isTrue();
        assertThat(o.correct()).isTrue();
      });
      h.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(10_000));
      h.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(10_000));
      assertThat(h.getSideOutput(DeadLetters.TAG)).as("joined, so nothing expires").isNull();
    }
  }

  @Test
  void aLabelWhosePredictionNeverComesExpiresIntoTheDeadLettersWhole() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement2(new LabelEvent("orphan", "A", "female", 50), 50);
      h.processElement1(prediction("other", 60, null), 60);
      h.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(WAIT + 49));
      h.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(WAIT + 49));
      assertThat(h.getSideOutput(DeadLetters.TAG)).as("not yet").isNull();
      h.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(WAIT + 100));
      h.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(WAIT + 100));
      assertThat(h.getSideOutput(DeadLetters.TAG)).singleElement().satisfies(r -> {
        DeadLetter d = AvroSerde.of(DeadLetter.class).deserialize(((KeyedBytes) r.getValue()).value);
        assertThat(d.getReason()).isEqualTo(DeadLetters.LABEL_WITHOUT_PREDICTION);
        assertThat(d.getSourceTopic()).isEqualTo("labels");
        CellLabel l = AvroSerde.of(CellLabel.class).deserialize(d.getRaw().array());
        assertThat(l.getCellId()).isEqualTo("orphan");
        assertThat(l.getDonorId()).isEqualTo("A");
      });
      // The unlabelled prediction's wait ended too: a label now finds nothing and waits in turn.
      h.processElement2(new LabelEvent("other", "A", "female", 1_200), 1_200);
      assertThat(out(h)).hasSize(1);
    }
  }

  @Test
  void waitingPredictionsSurviveARestore() throws Exception {
    OperatorSubtaskState state;
    try (var h = harness()) {
      h.open();
      h.processElement1(prediction("c1", 100, null), 100);
      state = h.snapshot(1, 1);
    }
    try (var h = harness()) {
      h.initializeState(state);
      h.open();
      h.processElement2(new LabelEvent("c1", "A", "female", 300), 300);
      assertThat(out(h)).singleElement().satisfies(o -> {
        assertThat(o.trueDonor()).isEqualTo("A");
        assertThat(o.counted()).isFalse();
      });
    }
  }
}
