package io.donorstream.quality;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import io.donorstream.promotion.DonorClusteredRate;
import io.donorstream.promotion.LeakageReading;
import java.util.HashMap;
import java.util.Map;

/**
 * How much sex a model's latent still carries, measured on the stream: logistic probes learned by
 * SGD (class-balanced, L2) from labelled cells and scored prequentially, each cell tested before it
 * is learned. One probe learns from every donor (the cell-level leakage). Five more split the donors
 * into five folds by a hash of the donor id, each never learning from its own fold: a cell is tested
 * by the probe that never saw its donor and then taught to the other four, so every donor is scored
 * by a probe blind to it. That is 5-fold cross-validation grouped by donor, the streaming twin of
 * training's {@code sex_probe_group_balanced_accuracy}, which a probe cannot pass by recognising donors.
 */
public final class OnlineSexProbe implements Serializable {
  static final int FOLDS = 5;
  static final double LEARNING_RATE = 0.05;
  static final double L2 = 1e-4;

  private final RunningScale scale;
  private final Logistic all;
  private final Logistic[] grouped = new Logistic[FOLDS];
  private final BinaryScores allScores;
  private final BinaryScores groupedScores;
  private long female;
  private long male;
  /** Per donor, the fading weight of its cells the blind probes tested and of those they read right, and its sex. */
  private final Map<String, double[]> perDonor = new HashMap<>();
  private final double fadingFactor;

  public OnlineSexProbe(int latentDim, double fadingFactor) {
    scale = new RunningScale(latentDim);
    all = new Logistic(latentDim);
    for (int f = 0; f < FOLDS; f++) grouped[f] = new Logistic(latentDim);
    this.fadingFactor = fadingFactor;
    allScores = new BinaryScores(fadingFactor);
    groupedScores = new BinaryScores(fadingFactor);
  }

  /** Tests, then learns from, one labelled cell; cells of unknown sex or another latent width are skipped. */
  public void observe(float[] latent, String donor, String sex) {
    if (sex == null || latent.length != scale.dim()) return;
    boolean isFemale = sex.equals("female");
    if (!isFemale && !sex.equals("male")) return;
    scale.observe(latent);
    double[] z = scale.standardise(latent);
    allScores.add(all.probability(z), isFemale);
    int fold = fold(donor);
    double blind = grouped[fold].probability(z);
    groupedScores.add(blind, isFemale);
    countForDonor(donor, isFemale, (blind >= 0.5) == isFemale);
    if (isFemale) female++;
    else male++;
    // Balanced classes: each sex weighs as much in total, whatever the stream's mix.
    double weight = 0.5 * (female + male) / (isFemale ? female : male);
    all.learn(z, isFemale, weight);
    for (int f = 0; f < FOLDS; f++) {
      if (f != fold) grouped[f].learn(z, isFemale, weight);
    }
  }

  /** Balanced accuracy minus 0.5 over every donor; null until both sexes were seen. */
  public Double leakage() {
    Double b = allScores.balancedAccuracy();
    return b == null ? null : b - 0.5;
  }

  /** The same, each cell scored by the probe that never learned from its donor; null until both sexes were seen. */
  public Double groupedLeakage() {
    Double b = groupedScores.balancedAccuracy();
    return b == null ? null : b - 0.5;
  }

  /**
   * The donor-held-out leakage with its donor-clustered standard error ({@link DonorClusteredRate}),
   * over the donors the fading window still holds; {@link LeakageReading#NONE} until both sexes were seen.
   */
  public LeakageReading groupedReading() {
    Double leak = groupedLeakage();
    if (leak == null) return LeakageReading.NONE;
    int n = perDonor.size();
    double[] cells = new double[n];
    double[] right = new double[n];
    boolean[] isFemale = new boolean[n];
    int k = 0;
    for (double[] c : perDonor.values()) {
      cells[k] = c[0];
      right[k] = c[1];
      isFemale[k++] = c[2] > 0;
    }
    DonorClusteredRate rate = DonorClusteredRate.of(cells, right, isFemale);
    return new LeakageReading(leak, rate == null ? null : rate.standardError(), n, female + male);
  }

  private void countForDonor(String donor, boolean isFemale, boolean right) {
    // Fading as the scores fade; a donor whose weight has faded below half a cell has left the window.
    perDonor.values().removeIf(c -> {
      c[0] *= fadingFactor;
      c[1] *= fadingFactor;
      return c[0] < 0.5;
    });
    double[] c = perDonor.computeIfAbsent(donor, d -> new double[3]);
    c[0]++;
    if (right) c[1]++;
    c[2] = isFemale ? 1 : 0;
  }

  public Double auc() {
    return allScores.auc();
  }

  public Double groupedAuc() {
    return groupedScores.auc();
  }

  /** The donor's fold, 0 to 4 (stable across runs and machines). */
  public static int fold(String donor) {
    CRC32 crc = new CRC32();
    crc.update(donor.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % FOLDS);
  }

  private static final class Logistic implements Serializable {
    private final double[] w;
    private double bias;

    Logistic(int dim) {
      w = new double[dim];
    }

    double probability(double[] z) {
      double s = bias;
      for (int j = 0; j < w.length; j++) s += w[j] * z[j];
      return 1 / (1 + Math.exp(-s));
    }

    void learn(double[] z, boolean positive, double weight) {
      double g = (probability(z) - (positive ? 1 : 0)) * weight;
      for (int j = 0; j < w.length; j++) w[j] -= LEARNING_RATE * (g * z[j] + L2 * w[j]);
      bias -= LEARNING_RATE * g;
    }
  }
}
