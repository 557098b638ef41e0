package io.donorstream.pipeline;

import io.donorstream.inference.EncodedCells;
import io.donorstream.inference.Predictions;
import io.donorstream.preprocess.SexErasure;
import io.donorstream.train.DataSplit;
import io.donorstream.train.DonorTrainer;
import io.donorstream.train.PreparedData;
import io.donorstream.train.TrainSettings;
import io.donorstream.train.TrainedModel;
import io.donorstream.artifact.ArtifactException;
import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import io.donorstream.inference.CalibrationBins;
import io.donorstream.inference.ConfidenceCalibration;
import io.donorstream.eval.ClassificationMetrics;
import io.donorstream.eval.SexLeakage;
import io.donorstream.model.ModelSpec;
import io.donorstream.report.TrainingPlots;
import io.donorstream.scorer.DonorScorer;
import io.donorstream.text.CellTypeTexts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A whole, honest training run: split by donor, train with early stopping on validation, calibrate
 * the unknown-donor threshold on validation, evaluate once on test beside the majority and
 * logistic-regression baselines, measure sex leakage of the learned representation, write the
 * artifact, and check that the artifact's scorer reproduces the test predictions.
 */
public final class TrainingPipeline {
  public static final double VALIDATION_FRACTION = 0.15;
  public static final double TEST_FRACTION = 0.15;
  /** Share of validation cells (all from known donors) that the unknown-donor flag may wrongly mark. */
  public static final double UNKNOWN_FALSE_ALARM_RATE = 0.01;

  private final Consumer<String> log;

  public TrainingPipeline(Consumer<String> log) {
    this.log = log;
  }

