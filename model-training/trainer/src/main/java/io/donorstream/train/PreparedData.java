package io.donorstream.train;

import io.donorstream.data.CellTable;
import io.donorstream.inference.Batches;
import io.donorstream.inference.DonorNovelty;
import io.donorstream.inference.EncodedCells;
import io.donorstream.preprocess.CellPreprocessor;
import io.donorstream.text.CellTypeTexts;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cell table turned into network inputs: split, preprocessed with statistics of the training
 * cells (see {@link CellPreprocessor}), cell types mapped to their text vectors, donors and sexes
 * to indices.
 */
public record PreparedData(
    DataSplit split,
    CellPreprocessor preprocessor,
    List<String> donors,
    Map<String, String> donorSex,
    CellTypeTexts texts,
    Batches train,
    Batches validation,
    Batches test,
    DonorNovelty novelty) {

  public static PreparedData prepare(CellTable t, DataSplit split, CellTypeTexts texts) {
    return prepare(t, split, texts, false);
  }

  /**
   * @param eraseSex project out the sex direction shared across the training donors (see {@link
   *     io.donorstream.preprocess.SexErasure}); ignored when the training donors are not of both sexes
   */
  public static PreparedData prepare(CellTable t, DataSplit split, CellTypeTexts texts, boolean eraseSex) {
    return prepare(t, split, texts, eraseSex, false);
  }

  /** @param discriminantInputs the network reads the training donors' {@link io.donorstream.preprocess.DiscriminantSubspace} */
  public static PreparedData prepare(CellTable t, DataSplit split, CellTypeTexts texts, boolean eraseSex, boolean discriminantInputs) {
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
    int[] donorOfRow = new int[t.size()];
    int[] sexOfRow = new int[t.size()];
    for (int i = 0; i < t.size(); i++) {
      typeOfRow[i] = texts.indexOf(t.cellTypes()[i]);
      donorOfRow[i] = donorIndex.get(t.donorIds()[i]);
      sexOfRow[i] = sexIndex(t.hasSex() ? t.sexes()[i] : null);
    }
    CellPreprocessor.Labels labels = new CellPreprocessor.Labels(typeOfRow, texts.labels().size(), donorOfRow, donors.size(), sexOfRow);
    CellPreprocessor pre = CellPreprocessor.fit(t.embedding(), t.width(), split.train(), labels, texts.vectors(), eraseSex && t.hasSex(),
        discriminantInputs);
    float[][] table = pre.typeTable(texts.vectors());
    Batches train = batches(t, pre, split.train(), labels, table);
    Batches validation = batches(t, pre, split.validation(), labels, table);
    return new PreparedData(split, pre, donors, donorSex, texts, train, validation, batches(t, pre, split.test(), labels, table),
        novelty(t, pre, split, labels, train, validation, donors.size()));
  }

  /**
   * Donor novelty, calibrated in the whole preprocessed embedding (a discriminant subspace keeps
   * only what tells the training donors apart: there a new donor's cells look like known ones).
   */
  private static DonorNovelty novelty(CellTable t, CellPreprocessor pre, DataSplit split, CellPreprocessor.Labels labels, Batches train,
      Batches validation, int donors) {
    if (!pre.projects()) return DonorNovelty.fit(train.cells(), validation.cells(), donors);
    return DonorNovelty.fit(pre.standardized(t.embedding(), t.width(), split.train(), labels.typeOfRow()), train.cells().donor(),
        pre.standardized(t.embedding(), t.width(), split.validation(), labels.typeOfRow()), validation.cells().donor(), t.width(), donors);
  }

  /** 1 female, 0 male, -1 unknown. */
  static int sexIndex(String sex) {
    return sex == null ? -1 : sex.equals("female") ? 1 : 0;
  }

  private static Batches batches(CellTable t, CellPreprocessor pre, int[] rows, CellPreprocessor.Labels labels, float[][] table) {
    String[] ids = new String[rows.length];
    int[] type = new int[rows.length];
    int[] donor = new int[rows.length];
    int[] sex = new int[rows.length];
    for (int k = 0; k < rows.length; k++) {
      int r = rows[k];
      ids[k] = t.cellIds()[r];
      type[k] = labels.typeOfRow()[r];
      donor[k] = labels.donorOfRow()[r];
      sex[k] = labels.sexOfRow()[r];
    }
    EncodedCells cells = new EncodedCells(ids, pre.outputWidth(), pre.embeddings(t.embedding(), t.width(), rows, labels.typeOfRow()), type, donor, sex);
    return new Batches(cells, table, table.length == 0 ? 0 : table[0].length);
  }

  public int textDim() {
    return texts.dimension();
  }

  /** The width of the embedding the cells come with. */
  public int inputWidth() {
    return preprocessor.width();
  }

  /** The width of what the network reads of it (narrower with a discriminant subspace). */
  public int geneWidth() {
    return preprocessor.outputWidth();
  }
}
