package io.donorstream.scoring;

import io.donorstream.servable.CellScore;
import java.util.ArrayList;
import java.util.List;

/**
 * One micro-batch's answers: the champion's for every cell, and the shadow's (when one serves) for
 * the cells the champion could answer. Computed off the task thread by {@link #score}; emitted on it.
 */
record ScoredBatch(ServingModel model, List<ValidCell> cells, List<CellScore> scores, long nanos, ServingModel shadow,
    List<ValidCell> shadowCells, List<CellScore> shadowScores) {

  /**
   * Scores {@code cells} with {@code model}, then with {@code shadow} (may be null) the cells the
   * champion answered; {@code shadowKnownTypesOnly} leaves cells of a type the shadow has not seen
   * to the champion. Touches nothing but its arguments, so it may run on any thread.
   */
  static ScoredBatch score(ServingModel model, ServingModel shadow, List<ValidCell> cells, int topK, boolean shadowKnownTypesOnly) {
    long t0 = System.nanoTime();
    List<CellScore> scores = scoreWith(model, cells, topK);
    long nanos = System.nanoTime() - t0;
    if (shadow == null) return new ScoredBatch(model, cells, scores, nanos, null, List.of(), List.of());
    List<ValidCell> shadowCells = new ArrayList<>(cells.size());
    for (int i = 0; i < cells.size(); i++) {
      ValidCell c = cells.get(i);
      if (scores.get(i).answerable() && (!shadowKnownTypesOnly || shadow.scorer().knowsCellType(c.cellType))) shadowCells.add(c);
    }
    List<CellScore> shadowScores = shadowCells.isEmpty() ? List.of() : scoreWith(shadow, shadowCells, topK);
    return new ScoredBatch(model, cells, scores, nanos, shadow, shadowCells, shadowScores);
  }

  private static List<CellScore> scoreWith(ServingModel model, List<ValidCell> cells, int topK) {
    int w = model.scorer().inputWidth();
    float[] x = new float[cells.size() * w];
    String[] types = new String[cells.size()];
    for (int i = 0; i < cells.size(); i++) {
      System.arraycopy(cells.get(i).embedding, 0, x, i * w, w);
      types[i] = cells.get(i).cellType;
    }
    return model.scorer().score(x, types, topK);
  }
}
