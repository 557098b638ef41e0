package io.donorstream.quality;

import java.util.Map;

/**
 * Quality of one model version over one window, as numbers; a field is null where the window
 * holds nothing to compute it from (no labels, one sex only, no calibration map, ...).
 *
 * @param sexAccuracyGap accuracy on female cells minus accuracy on male cells
 * @param crossSexErrorRate share of wrong answers that name a donor of the other sex
 * @param unseenDonorLabelShare share of labelled cells whose donor the model was not trained on
 * @param estimatedAccuracy label-free, open-set CBPE: {@code estimatedAccuracyCbpe} times one minus {@code
 *     unknownDonorShare} (plain CBPE when the share is unknown)
 * @param estimatedAccuracyCbpe mean calibrated confidence over all predictions, labelled or not (CBPE)
 * @param unknownDonorShare label-free estimate of the share of cells from donors the model does not know
 * @param estimationError estimated minus realised accuracy, where labels exist
 * @param cellTypePsi population stability index of the window's cell-type mix against training's
 */
public record QualitySnapshot(
    String modelName,
    String modelVersion,
    long windowStart,
    long windowEnd,
    long predictions,
    long labelled,
    Double accuracy,
    Double macroF1,
    Double balancedAccuracy,
    Map<String, Double> perCellTypeAccuracy,
    Map<String, Double> perSexAccuracy,
    Double sexAccuracyGap,
    Double crossSexErrorRate,
    Double unknownDonorRate,
    Double unseenDonorLabelShare,
    Double meanConfidence,
    Double ece,
    Double estimatedAccuracy,
    Double estimationError,
    Double cellTypePsi,
    Double estimatedAccuracyCbpe,
    Double unknownDonorShare,
    Double unknownDonorShareSe) implements java.io.Serializable {}
