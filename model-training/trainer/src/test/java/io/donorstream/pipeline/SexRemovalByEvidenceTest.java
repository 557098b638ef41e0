package io.donorstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.data.CellTable;
import io.donorstream.promotion.HoldoutComparison;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.CellOntology;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import io.donorstream.train.EpochRecord;
import io.donorstream.train.TrainSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --adversarial} removes sex as hard as the evidence asks: nothing reversed, and the
 * inputs those of training without removal, where the inputs carry no sex signal that generalises
 * across donors, and where they do, the first step of
 * the ladder that leaves no evidence of leakage on validation.
 */
@ExtendWith(MiniLmEncoder.class)
class SexRemovalByEvidenceTest {
  @TempDir Path out;

  private Map<String, Object> train(double sexSignal, List<String> log, TransformerTextEncoder encoder) {
    return train(sexSignal, true, log, encoder);
  }

  private Map<String, Object> train(double sexSignal, boolean removal, List<String> log, TransformerTextEncoder encoder) {
    CellTable t = SyntheticDataGenerator.generate(SyntheticSpec.generic(2400, 10, 3, 16, "X_emb", 2.5, sexSignal, 23), "evidence").table();
    TrainSettings s = TrainSettings.defaults("vanilla", 5).withEpochs(8).withDevice("cpu");
    TrainRequest.Builder b = TrainRequest.of(t, "vanilla", s, out, encoder).ontology(CellOntology.empty()).baselines(false);
    if (removal) b.adversarial(true).removal(RemovalLadder.defaults());
    return new TrainingPipeline(log::add).run(b.build());
  }

  @Test
  void withoutASexSignalThatGeneralisesNothingIsReversed(TransformerTextEncoder encoder) {
    List<String> log = new ArrayList<>();
    Map<String, Object> m = train(0.0, log, encoder);
    assertThat((String) m.get("sex_removal_choice")).startsWith("no sex signal generalises across the training donors (left-out-donor t = ");
    assertThat(m.get("adversarial")).isEqualTo(false);
    assertThat(((Number) m.get("lambda")).doubleValue()).isZero();
    assertThat((Double) m.get("sex_erasure_t")).isLessThanOrEqualTo(3.0);
    assertThat(log).noneMatch(l -> l.startsWith("sex removal step"));
    assertThat(m.get("input_subspace_dims")).as("inputs as without removal: the whole embedding").isEqualTo(0);
    assertThat(((Number) m.get("sex_erasure_strength")).doubleValue()).as("nothing projected out").isZero();
    Map<String, Object> without = train(0.0, false, new ArrayList<>(), encoder);
    assertThat(losses(m)).as("the same training as without removal").isEqualTo(losses(without));
    assertThat(m.get("accuracy")).isEqualTo(without.get("accuracy"));
  }

  @SuppressWarnings("unchecked")
  private static List<List<Double>> losses(Map<String, Object> metrics) {
    return ((List<EpochRecord>) metrics.get("history")).stream().map(e -> List.of(e.trainLoss(), e.validationLoss())).toList();
  }

  @Test
  void withOneTheFirstStepThatLeavesNoEvidenceOfLeakageIsKept(TransformerTextEncoder encoder) {
    List<String> log = new ArrayList<>();
    Map<String, Object> m = train(1.5, log, encoder);
    assertThat((Double) m.get("sex_erasure_t")).isGreaterThan(3.0);
    assertThat((Integer) m.get("input_subspace_dims")).as("removal reads the discriminant subspace by default").isPositive();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> steps = (List<Map<String, Object>>) m.get("sex_removal_steps");
    assertThat(steps).isNotEmpty();
    for (int i = 0; i < steps.size() - 1; i++) assertThat(steps.get(i).get("sufficient")).as("step " + i).isEqualTo(false);
    Map<String, Object> kept = steps.get(steps.size() - 1);
    assertThat(kept.get("sufficient")).as(String.join("\n", log)).isEqualTo(true);
    double leak = (Double) m.get("validation_sex_leakage_grouped");
    double se = (Double) m.get("validation_sex_leakage_grouped_se");
    assertThat(Math.abs(leak)).isLessThanOrEqualTo(HoldoutComparison.Z_95_ONE_SIDED * se);
    assertThat(((Number) m.get("lambda")).floatValue()).isEqualTo(((Number) kept.get("lambda")).floatValue());
    assertThat((String) m.get("sex_removal_choice")).startsWith((String) kept.get("setting") + ": the first step with no evidence of leakage");
  }
}
