package io.donorstream.train;

import io.donorstream.data.CellTable;
import io.donorstream.text.CellTypeTexts;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cell table turned into network inputs: split, standardised with training statistics, cell
 * types mapped to their text embeddings, donors and sexes to indices.
 */
public record PreparedData(
    DataSplit split,
    TypeCentering centering,
    Standardizer standardizer,
    Standardizer textStandardizer,
    List<String> donors,
    Map<String, String> donorSex,
    CellTypeTexts texts,
    SexErasure sexErasure,
    Batches train,
    Batches validation,
    Batches test) {

  public static PreparedData prepare(CellTable t, DataSplit split, CellTypeTexts texts) {
    return prepare(t, split, texts, false);
  }

  /**
   * @param eraseSex project out the sex direction shared across the training donors (see {@link
   *     SexErasure}); ignored when the training donors are not of both sexes
   */
  public static PreparedData prepare(CellTable t, DataSplit split, CellTypeTexts texts, boolean eraseSex) {
    if (!t.hasDonors()) {
      throw new IllegalArgumentException(t.datasetId() + " has no donor labels, so it cannot be used for training");
    }
    List<String> donors = t.donors().stream().sorted().toList();
    Map<String, Integer> donorIndex = new HashMap<>();
    for (int i = 0; i < donors.size(); i++) donorIndex.put(donors.get(i), i);
    Map<String, String> donorSex = new LinkedHashMap<>();
    for (String d : donors) donorSex.put(d, null);
    if (t.hasSex()) {
      for (int i = 0; i < t.size(); i++) {
        if (t.sexes()[i] != null) donorSex.put(t.donorIds()[i], t.sexes()[i]);
      }
    }
    int[] typeOfRow = new int[t.size()];
    for (int i = 0; i < t.size(); i++) typeOfRow[i] = texts.indexOf(t.cellTypes()[i]);
    TypeCentering centering = TypeCentering.fit(t.embedding(), t.width(), split.train(), typeOfRow, texts.labels().size());
    int[] all = new int[t.size()];
    for (int i = 0; i < all.length; i++) all[i] = i;
    float[] centred = centering.center(t.embedding(), t.width(), all, typeOfRow);
    Standardizer std = Standardizer.fit(centred, t.width(), split.train());
    float[] standardized = std.apply(centred, all);
    SexErasure erasure = null;
    if (eraseSex && t.hasSex()) {
      int[] donorOfRow = new int[t.size()];
      int[] sexOfRow = new int[t.size()];
      for (int i = 0; i < t.size(); i++) {
        donorOfRow[i] = donorIndex.get(t.donorIds()[i]);
        sexOfRow[i] = sexIndex(t.sexes()[i]);
      }
      erasure = SexErasure.fit(standardized, t.width(), split.train(), donorOfRow, sexOfRow, donors.size());
      if (erasure != null) erasure.applyInPlace(standardized, t.width());
    }
    Standardizer textStd = textStandardizer(t, split.train(), texts);
    float[][] table = standardizedTable(texts.vectors(), textStd);
    return new PreparedData(split, centering, std, textStd, donors, donorSex, texts, erasure,
        batches(t, standardized, split.train(), texts, table, donorIndex),
        batches(t, standardized, split.validation(), texts, table, donorIndex),
        batches(t, standardized, split.test(), texts, table, donorIndex));
  }

  /** 1 female, 0 male, -1 unknown. */
  static int sexIndex(String sex) {
    return sex == null ? -1 : sex.equals("female") ? 1 : 0;
  }

  /**
   * Text embeddings of related cell types are close (cosine 0.3-0.6): centring and scaling them
   * with the training cells' statistics leaves what distinguishes the types, at unit scale, which
   * the networks learn from far faster than from the raw unit vectors.
   */
  private static Standardizer textStandardizer(CellTable t, int[] trainRows, CellTypeTexts texts) {
    int[] typeRows = new int[trainRows.length];
    for (int k = 0; k < trainRows.length; k++) typeRows[k] = texts.indexOf(t.cellTypes()[trainRows[k]]);
    return Standardizer.fit(flatten(texts.vectors()), texts.dimension(), typeRows);
  }

  public static float[][] standardizedTable(float[][] vectors, Standardizer std) {
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) out[i] = std.apply(vectors[i], new int[] {0});
    return out;
  }

  private static float[] flatten(float[][] rows) {
    int w = rows[0].length;
    float[] flat = new float[rows.length * w];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * w, w);
    return flat;
  }

  /** The given rows of the standardised matrix {@code x}, with their types, donors and sexes. */
  private static Batches batches(CellTable t, float[] x, int[] rows, CellTypeTexts texts, float[][] table, Map<String, Integer> donorIndex) {
    String[] ids = new String[rows.length];
    int[] type = new int[rows.length];
    int[] donor = new int[rows.length];
    int[] sex = new int[rows.length];
    for (int k = 0; k < rows.length; k++) {
      int r = rows[k];
      ids[k] = t.cellIds()[r];
      type[k] = texts.indexOf(t.cellTypes()[r]);
      donor[k] = donorIndex.get(t.donorIds()[r]);
      sex[k] = sexIndex(t.hasSex() ? t.sexes()[r] : null);
    }
    float[] gene = new float[rows.length * t.width()];
    for (int k = 0; k < rows.length; k++) System.arraycopy(x, rows[k] * t.width(), gene, k * t.width(), t.width());
    EncodedCells cells = new EncodedCells(ids, t.width(), gene, type, donor, sex);
    return new Batches(cells, table, texts.dimension());
  }

  public int textDim() {
    return texts.dimension();
  }

  public int geneWidth() {
    return standardizer.width();
  }
}
