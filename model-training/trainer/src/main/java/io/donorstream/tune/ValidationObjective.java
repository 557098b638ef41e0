package io.donorstream.tune;

import io.donorstream.data.CellTable;
import io.donorstream.eval.SexLeakage;
import io.donorstream.inference.EncodedCells;
import io.donorstream.inference.Predictions;
import io.donorstream.model.ModelSpec;
import io.donorstream.text.CellOntology;
import io.donorstream.text.CellTypeTexts;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.DataSplit;
import io.donorstream.train.DonorTrainer;
import io.donorstream.train.EpochListener;
import io.donorstream.train.Hyperparameters;
import io.donorstream.train.PreparedData;
import io.donorstream.train.TrainSettings;
import io.donorstream.train.TrainedModel;
import java.util.Arrays;

/**
 * A trial's score on the validation split. It is built from the training and validation cells
 * alone: the test cells are cut out of the table before anything (cell-type vocabulary, scaling,
 * sex erasure) is fitted, so no setting can be chosen by them.
 *
 * <p>Without an adversary the objective is validation accuracy. With one it is validation accuracy
 * minus how far a sex probe reads above chance from the validation latents of donors it was not
 * trained on: {@code accuracy - max(0, grouped probe balanced accuracy - 0.5)}, so a point of
 * leakage costs as much as a point of accuracy.
 */
public final class ValidationObjective {
  /** A scored trial: the objective and its parts. */
  public record Outcome(double value, double accuracy, Double groupedProbe, int epochs) {}

  private final PreparedData data;
  private final String architecture;
  private final boolean adversarial;
  private final TrainSettings base;

  private ValidationObjective(PreparedData data, String architecture, boolean adversarial, TrainSettings base) {
    this.data = data;
    this.architecture = architecture;
    this.adversarial = adversarial;
    this.base = base;
  }

  /** @param base settings every trial starts from (seed, epochs, alignment, device) */
  public static ValidationObjective prepare(CellTable table, DataSplit split, String architecture, boolean adversarial, TrainSettings base,
      TextEncoder encoder, CellOntology ontology) {
    CellTable visible = withoutTest(table, split);
    int nTrain = split.train().length;
    DataSplit inner = new DataSplit(range(0, nTrain), range(nTrain, visible.size()), new int[0]);
    CellTypeTexts texts = CellTypeTexts.encode(visible.cellTypes(), visible.cellTypeOntologyIds(), encoder, ontology);
    return new ValidationObjective(PreparedData.prepare(visible, inner, texts, adversarial), architecture, adversarial, base);
  }

  /** The training rows followed by the validation rows; the test rows are not there. */
  static CellTable withoutTest(CellTable table, DataSplit split) {
    int[] rows = new int[split.train().length + split.validation().length];
    System.arraycopy(split.train(), 0, rows, 0, split.train().length);
    System.arraycopy(split.validation(), 0, rows, split.train().length, split.validation().length);
    return table.select(rows);
  }

  public int validationCells() {
    return data.validation().cells().size();
  }

  public Outcome evaluate(Hyperparameters p, EpochListener listener) {
    ModelSpec spec = architecture.equals(ModelSpec.MULTIMODAL)
        ? ModelSpec.multimodal(data.geneWidth(), data.textDim(), data.donors().size(), adversarial)
        : ModelSpec.vanilla(data.geneWidth(), data.textDim(), data.donors().size(), adversarial);
    spec = p.applyTo(spec);
    try (TrainedModel m = new DonorTrainer(p.applyTo(base), false, msg -> {}, listener).train(spec, data.train(), data.validation())) {
      Predictions val = m.predict(data.validation());
      EncodedCells cells = data.validation().cells();
      double accuracy = val.accuracy(cells.donor());
      if (!adversarial) return new Outcome(accuracy, accuracy, null, m.epochsRun());
      Double probe = SexLeakage.measure(val.latent(), val.latentDim(), cells.sex(), cells.donor(), base.seed()).groupBalancedAccuracy();
      double leakage = probe == null ? 0 : Math.max(0, probe - 0.5);
      return new Outcome(accuracy - leakage, accuracy, probe, m.epochsRun());
    }
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    Arrays.setAll(r, i -> from + i);
    return r;
  }
}
