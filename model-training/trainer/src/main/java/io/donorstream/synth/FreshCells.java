package io.donorstream.synth;

import io.donorstream.data.CellTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/**
 * New cells of chosen donors drawn from a generated set's own model, as many as wanted and never the
 * same twice: a stream that goes on after the generated table's cells, with the same donors, sexes,
 * cell-type mix and signal strengths (so the set's Bayes rates hold for it too).
 */
public final class FreshCells {
  private final SyntheticSpec spec;
  private final GenerativeModel model;
  private final String idPrefix;
  private final SplittableRandom rng;
  private long drawn;

  /** @param idPrefix cell ids are {@code <idPrefix>-<n>}, numbered on from 1 */
  public FreshCells(SyntheticSpec spec, GenerativeModel model, String idPrefix, long seed) {
    this.spec = spec;
    this.model = model;
    this.idPrefix = idPrefix;
    this.rng = new SplittableRandom(seed);
  }

  /** {@code n} new cells whose donors are drawn from {@code donors} in their set's proportions. */
  public CellTable draw(Collection<String> donors, int n) {
    List<Integer> chosen = new ArrayList<>();
    double total = 0;
    for (String d : donors) {
      int k = Integer.parseInt(d.substring(1)) - 1;
      if (k < 0 || k >= model.donorPrior.length || !d.equals(name(k))) throw new IllegalArgumentException("no donor " + d + " in this set");
      chosen.add(k);
      total += model.donorPrior[k];
    }
    if (chosen.isEmpty()) throw new IllegalArgumentException("no donors to draw cells of");
    int w = spec.width();
    String[] ids = new String[n];
    String[] donorIds = new String[n];
    String[] sexes = new String[n];
    String[] types = new String[n];
    String[] ontology = new String[n];
    float[] emb = new float[n * w];
    double[] h = new double[model.latentDim];
    for (int i = 0; i < n; i++) {
      int d = pick(chosen, total);
      int c = pickType();
      model.sample(d, c, rng, emb, i * w, h);
      ids[i] = String.format("%s-%07d", idPrefix, ++drawn);
      donorIds[i] = name(d);
      sexes[i] = model.sexSign[d] > 0 ? "female" : "male";
      types[i] = spec.cellTypes().get(c).label();
      ontology[i] = spec.cellTypes().get(c).ontologyId();
    }
    return new CellTable(idPrefix, spec.embeddingKey(), w, ids, emb, types, ontology, donorIds, sexes, 0);
  }

  private static String name(int d) {
    return String.format("D%02d", d + 1);
  }

  private int pick(List<Integer> donors, double total) {
    double r = rng.nextDouble() * total;
    for (int d : donors) {
      r -= model.donorPrior[d];
      if (r < 0) return d;
    }
    return donors.get(donors.size() - 1);
  }

  private int pickType() {
    double r = rng.nextDouble();
    for (int c = 0; c < model.typeProb.length; c++) {
      r -= model.typeProb[c];
      if (r < 0) return c;
    }
    return model.typeProb.length - 1;
  }
}
