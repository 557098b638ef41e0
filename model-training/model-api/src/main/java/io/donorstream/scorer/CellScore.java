package io.donorstream.scorer;

import io.donorstream.inference.DonorNovelty;
import io.donorstream.inference.Predictions;

/**
 * A scorer's answer for one cell.
 *
 * @param topDonors most probable donors, best first
 * @param unknownDonor true when the cell's energy is above the threshold calibrated on validation:
 *     it looks like none of the donors the model knows
 * @param batch the outputs of the batch the cell was scored in, and {@code row} its row there: the
 *     latent is copied out only for the cells that need it ({@link #latent()})
 * @param noveltyRows the batch's preprocessed rows, for {@link #novelty()} on demand; null for artifacts without novelty
 */
public record CellScore(String predictedDonor, float confidence, boolean unknownDonor, float energy, String[] topDonors,
    float[] topProbabilities, Predictions batch, int row, DonorNovelty.Rows noveltyRows) {

  /** Squared distance to the nearest known donor ({@link DonorNovelty}), computed when asked; NaN for artifacts without it. */
  public float novelty() {
    return noveltyRows == null ? Float.NaN : noveltyRows.score(row);
  }

  /** The model's representation of the cell (for leakage and drift monitoring), a copy. */
  public float[] latent() {
    return batch.latentRow(row);
  }
}
