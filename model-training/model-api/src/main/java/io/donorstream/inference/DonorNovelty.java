package io.donorstream.inference;

/**
 * How far a cell lies from every donor the model knows: the squared distance of its preprocessed
 * embedding (centred, standardised, sex-erased; the whole of it, also when the network reads only
 * the training donors' discriminant subspace, where a new donor's cells look like known ones) to
 * the nearest training donor's mean. One cell says little (a
 * cell of an unseen donor lies a little further from all known donors than a known donor's cell
 * lies from its own), but a window's mean says how many cells come from donors the model does not
 * know, and unlike the model's own confidence it can be calibrated exactly before any such donor
 * arrives: on validation, each cell is scored once with its own donor known ({@code knownMean}) and
 * once with its donor left out ({@code unseenMean}), which is what a cell of a new donor looks like.
 * The share of unknown-donor cells in a window with mean novelty m is then (m - knownMean) /
 * (unseenMean - knownMean), a mixture estimate ({@link #unknownShare}).
 *
 * @param centroids per donor (in the manifest's donor order), its training cells' mean preprocessed embedding
 * @param knownSd per-cell standard deviation of the novelty of known donors' validation cells
 */
public record DonorNovelty(float[][] centroids, double knownMean, double knownSd, double unseenMean) implements java.io.Serializable {
  /**
   * Below this separation (unseen minus known mean, in per-cell SDs) novelty cannot tell new donors
   * from known ones with a usable number of cells, and no share is estimated.
   */
  public static final double MIN_SEPARATION = 0.1;

  /** Centroids from {@code train}; the two reference means from {@code validation} (every donor needs training cells). */
  public static DonorNovelty fit(EncodedCells train, EncodedCells validation, int donors) {
    return fit(train.gene(), train.donor(), validation.gene(), validation.donor(), train.width(), donors);
  }

  /**
   * The same from preprocessed rows (row-major, {@code width} wide) and their donor indices.
   */
  public static DonorNovelty fit(float[] trainRows, int[] trainDonor, float[] validationRows, int[] validationDonor, int width, int donors) {
    int w = width;
    double[][] sum = new double[donors][w];
    int[] n = new int[donors];
    for (int i = 0; i < trainDonor.length; i++) {
      int d = trainDonor[i];
      n[d]++;
      for (int j = 0; j < w; j++) sum[d][j] += trainRows[i * w + j];
    }
    float[][] centroids = new float[donors][w];
    for (int d = 0; d < donors; d++) {
      if (n[d] == 0) throw new IllegalArgumentException("donor index " + d + " has no training cells");
      for (int j = 0; j < w; j++) centroids[d][j] = (float) (sum[d][j] / n[d]);
    }
    double known = 0;
    double knownSq = 0;
    double unseen = 0;
    int unseenN = 0;
    float[] dist = new float[donors];
    for (int i = 0; i < validationDonor.length; i++) {
      distances(centroids, validationRows, i * w, dist);
      int own = validationDonor[i];
      float best = Float.MAX_VALUE;
      float bestOther = Float.MAX_VALUE;
      for (int d = 0; d < donors; d++) {
        best = Math.min(best, dist[d]);
        if (d != own) bestOther = Math.min(bestOther, dist[d]);
      }
      known += best;
      knownSq += (double) best * best;
      if (donors > 1) {
        unseen += bestOther;
        unseenN++;
      }
    }
    int m = validationDonor.length;
    double mean = m == 0 ? Double.NaN : known / m;
    double sd = m < 2 ? Double.NaN : Math.sqrt(Math.max(0, (knownSq - m * mean * mean) / (m - 1)));
    return new DonorNovelty(centroids, mean, sd, unseenN == 0 ? Double.NaN : unseen / unseenN);
  }

  /** Novelty of each of the {@code n} rows of {@code gene} (preprocessed, row-major). */
  public float[] scores(float[] gene, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = score(gene, i);
    return out;
  }

