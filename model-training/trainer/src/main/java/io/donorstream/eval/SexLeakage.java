package io.donorstream.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import io.donorstream.promotion.DonorClusteredRate;
import io.donorstream.promotion.LeakageReading;

/**
 * How much sex a representation reveals, measured by a logistic probe on held-out cells: with
 * cell-level cross-validation (balanced accuracy, AUC), and with cross-validation grouped by donor
 * (balanced accuracy): the probe then predicts the sex of donors it never saw, so it only succeeds
 * on a sex signal that generalises across donors, which is the confounder proper.
 *
 * <p>The donor-grouped figure is averaged over {@link #GROUP_REPEATS} random deals of the donors into
 * folds. With a dozen donors a fold holds one or two of each sex, and which donors share a fold moved
 * a single deal's reading by ±0.03 (20 deals on generated 512-d data: 0.518–0.574 for one model's
 * test cells); the average keeps the partition out of the figure, so it says what the
 * representation leaks, and the donor-clustered standard error says how well 14 donors can tell.
 */
public final class SexLeakage {
  public static final int FOLDS = 5;
  /** Deals of the donors into folds that the donor-grouped figure is averaged over. */
  public static final int GROUP_REPEATS = 10;
  /** Seeds of successive deals of donors into folds lie this far apart. */
  private static final long DEAL_STRIDE = 7919;

  /**
   * Leakage figures; a figure is null when it cannot be computed (and {@code reason} says why).
   *
   * @param groupStandardError donor-clustered standard error of {@code groupBalancedAccuracy}
   *     ({@link DonorClusteredRate})
   */
  public record Result(Double balancedAccuracy, Double auc, Double groupBalancedAccuracy, Double groupStandardError, int donors, int cells,
      String reason) {
    static Result unavailable(String reason) {
      return new Result(null, null, null, null, 0, 0, reason);
    }

    /** The donor-grouped figure as a leakage reading (balanced accuracy minus 0.5, with its standard error). */
    public LeakageReading grouped() {
      return groupBalancedAccuracy == null ? LeakageReading.NONE
          : new LeakageReading(groupBalancedAccuracy - 0.5, groupStandardError, donors, cells);
    }
  }

  private SexLeakage() {}

  /**
   * @param sex 1 female, 0 male, -1 unknown (left out)
   */
  public static Result measure(float[] x, int dim, int[] sex, int[] donor, long seed) {
    return measure(x, dim, sex, donor, seed, GROUP_REPEATS);
  }

  /** The same with the donor-grouped figure averaged over {@code repeats} deals. */
  static Result measure(float[] x, int dim, int[] sex, int[] donor, long seed, int repeats) {
    List<Integer> known = new ArrayList<>();
    for (int i = 0; i < sex.length; i++) if (sex[i] >= 0) known.add(i);
    int females = 0;
    for (int i : known) females += sex[i];
    if (known.isEmpty()) return Result.unavailable("the data has no sex labels");
    if (females == 0 || females == known.size()) return Result.unavailable("only one sex is present in the evaluated cells");

    int[] rows = known.stream().mapToInt(Integer::intValue).toArray();
    int[] cellFold = stratifiedFolds(rows, sex, seed);
    double[] prob = crossValidated(x, dim, sex, rows, cellFold);
    double ba = balancedAccuracy(rows, sex, prob);
    double auc = auc(rows, sex, prob);

    Double groupBa = null;
    Double groupSe = null;
    int donors = 0;
    String reason = null;
    // The deals, each from its own seed (the first is the one a single deal used); whether there are
    // enough donors of each sex does not depend on the seed.
    int[][] deals = new int[repeats][];
    for (int r = 0; r < repeats; r++) deals[r] = donorFolds(rows, sex, donor, seed + DEAL_STRIDE * r);
    if (deals[0] == null) {
      reason = "fewer than 2 donors of each sex: the donor-grouped probe is not available";
    } else {
      // Independent deals fitted side by side on the machine's cores, summed in their order, so the
      // figure does not depend on the cores. Per cell, the share of deals in which the probe, trained
      // without the cell's donor, read its sex right.
      double[][] byDeal = java.util.stream.IntStream.range(0, repeats).parallel()
          .mapToObj(r -> crossValidated(x, dim, sex, rows, deals[r])).toArray(double[][]::new);
      double[] hits = new double[rows.length];
      for (double[] groupProb : byDeal) {
        for (int k = 0; k < rows.length; k++) if (right(groupProb[k], sex[rows[k]])) hits[k] += 1.0 / repeats;
      }
      groupBa = balancedAccuracyOfHits(rows, sex, hits);
      DonorClusteredRate clustered = perDonor(rows, sex, donor, hits);
      groupSe = clustered.standardError();
      donors = clustered.donors();
    }
    return new Result(ba, auc, groupBa, groupSe, donors, rows.length, reason);
  }