  public Map<String, Object> run(TrainRequest r) {
    TrainSettings s = r.settings();
    DataSplit split = DataSplit.stratifiedByDonor(r.table().donorIds(), VALIDATION_FRACTION, TEST_FRACTION, s.seed());
    CellTypeTexts texts = CellTypeTexts.encode(r.table().cellTypes(), r.table().cellTypeOntologyIds(), r.encoder(), r.ontology());
    PreparedData data = PreparedData.prepare(r.table(), split, texts, r.adversarial());
    int donors = data.donors().size();
    log.accept(String.format("data: %d cells x %d, %d donors, %d cell types; split train %d / validation %d / test %d (stratified by donor, seed %d)",
        r.table().size(), r.table().width(), donors, texts.labels().size(), split.train().length, split.validation().length,
        split.test().length, s.seed()));
    if (data.preprocessor().sexErasure() != null) {
      SexErasure e = data.preprocessor().sexErasure();
      log.accept(e.sharedT() > SexErasure.SHARED_T
          ? String.format("sex erasure: left-out donors reproduce the sex difference with t = %.1f (above %.0f): a whole direction projected out,"
              + " the in-sample one turned by %.1f° so that it removes the unbiased estimate of the gap and no more", e.sharedT(),
              SexErasure.SHARED_T, e.turnDegrees())
          : String.format("sex erasure: left-out donors reproduce the sex difference with t = %.1f; %.0f%% of it projected out"
              + " (all of it above t = %.0f)", e.sharedT(), 100 * e.strength(), SexErasure.SHARED_T));
    }

    ModelSpec spec = r.architecture().equals(ModelSpec.MULTIMODAL)
        ? ModelSpec.multimodal(data.geneWidth(), data.textDim(), donors, r.adversarial())
        : ModelSpec.vanilla(data.geneWidth(), data.textDim(), donors, r.adversarial());
    spec = spec.withHiddenAndDropout(r.hidden(), r.dropout()).withAttention(r.latents(), r.heads());

    Map<String, Object> metrics = new LinkedHashMap<>();
    try (TrainedModel trained = new DonorTrainer(s, r.showProgress(), log).train(spec, data.train(), data.validation())) {
      Predictions val = trained.predict(data.validation());
      Predictions test = trained.predict(data.test());
      float threshold = percentile(val.energy(), 1 - UNKNOWN_FALSE_ALARM_RATE);
      int[] truth = data.test().cells().donor();
      ClassificationMetrics cm = ClassificationMetrics.of(truth, test.predicted(), donors);

      Double logreg = null;
      Double majority = null;
      if (r.baselines()) {
        log.accept("baseline: multinomial logistic regression on the same inputs (without sex erasure) and split");
        PreparedData plain = data.preprocessor().sexErasure() == null ? data : PreparedData.prepare(r.table(), split, texts, false);
        logreg = Baselines.logistic(plain, s.seed(), s.device()).accuracy();
        majority = ClassificationMetrics.majorityBaseline(data.train().cells().donor(), truth, donors);
      }

      EncodedCells testCells = data.test().cells();
      SexLeakage.Result leak = SexLeakage.measure(test.latent(), test.latentDim(), testCells.sex(), testCells.donor(), s.seed());
      SexLeakage.Result inputLeak = SexLeakage.measure(testCells.gene(), testCells.width(), testCells.sex(), testCells.donor(), s.seed());

      metrics.put("accuracy", cm.accuracy());
      metrics.put("macro_f1", cm.macroF1());
      metrics.put("weighted_f1", cm.weightedF1());
      metrics.put("balanced_accuracy", cm.balancedAccuracy());
      metrics.put("sex_probe_balanced_accuracy", leak.balancedAccuracy());
      metrics.put("sex_probe_auc", leak.auc());
      metrics.put("sex_probe_group_balanced_accuracy", leak.groupBalancedAccuracy());
      metrics.put("cross_sex_error_rate", crossSexErrorRate(truth, test.predicted(), data));
      metrics.put("baseline_logreg_accuracy", logreg);
      metrics.put("baseline_majority_accuracy", majority);
      metrics.put("n_train", split.train().length);
      metrics.put("n_val", split.validation().length);
      metrics.put("n_test", split.test().length);
      metrics.put("n_donors", donors);
      metrics.put("epochs", trained.epochsRun());
      metrics.put("train_seconds", trained.trainSeconds());
      metrics.put("model", spec.architecture());
      metrics.put("seed", s.seed());
      metrics.put("align", s.alignEpochs() > 0 && spec.isMultimodal());
      metrics.put("adversarial", spec.adversarial());
      metrics.put("lambda", spec.adversarial() ? s.lambda() : 0);
      metrics.put("sex_erasure_strength", data.preprocessor().sexErasure() == null ? 0 : data.preprocessor().sexErasure().strength());
      metrics.put("sex_erasure_t", data.preprocessor().sexErasure() == null ? null : finiteOrNull(data.preprocessor().sexErasure().sharedT()));
      metrics.put("sex_erasure_turn_degrees", data.preprocessor().sexErasure() == null ? null : finiteOrNull(data.preprocessor().sexErasure().turnDegrees()));
      metrics.put("best_epoch", trained.bestEpoch());
      metrics.put("validation_accuracy", val.accuracy(data.validation().cells().donor()));
      metrics.put("input_sex_probe_balanced_accuracy", inputLeak.balancedAccuracy());
      metrics.put("input_sex_probe_group_balanced_accuracy", inputLeak.groupBalancedAccuracy());
      metrics.put("sex_metrics_note", leak.reason());
      metrics.put("unknown_donor_energy_threshold", threshold);
      metrics.put("test_unknown_donor_rate", rate(test.energy(), threshold));
      metrics.put("per_donor", perDonor(cm, data));
      metrics.put("donors", data.donors());
      metrics.put("confusion_matrix", cm.confusion());
      metrics.put("history", trained.history());

      ConfidenceCalibration calibration = ConfidenceCalibration.fit(confidences(val), correct(val, data.validation().cells().donor()));
      putCalibrationMetrics(metrics, calibration, test, truth);
      ModelManifest manifest = manifest(r, spec, data, threshold, metrics);
      manifest.confidence_calibration = calibration;
      manifest.cell_type_mix = cellTypeMix(r.table().cellTypes(), split.train());
      String sha = ModelArtifact.write(r.out(), manifest, trained.model());
      checkScorerReproduces(r.out(), r.table(), split.test(), test);
      metrics.put("artifact_sha256", sha);
      plots(r, data, trained, cm);
    }
    return metrics;
  }

  /**
   * The scorer, loaded from disk with checksums verified and fed the raw test rows, must give the
   * trainer's test predictions bit for bit.
   */
  private void checkScorerReproduces(Path dir, io.donorstream.data.CellTable table, int[] testRows, Predictions expected) {
    io.donorstream.data.CellTable raw = table.select(testRows);
    try (DonorScorer scorer = DonorScorer.load(dir)) {
      Predictions got = scorer.predict(raw.embedding(), raw.cellTypes(), raw.cellIds());
      if (!Arrays.equals(got.probabilities(), expected.probabilities()) || !Arrays.equals(got.latent(), expected.latent())) {
        for (int i = 0; i < raw.size(); i++) {
          if (got.predicted(i) != expected.predicted(i)) {
            throw new ArtifactException("scorer disagrees with the trainer on test cell " + raw.cellIds()[i]);
          }
        }
        throw new ArtifactException("scorer's test probabilities differ from the trainer's (same predictions)");
      }
      log.accept("scorer check: the artifact reproduces all " + raw.size() + " test predictions exactly");
    }
  }

