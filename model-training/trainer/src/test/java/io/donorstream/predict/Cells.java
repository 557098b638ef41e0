package io.donorstream.predict;

import io.donorstream.inference.Predictions;
import io.donorstream.servable.CellScore;

/** Hand-made scored cells for the output tests: each its own one-cell batch with a given latent. */
final class Cells {
  private Cells() {}

  static ScoredCell scored(String id, String truth, String sex, String predicted, float confidence, boolean flagged, String[] top, float[] p,
      float... latent) {
    Predictions batch = new Predictions(1, top.length, latent.length, p.clone(), latent, new float[] {0}, 0);
    CellScore s = new CellScore(predicted, confidence, flagged, 0, top, p, batch, 0, null, 1f);
    return new ScoredCell(id, truth, sex, "neuron", s, Float.NaN);
  }

  /** A cell whose top donor is {@code predicted} with probability 0.6. */
  static ScoredCell simple(String id, String truth, String sex, String predicted, boolean flagged, float... latent) {
    String other = predicted.equals("D1") ? "D2" : "D1";
    return scored(id, truth, sex, predicted, 0.6f, flagged, new String[] {predicted, other}, new float[] {0.6f, 0.4f}, latent);
  }
}
