package io.donorstream.quality;

/**
 * One prediction as the monitor sees it, with its label when one is known.
 *
 * @param counted true the first time a prediction is seen (it counts towards prediction totals);
 *     false when a late label brings it back only for the labelled metrics
 * @param trueDonor null when unlabelled
 * @param sex the labelled cell's sex (female / male), null when unknown or unlabelled
 * @param shadow true for a shadow model's answer (from {@code predictions-shadow})
 * @param novelty the cell's distance to the nearest known donor ({@code DonorNovelty}); NaN when the model has none
 */
public record Outcome(
    String cellId,
    String modelName,
    String modelVersion,
    long eventTime,
    String predictedDonor,
    float confidence,
    boolean unknownDonor,
    String cellType,
    float[] latent,
    String trueDonor,
    String sex,
    boolean counted,
    boolean shadow,
    float novelty) implements java.io.Serializable {

  /** A champion's answer. */
  public Outcome(String cellId, String modelName, String modelVersion, long eventTime, String predictedDonor, float confidence,
      boolean unknownDonor, String cellType, float[] latent, String trueDonor, String sex, boolean counted) {
    this(cellId, modelName, modelVersion, eventTime, predictedDonor, confidence, unknownDonor, cellType, latent, trueDonor, sex, counted, false,
        Float.NaN);
  }

  public boolean labelled() {
    return trueDonor != null;
  }

  /** The same prediction with a label that came later, for the labelled metrics only. */
  public Outcome withLateLabel(String donor, String labelSex, long labelTime) {
    return new Outcome(cellId, modelName, modelVersion, Math.max(eventTime, labelTime), predictedDonor, confidence, unknownDonor, cellType,
        latent, donor, labelSex, false, shadow, novelty);
  }

  public boolean correct() {
    return trueDonor != null && trueDonor.equals(predictedDonor);
  }
}