  private ModelManifest manifest(TrainRequest r, ModelSpec spec, PreparedData data, float threshold, Map<String, Object> metrics) {
    ModelManifest m = new ModelManifest();
    m.name = r.name();
    m.version = r.version();
    m.created_at = Instant.now().toString();
    m.spec = spec;
    m.embedding_key = r.table().embeddingKey();
    m.input_width = data.geneWidth();
    data.preprocessor().writeTo(m);
    m.donors = data.donors();
    m.donor_sex = data.donorSex();
    m.text_encoder = data.texts().encoderName();
    m.text_dim = data.textDim();
    m.cell_types = data.texts().labels();
    m.text_embeddings = new LinkedHashMap<>();
    for (int i = 0; i < m.cell_types.size(); i++) m.text_embeddings.put(m.cell_types.get(i), data.texts().vectors()[i]);
    m.unknown_energy_threshold = threshold;
    m.unknown_calibration = "energy above the " + (100 * (1 - UNKNOWN_FALSE_ALARM_RATE)) + "th percentile of validation cells";
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("settings", r.settings());
    training.put("dataset", r.table().datasetId());
    training.put("split", "train/validation/test " + (1 - VALIDATION_FRACTION - TEST_FRACTION) + "/" + VALIDATION_FRACTION + "/" + TEST_FRACTION + " stratified by donor");
    m.training = training;
    Map<String, Object> summary = new LinkedHashMap<>(metrics);
    summary.remove("history");
    m.metrics = summary;
    return m;
  }

  private void plots(TrainRequest r, PreparedData data, TrainedModel trained, ClassificationMetrics cm) {
    try {
      Path dir = Files.createDirectories(r.out().resolve("plots"));
      String title = r.architecture() + (r.settings().alignEpochs() > 0 && r.architecture().equals("multimodal") ? " + align" : "")
          + (r.adversarial() ? " + adversarial" : "");
      TrainingPlots.curves(trained.history(), "training: " + title, dir.resolve("training_curves.png"));
      TrainingPlots.confusion(cm.confusion(), data.donors(), data.donorSex(), "test confusion: " + title, dir.resolve("confusion_matrix.png"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plots to " + r.out(), e);
    }
  }

  /**
   * How well confidence tells accuracy on the test split, before and after the validation-fitted
   * calibration, and the label-free accuracy estimate (mean calibrated confidence) beside the real one.
   */
  private static void putCalibrationMetrics(Map<String, Object> metrics, ConfidenceCalibration calibration, Predictions test, int[] truth) {
    float[] conf = confidences(test);
    boolean[] right = correct(test, truth);
    float[] calibrated = new float[conf.length];
    double sum = 0;
    for (int i = 0; i < conf.length; i++) {
      calibrated[i] = (float) calibration.apply(conf[i]);
      sum += calibrated[i];
    }
    metrics.put("test_ece", CalibrationBins.ece(conf, right));
    metrics.put("test_ece_calibrated", CalibrationBins.ece(calibrated, right));
    metrics.put("test_estimated_accuracy", conf.length == 0 ? null : sum / conf.length);
  }

  private static float[] confidences(Predictions p) {
    float[] c = new float[p.n()];
    for (int i = 0; i < c.length; i++) c[i] = p.confidence(i);
    return c;
  }

  private static boolean[] correct(Predictions p, int[] truth) {
    int[] predicted = p.predicted();
    boolean[] right = new boolean[predicted.length];
    for (int i = 0; i < right.length; i++) right[i] = predicted[i] == truth[i];
    return right;
  }

  private static Map<String, Double> cellTypeMix(String[] cellTypes, int[] rows) {
    Map<String, Double> mix = new java.util.TreeMap<>();
    for (int r : rows) mix.merge(cellTypes[r], 1.0 / rows.length, Double::sum);
    return mix;
  }

  private static Double crossSexErrorRate(int[] truth, int[] predicted, PreparedData data) {
    int errors = 0;
    int cross = 0;
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] == predicted[i]) continue;
      String a = data.donorSex().get(data.donors().get(truth[i]));
      String b = data.donorSex().get(data.donors().get(predicted[i]));
      if (a == null || b == null) continue;
      errors++;
      if (!a.equals(b)) cross++;
    }
    return errors == 0 ? null : (double) cross / errors;
  }

  private static List<Map<String, Object>> perDonor(ClassificationMetrics cm, PreparedData data) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int d = 0; d < data.donors().size(); d++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("donor", data.donors().get(d));
      m.put("sex", data.donorSex().get(data.donors().get(d)));
      m.put("precision", cm.precision()[d]);
      m.put("recall", cm.recall()[d]);
      m.put("f1", cm.f1()[d]);
      m.put("support", cm.support()[d]);
      out.add(m);
    }
    return out;
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static float percentile(float[] values, double q) {
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    int idx = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[idx];
  }

  private static double rate(float[] energy, float threshold) {
    int n = 0;
    for (float e : energy) if (e > threshold) n++;
    return energy.length == 0 ? 0 : (double) n / energy.length;
  }
}
