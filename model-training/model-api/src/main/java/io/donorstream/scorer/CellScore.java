package io.donorstream.scorer;

/**
 * A scorer's answer for one cell.
 *
 * @param topDonors most probable donors, best first
 * @param unknownDonor true when the cell's energy is above the threshold calibrated on validation:
 *     it looks like none of the donors the model knows
 * @param latent the model's representation of the cell (for leakage and drift monitoring)
 */
public record CellScore(String predictedDonor, float confidence, boolean unknownDonor, float energy, String[] topDonors,
    float[] topProbabilities, float[] latent) {}
