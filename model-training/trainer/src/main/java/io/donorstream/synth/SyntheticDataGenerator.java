package io.donorstream.synth;

import io.donorstream.data.Shuffle;
import io.donorstream.data.CellTable;
import java.util.SplittableRandom;

/** Draws a synthetic cell table from a {@link SyntheticSpec}, reproducibly from its seed. */
public final class SyntheticDataGenerator {
  /** Monte-Carlo draws behind each Bayes accuracy: standard error about 0.0015. */
  public static final int BAYES_SAMPLES = 100_000;

  private SyntheticDataGenerator() {}

  public record Result(CellTable table, GenerativeModel model, GenerativeModel.Estimate bayes,
      GenerativeModel.Estimate sexBlindBayes) {}

  public static Result generate(SyntheticSpec spec, String datasetId) {
    SplittableRandom rng = new SplittableRandom(spec.seed());
    GenerativeModel model = buildModel(spec, rng);
    int n = spec.cells();
    int w = spec.width();

    int[] types = new int[n];
    for (int c = 0, i = 0; c < spec.cellTypeCounts().length; c++) {
      for (int k = 0; k < spec.cellTypeCounts()[c]; k++) types[i++] = c;
    }
    Shuffle.shuffle(types, rng);

    String[] donorNames = new String[spec.donors()];
    String[] donorSex = new String[spec.donors()];
    for (int d = 0; d < spec.donors(); d++) {
      donorNames[d] = String.format("D%02d", d + 1);
      donorSex[d] = model.sexSign[d] > 0 ? "female" : "male";
    }

    String[] ids = new String[n];
    String[] donorIds = new String[n];
    String[] sexes = new String[n];
    String[] cellTypes = new String[n];
    String[] ontology = new String[n];
    float[] emb = new float[n * w];
    double[] h = new double[model.latentDim];
    for (int i = 0; i < n; i++) {
      int d = model.drawDonor(rng);
      int c = types[i];
      model.sample(d, c, rng, emb, i * w, h);
      ids[i] = String.format("%s-%06d", datasetId, i); // unique across generated sets, like barcodes with a sample suffix
      donorIds[i] = donorNames[d];
      sexes[i] = donorSex[d];
      cellTypes[i] = spec.cellTypes().get(c).label();
      ontology[i] = spec.cellTypes().get(c).ontologyId();
    }
    CellTable table = new CellTable(datasetId, spec.embeddingKey(), w, ids, emb, cellTypes, ontology, donorIds, sexes, 0);
    return new Result(table, model,
        model.bayesAccuracy(BAYES_SAMPLES, spec.seed() + 1, false),
        model.bayesAccuracy(BAYES_SAMPLES, spec.seed() + 2, true));
  }

  static GenerativeModel buildModel(SyntheticSpec spec, SplittableRandom rng) {
    int width = spec.width();
    int w = spec.latentDim();
    int donors = spec.donors();
    double[] u = unit(gaussian(w, rng));
    double[][] z = new double[donors][];
    for (int d = 0; d < donors; d++) {
      double[] v = gaussian(w, rng);
      double vu = GenerativeModel.dot(v, u);
      for (int j = 0; j < w; j++) v[j] -= vu * u[j];
      z[d] = unit(v);
    }
    double[][] mu = new double[spec.cellTypes().size()][];
    for (int c = 0; c < mu.length; c++) {
      double[] v = unit(gaussian(w, rng));
      for (int j = 0; j < w; j++) v[j] *= spec.typeSeparation();
      mu[c] = v;
    }
    int[] sexSign = new int[donors];
    for (int d = 0; d < donors; d++) sexSign[d] = d < spec.femaleDonors() ? 1 : -1;
    Shuffle.shuffle(sexSign, rng);
    // Donor supports vary about four-fold, as in the original data (193-808 test cells per donor).
    double[] prior = new double[donors];
    double total = 0;
    for (int d = 0; d < donors; d++) {
      prior[d] = 1.0 + 3.0 * d / Math.max(1, donors - 1);
      total += prior[d];
    }
    for (int d = 0; d < donors; d++) prior[d] /= total;
    Shuffle.shuffle(prior, rng);
    double[] typeProb = new double[mu.length];
    for (int c = 0; c < mu.length; c++) typeProb[c] = (double) spec.cellTypeCounts()[c] / spec.cells();
    return new GenerativeModel(width, orthonormalColumns(width, w, rng), spec.isotropicNoise(), mu, z, u, sexSign, prior, typeProb, spec.donorSignal(), spec.sexSignal());
  }

  /** A random width x k matrix with orthonormal columns (Gram-Schmidt on Gaussian vectors), by rows. */
  private static double[][] orthonormalColumns(int width, int k, SplittableRandom rng) {
    double[][] cols = new double[k][];
    for (int l = 0; l < k; l++) {
      double[] v = gaussian(width, rng);
      for (int m = 0; m < l; m++) {
        double p = GenerativeModel.dot(v, cols[m]);
        for (int j = 0; j < width; j++) v[j] -= p * cols[m][j];
      }
      cols[l] = unit(v);
    }
    double[][] rows = new double[width][k];
    for (int j = 0; j < width; j++) for (int l = 0; l < k; l++) rows[j][l] = cols[l][j];
    return rows;
  }

  private static double[] gaussian(int n, SplittableRandom rng) {
    double[] v = new double[n];
    for (int j = 0; j < n; j++) v[j] = rng.nextGaussian();
    return v;
  }

  private static double[] unit(double[] v) {
    double norm = Math.sqrt(GenerativeModel.dot(v, v));
    for (int j = 0; j < v.length; j++) v[j] /= norm;
    return v;
  }
}