  private static boolean right(double prob, int sex) {
    return (prob >= 0.5 ? 1 : 0) == sex;
  }

  /** The probe's hits (per cell, the share of deals it was right in) counted per donor, for a standard error with donors as the units. */
  private static DonorClusteredRate perDonor(int[] rows, int[] sex, int[] donor, double[] hits) {
    Map<Integer, Integer> index = new LinkedHashMap<>();
    for (int r : rows) index.putIfAbsent(donor[r], index.size());
    double[] cells = new double[index.size()];
    double[] right = new double[index.size()];
    boolean[] female = new boolean[index.size()];
    for (int k = 0; k < rows.length; k++) {
      int d = index.get(donor[rows[k]]);
      int s = sex[rows[k]];
      cells[d]++;
      female[d] = s == 1;
      right[d] += hits[k];
    }
    return DonorClusteredRate.of(cells, right, female);
  }

  private static double[] crossValidated(float[] x, int dim, int[] sex, int[] rows, int[] fold) {
    double[] prob = new double[rows.length];
    for (int f = 0; f < FOLDS; f++) {
      List<Integer> train = new ArrayList<>();
      for (int k = 0; k < rows.length; k++) if (fold[k] != f) train.add(rows[k]);
      if (train.size() == rows.length) continue;
      LogisticProbe probe = LogisticProbe.fit(x, dim, sex, train.stream().mapToInt(Integer::intValue).toArray());
      for (int k = 0; k < rows.length; k++) if (fold[k] == f) prob[k] = probe.probability(x, rows[k]);
    }
    return prob;
  }

  private static int[] stratifiedFolds(int[] rows, int[] sex, long seed) {
    Random rng = new Random(seed);
    int[] fold = new int[rows.length];
    for (int s = 0; s <= 1; s++) {
      List<Integer> ks = new ArrayList<>();
      for (int k = 0; k < rows.length; k++) if (sex[rows[k]] == s) ks.add(k);
      java.util.Collections.shuffle(ks, rng);
      for (int i = 0; i < ks.size(); i++) fold[ks.get(i)] = i % FOLDS;
    }
    return fold;
  }

  /** Donors dealt round-robin into folds, each sex separately, so every training part has both. */
  private static int[] donorFolds(int[] rows, int[] sex, int[] donor, long seed) {
    Map<Integer, Integer> sexOfDonor = new LinkedHashMap<>();
    for (int r : rows) sexOfDonor.put(donor[r], sex[r]);
    List<Integer> f = new ArrayList<>();
    List<Integer> m = new ArrayList<>();
    sexOfDonor.forEach((d, s) -> (s == 1 ? f : m).add(d));
    if (f.size() < 2 || m.size() < 2) return null;
    Random rng = new Random(seed + 1);
    java.util.Collections.shuffle(f, rng);
    java.util.Collections.shuffle(m, rng);
    int folds = Math.min(FOLDS, Math.min(f.size(), m.size()));
    Map<Integer, Integer> foldOf = new LinkedHashMap<>();
    for (int i = 0; i < f.size(); i++) foldOf.put(f.get(i), i % folds);
    for (int i = 0; i < m.size(); i++) foldOf.put(m.get(i), i % folds);
    int[] fold = new int[rows.length];
    for (int k = 0; k < rows.length; k++) fold[k] = foldOf.get(donor[rows[k]]);
    return fold;
  }

  static double balancedAccuracy(int[] rows, int[] sex, double[] prob) {
    double[] hits = new double[rows.length];
    for (int k = 0; k < rows.length; k++) hits[k] = right(prob[k], sex[rows[k]]) ? 1 : 0;
    return balancedAccuracyOfHits(rows, sex, hits);
  }

  /** Balanced accuracy from per-cell hits in [0, 1]. */
  static double balancedAccuracyOfHits(int[] rows, int[] sex, double[] hits) {
    int[] n = new int[2];
    double[] hit = new double[2];
    for (int k = 0; k < rows.length; k++) {
      int s = sex[rows[k]];
      n[s]++;
      hit[s] += hits[k];
    }
    return 0.5 * (hit[0] / n[0] + hit[1] / n[1]);
  }

  /** Area under the ROC curve, by the rank-sum formula with ties counted half. */
  static double auc(int[] rows, int[] sex, double[] prob) {
    Integer[] order = new Integer[rows.length];
    for (int k = 0; k < order.length; k++) order[k] = k;
    java.util.Arrays.sort(order, (a, b) -> Double.compare(prob[a], prob[b]));
    double rankSumPos = 0;
    long pos = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && prob[order[j + 1]] == prob[order[i]]) j++;
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (sex[rows[order[k]]] == 1) {
          rankSumPos += rank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = rows.length - pos;
    return (rankSumPos - pos * (pos + 1) / 2.0) / (pos * (double) neg);
  }
}
