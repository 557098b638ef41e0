package io.donorstream.pipeline;

import io.donorstream.artifact.ArtifactException;
import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import io.donorstream.eval.ClassificationMetrics;
import io.donorstream.eval.SexLeakage;
import io.donorstream.inference.CalibrationBins;
import io.donorstream.inference.ConfidenceCalibration;
import io.donorstream.inference.DonorNovelty;
import io.donorstream.inference.EncodedCells;
import io.donorstream.inference.Predictions;
import io.donorstream.model.ModelSpec;
import io.donorstream.preprocess.SexErasure;
import io.donorstream.promotion.LeakageReading;
import io.donorstream.report.TrainingPlots;
import io.donorstream.servable.DonorScorer;
import io.donorstream.text.CellTypeTexts;
import io.donorstream.train.DataSplit;
import io.donorstream.train.DonorTrainer;
import io.donorstream.train.PreparedData;
import io.donorstream.train.TrainSettings;
import io.donorstream.train.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
  /** The test cells' ids in the artifact, for {@code predict --cells}. */
  public static final String TEST_CELLS = "test_cells.txt";

  private final Consumer<String> log;

  public TrainingPipeline(Consumer<String> log) {
    this.log = log;
  }

  public Map<String, Object> run(TrainRequest r) {
    DataSplit split = DataSplit.stratifiedByDonor(r.table().donorIds(), VALIDATION_FRACTION, TEST_FRACTION, r.settings().seed());
    CellTypeTexts texts = CellTypeTexts.encode(r.table().cellTypes(), r.table().cellTypeOntologyIds(), r.encoder(), r.ontology());
    log.accept(String.format("data: %d cells x %d, %d donors, %d cell types; split train %d / validation %d / test %d (stratified by donor, seed %d)",
        r.table().size(), r.table().width(), r.table().donors().size(), texts.labels().size(), split.train().length, split.validation().length,
        split.test().length, r.settings().seed()));
    Prepared prepared = new Prepared(r, split, texts);
    Fit fit = r.removal() != null ? removeSex(r, prepared) : fixedRemoval(r, prepared);
    PreparedData data = fit.data();
    TrainSettings s = fit.settings();
    ModelSpec spec = fit.spec();
    int donors = data.donors().size();
    if (data.preprocessor().projects()) {
      log.accept(String.format("inputs: the network read the training donors' discriminant subspace, %d of the embedding's %d dimensions"
          + " (whitened; the default with sex removal, --no-discriminant-inputs for the whole embedding); donor novelty is measured in the whole"
          + " embedding", data.geneWidth(), data.inputWidth()));
    }

    Map<String, Object> metrics = new LinkedHashMap<>();
    try (TrainedModel trained = fit.trained()) {
      Predictions val = trained.predict(data.validation());
      Predictions test = trained.predict(data.test());
      float threshold = percentile(val.energy(), 1 - UNKNOWN_FALSE_ALARM_RATE);
      DonorNovelty novelty = data.novelty();
      int[] truth = data.test().cells().donor();
      ClassificationMetrics cm = ClassificationMetrics.of(truth, test.predicted(), donors);

      Double logreg = null;
      Double majority = null;
      if (r.baselines()) {
        log.accept("baseline: multinomial logistic regression on the same inputs (without sex erasure) and split");
        PreparedData plain = prepared.get(false, data.preprocessor().projects());
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
      metrics.put("input_subspace_dims", data.preprocessor().projects() ? data.geneWidth() : 0);
      SexErasure erased = data.preprocessor().sexErasure();
      metrics.put("sex_erasure_strength", erased == null ? 0 : erased.strength());
      metrics.put("sex_erasure_t", fit.evidence() == null ? null : finiteOrNull(fit.evidence().sharedT()));
      metrics.put("sex_erasure_turn_degrees", erased == null ? null : finiteOrNull(erased.turnDegrees()));
      metrics.put("sex_erasure_same_sex_pairs_kept", erased == null ? null : erased.sameSexPairsKept());
      metrics.put("best_epoch", trained.bestEpoch());
      metrics.put("validation_accuracy", val.accuracy(data.validation().cells().donor()));
      LeakageReading valLeak = fit.validationLeakage() != null ? fit.validationLeakage() : validationLeakage(val, data, s.seed());
      metrics.put("validation_sex_leakage_grouped", valLeak.leakage());
      metrics.put("validation_sex_leakage_grouped_se", valLeak.standardError());
      metrics.put("sex_probe_group_se", leak.groupStandardError());
      if (fit.choice() != null) {
        metrics.put("sex_removal_choice", fit.choice());
        metrics.put("sex_removal_steps", fit.steps());
      }
      metrics.put("novelty_known_mean", finiteOrNull(novelty.knownMean()));
      metrics.put("novelty_unseen_mean", finiteOrNull(novelty.unseenMean()));
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
      ModelManifest manifest = manifest(r, s, spec, data, threshold, metrics);
      manifest.donor_novelty = novelty;
      manifest.confidence_calibration = calibration;
      manifest.cell_type_mix = cellTypeMix(r.table().cellTypes(), split.train());
      String sha = ModelArtifact.write(r.out(), manifest, trained.model());
      writeTestCells(r.out(), r.table(), split.test());
      checkScorerReproduces(r.out(), r.table(), split.test(), test);
      metrics.put("artifact_sha256", sha);
      plots(r, data, trained, cm);
    }
    return metrics;
  }

  /** The split's prepared data with and without sex erasure and the discriminant subspace, each prepared once when first needed. */
  private final class Prepared {
    private final TrainRequest r;
    private final DataSplit split;
    private final CellTypeTexts texts;
    private final Map<List<Boolean>, PreparedData> made = new HashMap<>();

    Prepared(TrainRequest r, DataSplit split, CellTypeTexts texts) {
      this.r = r;
      this.split = split;
      this.texts = texts;
    }

    PreparedData get(boolean erase, boolean subspace) {
      return made.computeIfAbsent(List.of(erase, subspace), k -> PreparedData.prepare(r.table(), split, texts, erase, subspace));
    }
  }

  /**
   * A trained model with what it was trained on and how; {@code steps} and {@code choice} say how the
   * sex removal was chosen (null without removal by evidence).
   */
  private record Fit(PreparedData data, ModelSpec spec, TrainSettings settings, TrainedModel trained, LeakageReading validationLeakage,
      List<Map<String, Object>> steps, String choice, SexErasure evidence) {
    Fit(PreparedData data, ModelSpec spec, TrainSettings settings, TrainedModel trained, LeakageReading validationLeakage,
        List<Map<String, Object>> steps, String choice) {
      this(data, spec, settings, trained, validationLeakage, steps, choice, data.preprocessor().sexErasure());
    }
  }

  /** Training as asked, without a choice by evidence: erasure and adversary as the request says. */
  private Fit fixedRemoval(TrainRequest r, Prepared prepared) {
    PreparedData data = prepared.get(r.erasesSex(), r.discriminantInputs(r.adversarial()));
    if (r.erasesSex()) logErasure(data);
    return fit(r, data, r.adversarial(), r.settings(), r.showProgress());
  }

  private Fit fit(TrainRequest r, PreparedData data, boolean adversarial, TrainSettings s, boolean progress) {
    ModelSpec spec = spec(r, data, adversarial);
    return new Fit(data, spec, s, new DonorTrainer(s, progress, log).train(spec, data.train(), data.validation()), null, null, null);
  }

  private ModelSpec spec(TrainRequest r, PreparedData data, boolean adversarial) {
    int donors = data.donors().size();
    ModelSpec spec = r.architecture().equals(ModelSpec.MULTIMODAL)
        ? ModelSpec.multimodal(data.geneWidth(), data.textDim(), donors, adversarial)
        : ModelSpec.vanilla(data.geneWidth(), data.textDim(), donors, adversarial);
    return spec.withHiddenAndDropout(r.hidden(), r.dropout()).withAttention(r.latents(), r.heads());
  }

  /**
   * Removes sex as hard as the evidence asks ({@link RemovalLadder}): without a sex signal that
   * generalises across the training donors, the erasure's small share and no adversary; with one,
   * the ladder's steps in order until one leaves no evidence of leakage on validation.
   */
  private Fit removeSex(TrainRequest r, Prepared prepared) {
    RemovalLadder ladder = r.removal();
    PreparedData erased = prepared.get(true, r.discriminantInputs(true));
    SexErasure e = erased.preprocessor().sexErasure();
    if (e == null || !(e.sharedT() > SexErasure.SHARED_T)) {
      // Nothing that generalises to remove: train exactly as without removal. Even the small share
      // of the direction that left-out donors reproduce cost vanilla 0.3-0.8 points on OneK1K (3 of
      // 3 seeds) and left the held-out-donor probe where it was (docs/removing-sex.md).
      String why = e == null ? "the training donors are not of both sexes (two of each at least): nothing to remove"
          : String.format(Locale.ROOT, "no sex signal generalises across the training donors (left-out-donor t = %.1f, not above %.0f):"
              + " nothing projected out, no adversary, inputs as without removal", e.sharedT(), SexErasure.SHARED_T);
      log.accept("sex removal chosen: " + why);
      Fit f = fit(r, prepared.get(false, r.discriminantInputs(false)), false, r.settings().withLambda(0f), r.showProgress());
      return new Fit(f.data(), f.spec(), f.settings(), f.trained(), null, List.of(), why, e);
    }
    logErasure(erased);
    List<Map<String, Object>> rows = new ArrayList<>();
    Fit best = null;
    double bestBound = Double.POSITIVE_INFINITY;
    int n = ladder.steps().size();
    for (int k = 0; k < n; k++) {
      RemovalLadder.Step step = ladder.steps().get(k);
      log.accept(String.format(Locale.ROOT, "sex removal step %d/%d: training with %s", k + 1, n, step.describe()));
      Fit f = fit(r, prepared.get(step.erase(), r.discriminantInputs(true)), step.adversarial(), r.settings().withLambda(step.lambda()),
          r.showProgress());
      Predictions val = f.trained().predict(f.data().validation());
      double accuracy = val.accuracy(f.data().validation().cells().donor());
      LeakageReading leak = validationLeakage(val, f.data(), r.settings().seed());
      boolean enough = ladder.sufficient(leak);
      log.accept(String.format(Locale.ROOT, "sex removal step %d/%d, %s: validation accuracy %.3f, donor-held-out sex leakage %s: %s", k + 1, n,
          step.describe(), accuracy, leak, enough ? "no evidence of leakage" : "not enough"));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("setting", step.describe());
      row.put("lambda", step.lambda());
      row.put("validation_accuracy", accuracy);
      row.put("validation_sex_leakage_grouped", leak.leakage());
      row.put("validation_sex_leakage_grouped_se", leak.standardError());
      row.put("sufficient", enough);
      rows.add(row);
      double bound = leak.available() ? leak.upperBound() : Double.POSITIVE_INFINITY;
      if (enough) {
        if (best != null) best.trained().close();
        String choice = String.format(Locale.ROOT, "%s: the first step with no evidence of leakage on validation (%s; the inputs' sex signal"
            + " generalises across donors, t = %.1f)", step.describe(), leak, e.sharedT());
        log.accept("sex removal chosen: " + choice);
        return new Fit(f.data(), f.spec(), f.settings(), f.trained(), leak, rows, choice);
      }
      if (best == null || bound < bestBound) {
        if (best != null) best.trained().close();
        best = new Fit(f.data(), f.spec(), f.settings(), f.trained(), leak, null, step.describe());
        bestBound = bound;
      } else {
        f.trained().close();
      }
      if (leak.available() && leak.leakage() < 0) {
        // Already reading sex backwards: a stronger reversal only pushes further (measured on seed-cns draws).
        log.accept("sex removal: the probe reads sex backwards already; stronger removal would push it further, so the ladder stops here");
        break;
      }
    }
    String choice = String.format(Locale.ROOT, "%s: no step tried left the validation probe within its noise of chance; the least leaky kept (%s)",
        best.choice(), best.validationLeakage());
    log.accept("sex removal chosen: " + choice);
    return new Fit(best.data(), best.spec(), best.settings(), best.trained(), best.validationLeakage(), rows, choice);
  }

  private static LeakageReading validationLeakage(Predictions val, PreparedData data, long seed) {
    EncodedCells cells = data.validation().cells();
    return SexLeakage.measure(val.latent(), val.latentDim(), cells.sex(), cells.donor(), seed).grouped();
  }

  private void logErasure(PreparedData data) {
    SexErasure e = data.preprocessor().sexErasure();
    if (e == null) return;
    String how = e.sameSexPairsKept()
        ? "%.1f° from the in-sample one, so that every female-male pair of donors loses the unbiased estimate of the shared gap"
            + " and no same-sex pair loses anything"
        : "the in-sample one turned by %.1f° towards identity so that it removes the unbiased estimate of the gap and no more";
    log.accept(e.sharedT() > SexErasure.SHARED_T
        ? String.format("sex erasure: left-out donors reproduce the sex difference with t = %.1f (above %.0f): a whole direction projected out,"
            + " " + how, e.sharedT(), SexErasure.SHARED_T, e.turnDegrees())
        : String.format("sex erasure: left-out donors reproduce the sex difference with t = %.1f; %.0f%% of it projected out"
            + " (all of it above t = %.0f)", e.sharedT(), 100 * e.strength(), SexErasure.SHARED_T));
  }

  /**
   * The ids of the test cells, one per line in file order, so that {@code predict --cells} can score
   * exactly them and be checked against this run's test metrics. Not in SHA256SUMS: the scorer
   * never reads it.
   */
  private static void writeTestCells(Path dir, io.donorstream.data.CellTable table, int[] testRows) {
    StringBuilder b = new StringBuilder();
    for (int row : testRows) b.append(table.cellIds()[row]).append('\n');
    try {
      Files.writeString(dir.resolve(TEST_CELLS), b, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(TEST_CELLS), e);
    }
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

  private ModelManifest manifest(TrainRequest r, TrainSettings settings, ModelSpec spec, PreparedData data, float threshold,
      Map<String, Object> metrics) {
    ModelManifest m = new ModelManifest();
    m.name = r.name();
    m.version = r.version();
    m.created_at = Instant.now().toString();
    m.spec = spec;
    m.embedding_key = r.table().embeddingKey();
    m.input_width = data.inputWidth();
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
    training.put("settings", settings);
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
          + (trained.net().spec().adversarial() ? " + adversarial" : data.preprocessor().sexErasure() != null ? " + sex erasure" : "");
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
