package io.donorstream.synth;

import io.donorstream.synth.CellTypeCatalog.CellType;
import java.util.List;

/**
 * What to generate. Cells of type {@code c} from donor {@code d} (sex {@code s = ±1}) are drawn
 * from {@code N(mu_c + donorSignal * z_d + sexSignal * s * u, I)}: type centroids {@code mu_c},
 * unit donor directions {@code z_d} orthogonal to the unit sex direction {@code u}.
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
    if (width < femaleDonors + maleDonors + 1) {
      throw new IllegalArgumentException("--width must exceed the number of donors (" + (femaleDonors + maleDonors) + ") so donor and sex directions fit");
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
        512, "geneformer", 2.0, 1.5, 6.0, seed);
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
    return new SyntheticSpec("custom", cells, female, donors - female, chosen, counts, width, key, donorSignal, sexSignal, 6.0, seed);
  }
}