  /** Novelty of row {@code row} of {@code gene} (preprocessed, row-major). */
  public float score(float[] gene, int row) {
    int w = centroids[0].length;
    float best = Float.MAX_VALUE;
    for (float[] c : centroids) best = Math.min(best, squaredDistance(gene, row * w, c));
    return best;
  }

  /**
   * A batch's preprocessed rows, scored on demand: most cells need no novelty (only those whose
   * prediction carries the monitoring payload do), and it costs as much as the rest of scoring a cell.
   */
  public record Rows(DonorNovelty novelty, float[] gene) {
    public float score(int row) {
      return novelty.score(gene, row);
    }
  }

  /** The calibration without the centroids: what a monitor needs to read a window's mean. */
  public DonorNovelty calibration() {
    return new DonorNovelty(null, knownMean, knownSd, unseenMean);
  }

  /** The share of a window's cells from unknown donors ({@link #unknownShare(double, double, double, long, double, double)}). */
  public Share unknownShare(long cells, double mean, double sd) {
    return unknownShare(knownMean, knownSd, unseenMean, cells, mean, sd);
  }

  /** Whether the unseen-donor mean sits far enough from the known one for a share to be estimated. */
  public boolean informative() {
    return informative(knownMean, knownSd, unseenMean);
  }

  static boolean informative(double knownMean, double knownSd, double unseenMean) {
    return Double.isFinite(knownMean) && Double.isFinite(unseenMean) && Double.isFinite(knownSd)
        && unseenMean - knownMean > MIN_SEPARATION * knownSd;
  }

  /** The share estimate and its standard error; {@code share} is clamped to [0, 1]. */
  public record Share(double share, double standardError) implements java.io.Serializable {
    /** Its one-sided 95 % lower bound, at least 0. */
    public double lowerBound() {
      return Math.max(0, share - 1.645 * standardError);
    }
  }

  /**
   * The share of a window's cells that come from donors the model does not know, from their mean
   * novelty and its spread: null when the calibration is not informative or the window is empty.
   */
  public static Share unknownShare(double knownMean, double knownSd, double unseenMean, long cells, double mean, double sd) {
    if (cells == 0 || !informative(knownMean, knownSd, unseenMean)) return null;
    double gap = unseenMean - knownMean;
    double share = Math.max(0, Math.min(1, (mean - knownMean) / gap));
    double spread = cells > 1 && Double.isFinite(sd) ? sd : knownSd;
    return new Share(share, spread / Math.sqrt(cells) / gap);
  }

  private static void distances(float[][] centroids, float[] gene, int from, float[] out) {
    for (int d = 0; d < centroids.length; d++) out[d] = squaredDistance(gene, from, centroids[d]);
  }

  /**
   * Squared distance of {@code c.length} values of {@code x} from {@code from} to {@code c}. Eight
   * running sums, not one: a single sum waits on each addition before the next (the JIT may not
   * reorder float additions), and a width of 512 against a dozen donors is thousands of additions
   * per cell on the scoring job's task thread (5.6 µs a cell with one sum, 3.0 with eight, measured
   * on 14 donors × 512). Training's calibration and scoring both come here, so they sum alike.
   */
  static float squaredDistance(float[] x, int from, float[] c) {
    int n = c.length;
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int j = 0;
    for (; j + 7 < n; j += 8) {
      int f = from + j;
      float v0 = x[f] - c[j];
      float v1 = x[f + 1] - c[j + 1];
      float v2 = x[f + 2] - c[j + 2];
      float v3 = x[f + 3] - c[j + 3];
      float v4 = x[f + 4] - c[j + 4];
      float v5 = x[f + 5] - c[j + 5];
      float v6 = x[f + 6] - c[j + 6];
      float v7 = x[f + 7] - c[j + 7];
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
      s4 += v4 * v4;
      s5 += v5 * v5;
      s6 += v6 * v6;
      s7 += v7 * v7;
    }
    for (; j < n; j++) {
      float v = x[from + j] - c[j];
      s0 += v * v;
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }
}
