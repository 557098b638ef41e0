package io.donorstream.synth;

import io.donorstream.synth.CellTypeCatalog.CellType;
import java.util.List;

/**
 * What to generate. A cell of type {@code c} from donor {@code d} (sex {@code s = ±1}) has a
 * latent {@code h ~ N(mu_c + donorSignal * z_d + sexSignal * s * u, I)} in {@code latentDim}
 * dimensions (type centroids {@code mu_c}, unit donor directions {@code z_d} orthogonal to the unit
 * sex direction {@code u}), placed in the {@code width}-dimensional embedding by a random
 * orthonormal map plus isotropic noise of SD {@code isotropicNoise} (see {@link GenerativeModel}).
 *
 * @param cellTypeCounts exact cells per type (sums to {@code cells})
 */
public record SyntheticSpec(
    String preset,
    int cells,
    int femaleDonors,
    int maleDonors,
    List<CellType> cellTypes,
    int[] cellTypeCounts,
    int width,
    int latentDim,
    double isotropicNoise,
    String embeddingKey,
    double donorSignal,
    double sexSignal,
    double typeSeparation,
    long seed) {

  public int donors() {
    return femaleDonors + maleDonors;
  }

  public SyntheticSpec {
    if (femaleDonors < 0 || maleDonors < 0 || femaleDonors + maleDonors < 2) {
      throw new IllegalArgumentException("need at least 2 donors, got " + femaleDonors + " female + " + maleDonors + " male");
    }
    if (latentDim < femaleDonors + maleDonors + 1 || latentDim > width) {
      throw new IllegalArgumentException("the latent dimension (" + latentDim + ") must exceed the number of donors ("
          + (femaleDonors + maleDonors) + ") so donor and sex directions fit, and not exceed --width (" + width + ")");
    }
    if (cellTypeCounts.length != cellTypes.size()) {
      throw new IllegalArgumentException("one count per cell type expected");
    }
    long sum = 0;
    for (int c : cellTypeCounts) sum += c;
    if (sum != cells) {
      throw new IllegalArgumentException("cell-type counts sum to " + sum + ", not " + cells);
    }
    if (donorSignal < 0 || sexSignal < 0) {
      throw new IllegalArgumentException("signal strengths must be >= 0");
    }
  }

  /** The original project's shape: 31,780 CNS cells, 512-d Geneformer, 14 donors (6 + 8). */
  public static SyntheticSpec seedCns(long seed) {
    int cells = 0;
    for (int c : CellTypeCatalog.SEED_CNS_COUNTS) cells += c;
    return new SyntheticSpec("seed-cns", cells, 6, 8, CellTypeCatalog.SEED_CNS_TYPES, CellTypeCatalog.SEED_CNS_COUNTS.clone(),
        512, 32, 0.1, "geneformer", 2.0, 1.5, 6.0, seed);
  }

  /** Generic set with Zipf-like cell-type imbalance (the commonest type ~ 3-10x the rarest). */
  public static SyntheticSpec generic(int cells, int donors, int types, int width, String key,
      double donorSignal, double sexSignal, long seed) {
    List<CellType> chosen = CellTypeCatalog.first(types);
    double[] w = new double[types];
    double total = 0;
    for (int c = 0; c < types; c++) {
      w[c] = 1.0 / Math.pow(c + 1, 1.1);
      total += w[c];
    }
    int[] counts = new int[types];
    int assigned = 0;
    for (int c = 0; c < types; c++) {
      counts[c] = (int) Math.floor(cells * w[c] / total);
      assigned += counts[c];
    }
    counts[0] += cells - assigned;
    int female = donors / 2;
    int latent = Math.min(width, Math.max(32, donors + 2));
    return new SyntheticSpec("custom", cells, female, donors - female, chosen, counts, width, latent, 0.1, key, donorSignal, sexSignal, 6.0, seed);
  }
}
