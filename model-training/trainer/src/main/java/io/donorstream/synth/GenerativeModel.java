package io.donorstream.synth;

import java.util.SplittableRandom;

/**
 * The true densities behind a synthetic set. Cells live on a low-dimensional biological manifold,
 * as real embeddings do: a latent {@code h | d, c ~ N(mu_c + a z_d + b s_d u, I_k)} is placed in
 * the embedding by a random orthonormal map {@code Q} (width x k) plus a little isotropic noise:
 * {@code x = Q h + sigma e}. Because the class means lie in the span of Q and the noise outside it
 * carries no signal, {@code Q^T x = h + sigma Q^T e} is sufficient: every class density there has
 * covariance {@code (1 + sigma^2) I}, the type centroid cancels once the type is known, and the
 * Bayes-optimal rule is the prior-weighted nearest mean. Its accuracy is estimated by Monte Carlo.
 */
public final class GenerativeModel {
  final int width;
  final int latentDim;
  final double[][] embedding;
  final double isotropicNoise;
  final double[][] typeCentroids;
  final double[][] donorDirections;
  final double[] sexDirection;
  final int[] sexSign;
  final double[] donorPrior;
  final double[] typeProb;
  final double donorSignal;
  final double sexSignal;

  GenerativeModel(int width, double[][] embedding, double isotropicNoise, double[][] typeCentroids, double[][] donorDirections, double[] sexDirection, int[] sexSign,
      double[] donorPrior, double[] typeProb, double donorSignal, double sexSignal) {
    this.width = width;
    this.latentDim = typeCentroids[0].length;
    this.embedding = embedding;
    this.isotropicNoise = isotropicNoise;
    this.typeCentroids = typeCentroids;
    this.donorDirections = donorDirections;
    this.sexDirection = sexDirection;
    this.sexSign = sexSign;
    this.donorPrior = donorPrior;
    this.typeProb = typeProb;
    this.donorSignal = donorSignal;
    this.sexSignal = sexSignal;
  }

  /** Draws one embedding of a cell of type {@code c} from donor {@code d} into {@code out}. */
  void sample(int d, int c, SplittableRandom rng, float[] out, int offset, double[] h) {
    double a = donorSignal;
    double b = sexSignal * sexSign[d];
    for (int l = 0; l < latentDim; l++) {
      h[l] = typeCentroids[c][l] + a * donorDirections[d][l] + b * sexDirection[l] + rng.nextGaussian();
    }
    for (int j = 0; j < width; j++) {
      double v = isotropicNoise * rng.nextGaussian();
      double[] q = embedding[j];
      for (int l = 0; l < latentDim; l++) v += q[l] * h[l];
      out[offset + j] = (float) v;
    }
  }

  int drawDonor(SplittableRandom rng) {
    double r = rng.nextDouble();
    double acc = 0;
    for (int d = 0; d < donorPrior.length; d++) {
      acc += donorPrior[d];
      if (r < acc) return d;
    }
    return donorPrior.length - 1;
  }

  /**
   * Monte-Carlo accuracy of the Bayes-optimal donor classifier.
   *
   * @param sexBlind true for the best classifier that cannot see the sex direction: it sees only
   *     the projection of x orthogonal to {@code u}
   */
  public Estimate bayesAccuracy(int samples, long seed, boolean sexBlind) {
    SplittableRandom rng = new SplittableRandom(seed);
    int donors = donorPrior.length;
    double[] logPrior = new double[donors];
    for (int d = 0; d < donors; d++) logPrior[d] = Math.log(donorPrior[d]);
    double[] y = new double[latentDim];
    double sd = Math.sqrt(1 + isotropicNoise * isotropicNoise);
    double var = sd * sd;
    double[] dz = new double[donors];
    int correct = 0;
    for (int s = 0; s < samples; s++) {
      int d = drawDonor(rng);
      // The type centroid cancels in every comparison, so y is the draw minus it.
      double b = sexSignal * sexSign[d];
      for (int j = 0; j < latentDim; j++) {
        y[j] = donorSignal * donorDirections[d][j] + b * sexDirection[j] + sd * rng.nextGaussian();
      }
      double yu = dot(y, sexDirection);
      for (int k = 0; k < donors; k++) dz[k] = dot(y, donorDirections[k]);
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < donors; k++) {
        // -||y - m_k||^2 / (2 var) + log prior, dropping the ||y||^2 term common to every k; z_k
        // is a unit vector orthogonal to u, so ||m_k||^2 = a^2 + b_k^2.
        double score = (donorSignal * dz[k] - 0.5 * donorSignal * donorSignal) / var + logPrior[k];
        if (!sexBlind) {
          double bk = sexSignal * sexSign[k];
          score += (bk * yu - 0.5 * bk * bk) / var;
        }
        if (score > bestScore) {
          bestScore = score;
          best = k;
        }
      }
      if (best == d) correct++;
    }
    double p = (double) correct / samples;
    return new Estimate(p, Math.sqrt(p * (1 - p) / samples), samples);
  }

  /** A Monte-Carlo estimate with its standard error. */
  public record Estimate(double value, double standardError, int samples) {}

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
