package io.donorstream.predict;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-cell columns {@code predict} writes, in order, to both the CSV and the h5ad's obs: one
 * list so that the two files cannot drift apart.
 */
public final class PredictionColumns {
  public static final String CELL_ID = "cell_id";
  public static final String PREDICTED_DONOR = "predicted_donor";
  public static final String CONFIDENCE = "confidence";
  public static final String CALIBRATED_CONFIDENCE = "calibrated_confidence";
  public static final String UNKNOWN_DONOR = "unknown_donor";
  public static final String LATENT_KEY = "donorstream_latent";

  private PredictionColumns() {}

  public static String topDonor(int rank) {
    return "top" + rank + "_donor";
  }

  public static String topProbability(int rank) {
    return "top" + rank + "_probability";
  }

  /** Every column after the cell id, for {@code topK} ranked donors. */
  public static List<String> perCell(int topK) {
    List<String> c = new ArrayList<>(List.of(PREDICTED_DONOR, CONFIDENCE, CALIBRATED_CONFIDENCE, UNKNOWN_DONOR));
    for (int r = 1; r <= topK; r++) {
      c.add(topDonor(r));
      c.add(topProbability(r));
    }
    return c;
  }
}
