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
    Standardizer standardizer,
    List<String> donors,
    Map<String, String> donorSex,
    CellTypeTexts texts,
    Batches train,
    Batches validation,
    Batches test) {

  public static PreparedData prepare(CellTable t, DataSplit split, CellTypeTexts texts) {
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
    Standardizer std = Standardizer.fit(t.embedding(), t.width(), split.train());
    return new PreparedData(split, std, donors, donorSex, texts,
        batches(t, split.train(), std, texts, donorIndex),
        batches(t, split.validation(), std, texts, donorIndex),
        batches(t, split.test(), std, texts, donorIndex));
  }

  private static Batches batches(CellTable t, int[] rows, Standardizer std, CellTypeTexts texts, Map<String, Integer> donorIndex) {
    String[] ids = new String[rows.length];
    int[] type = new int[rows.length];
    int[] donor = new int[rows.length];
    int[] sex = new int[rows.length];
    for (int k = 0; k < rows.length; k++) {
      int r = rows[k];
      ids[k] = t.cellIds()[r];
      type[k] = texts.indexOf(t.cellTypes()[r]);
      donor[k] = donorIndex.get(t.donorIds()[r]);
      String s = t.hasSex() ? t.sexes()[r] : null;
      sex[k] = s == null ? -1 : s.equals("female") ? 1 : 0;
    }
    EncodedCells cells = new EncodedCells(ids, t.width(), std.apply(t.embedding(), rows), type, donor, sex);
    return new Batches(cells, texts.vectors(), texts.dimension());
  }

  public int textDim() {
    return texts.dimension();
  }

  public int geneWidth() {
    return standardizer.width();
  }
}
