package io.donorstream.scorer;

import io.donorstream.inference.Predictions;

/**
 * A scorer's answer for one cell.
 *
 * @param topDonors most probable donors, best first
 * @param unknownDonor true when the cell's energy is above the threshold calibrated on validation:
 *     it looks like none of the donors the model knows
 * @param novelty squared distance to the nearest known donor ({@link io.donorstream.inference.DonorNovelty}); NaN
 *     for artifacts without it
 * @param batch the outputs of the batch the cell was scored in, and {@code row} its row there: the
 *     latent is copied out only for the cells that need it ({@link #latent()})
 */
public record CellScore(String predictedDonor, float confidence, boolean unknownDonor, float energy, float novelty, String[] topDonors,
    float[] topProbabilities, Predictions batch, int row) {

  /** The model's representation of the cell (for leakage and drift monitoring), a copy. */
  public float[] latent() {
    return batch.latentRow(row);
  }
}
