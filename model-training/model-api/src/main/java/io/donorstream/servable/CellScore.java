package io.donorstream.servable;

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
 * @param largestInput the largest magnitude among the cell's standardised network inputs (in training standard deviations)
 */
public record CellScore(String predictedDonor, float confidence, boolean unknownDonor, float energy, String[] topDonors,
    float[] topProbabilities, Predictions batch, int row, DonorNovelty.Rows noveltyRows, float largestInput) {
  /**
   * The most standard deviations from the training cells an input may lie and still be answered: no
   * measured cell comes near (embeddings' standardised values stay within tens), while finite values
   * of any magnitude (3e38) overflow the network or give a confident answer about nothing.
   */
  public static final float MAX_STANDARDISED_INPUT = 1e4f;

  /** Whether the cell gets an answer: its input within range ({@link #inRange}) and the model's output a number ({@link #isFinite}). */
  public boolean answerable() {
    return inRange() && isFinite();
  }

  /** False for a cell whose standardised input is not finite or lies beyond {@link #MAX_STANDARDISED_INPUT}. */
  public boolean inRange() {
    return largestInput <= MAX_STANDARDISED_INPUT;
  }

  /** Squared distance to the nearest known donor ({@link DonorNovelty}), computed when asked; NaN for artifacts without it. */
  public float novelty() {
    return noveltyRows == null ? Float.NaN : noveltyRows.score(row);
  }

  /**
   * False when the model's output for this cell is not a number: finite inputs of huge magnitude
   * overflow after standardisation, and such a cell must not be answered with NaN probabilities.
   */
  public boolean isFinite() {
    if (!Float.isFinite(confidence) || !Float.isFinite(energy)) return false;
    for (float p : topProbabilities) if (!Float.isFinite(p)) return false;
    return true;
  }

  /** The model's representation of the cell (for leakage and drift monitoring), a copy. */
  public float[] latent() {
    return batch.latentRow(row);
  }
}
