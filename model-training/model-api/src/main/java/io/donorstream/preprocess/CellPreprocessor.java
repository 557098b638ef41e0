package io.donorstream.preprocess;

import io.donorstream.artifact.ModelManifest;

/**
 * How raw cells become network inputs, the one definition shared by training and scoring (so the
 * two cannot drift apart): each embedding is centred on its cell type's training mean, standardised
 * with training statistics, and, for a model trained against sex, has the shared sex direction
 * erased; each cell type's text vector is standardised with training statistics. Fitted once on
 * the training cells, stored in {@code model.json}, rebuilt from it by the scorer.
 */
public final class CellPreprocessor {
  private final TypeCentering centering;
  private final Standardizer standardizer;
  private final SexErasure sexErasure;
  private final Standardizer textStandardizer;
  private final DiscriminantSubspace subspace;

  public CellPreprocessor(TypeCentering centering, Standardizer standardizer, SexErasure sexErasure, Standardizer textStandardizer) {
    this(centering, standardizer, sexErasure, textStandardizer, null);
  }

  /** @param subspace the network's input coordinates, or null for the whole (erased) embedding */
  public CellPreprocessor(TypeCentering centering, Standardizer standardizer, SexErasure sexErasure, Standardizer textStandardizer,
      DiscriminantSubspace subspace) {
    this.centering = centering;
    this.standardizer = standardizer;
    this.sexErasure = sexErasure;
    this.textStandardizer = textStandardizer;
    this.subspace = subspace;
  }

  /** The training cells' cell types, donors and sexes, as indices per row of the embedding. */
  public record Labels(int[] typeOfRow, int types, int[] donorOfRow, int donors, int[] sexOfRow) {}

  /**
   * Fits every statistic on the training rows only.
   *
   * @param typeVectors raw text vector per cell type index
   * @param eraseSex fit a {@link SexErasure} (null when the training donors are not of both sexes)
   */
  public static CellPreprocessor fit(float[] embedding, int width, int[] trainRows, Labels labels, float[][] typeVectors, boolean eraseSex) {
    return fit(embedding, width, trainRows, labels, typeVectors, eraseSex, false);
  }

  /** @param discriminantSubspace feed the network the training donors' {@link DiscriminantSubspace}, fitted here */
  public static CellPreprocessor fit(float[] embedding, int width, int[] trainRows, Labels labels, float[][] typeVectors, boolean eraseSex,
      boolean discriminantSubspace) {
    TypeCentering centering = TypeCentering.fit(embedding, width, trainRows, labels.typeOfRow(), labels.types());
    float[] centred = centering.center(embedding, width, trainRows, labels.typeOfRow());
    int[] compact = identity(trainRows.length);
    Standardizer standardizer = Standardizer.fit(centred, width, compact);
    SexErasure erasure = null;
    float[] standardized = eraseSex || discriminantSubspace ? standardizer.apply(centred, compact) : null;
    if (eraseSex) {
      erasure = SexErasure.fit(standardized, width, compact, select(labels.donorOfRow(), trainRows), select(labels.sexOfRow(), trainRows),
          labels.donors());
    }
    DiscriminantSubspace subspace = null;
    if (discriminantSubspace) {
      if (erasure != null) erasure.applyInPlace(standardized, width);
      subspace = DiscriminantSubspace.fit(standardized, width, select(labels.donorOfRow(), trainRows), labels.donors(),
          DiscriminantSubspace.SHRINKAGE);
    }
    // Text vectors weighted by how often each type occurs among training cells.
    int d = typeVectors.length == 0 ? 0 : typeVectors[0].length;
    float[] flat = new float[typeVectors.length * d];
    for (int i = 0; i < typeVectors.length; i++) System.arraycopy(typeVectors[i], 0, flat, i * d, d);
    int[] typeRows = new int[trainRows.length];
    int known = 0;
    for (int r : trainRows) if (labels.typeOfRow()[r] >= 0) typeRows[known++] = labels.typeOfRow()[r];
    Standardizer text = Standardizer.fit(flat, d, java.util.Arrays.copyOf(typeRows, known));
    return new CellPreprocessor(centering, standardizer, erasure, text, subspace);
  }

  /** The preprocessing a model was trained with, from its manifest. */
  public static CellPreprocessor of(ModelManifest m) {
    SexErasure erasure = m.sex_erasure == null ? null : new SexErasure(m.sex_erasure, m.sex_erasure_strength);
    return new CellPreprocessor(new TypeCentering(m.type_means, m.global_mean), new Standardizer(m.standardize_mean, m.standardize_std),
        erasure, new Standardizer(m.text_mean, m.text_std),
        m.input_subspace == null ? null : new DiscriminantSubspace(m.input_subspace, m.standardize_mean.length, m.input_subspace_dims));
  }

  /** Records this preprocessing in a manifest (the inverse of {@link #of}). */
  public void writeTo(ModelManifest m) {
    m.type_means = centering.typeMeans();
    m.global_mean = centering.globalMean();
    m.standardize_mean = standardizer.mean();
    m.standardize_std = standardizer.std();
    m.sex_erasure = sexErasure == null ? null : sexErasure.direction();
    m.sex_erasure_strength = sexErasure == null ? 0f : sexErasure.strength();
    m.text_mean = textStandardizer.mean();
    m.text_std = textStandardizer.std();
    m.input_subspace = subspace == null ? null : subspace.projection();
    m.input_subspace_dims = subspace == null ? 0 : subspace.dims();
  }

  /**
   * Network inputs for {@code rows} of a raw row-major embedding matrix.
   *
   * @param typeOfRow cell type index per row of {@code raw}; negative (or beyond the training types)
   *     for a type without a training mean, which is centred on the overall mean
   */
  public float[] embeddings(float[] raw, int width, int[] rows, int[] typeOfRow) {
    return project(standardized(raw, width, rows, typeOfRow));
  }

  /**
   * The whole embedding, centred, standardised and sex-erased: the network's inputs before any
   * discriminant subspace (what donor novelty is measured in: a new donor differs from the known
   * ones in directions the known donors' subspace does not hold).
   */
  public float[] standardized(float[] raw, int width, int[] rows, int[] typeOfRow) {
    // Centring and standardising in one pass (on the scoring path per cell): the same float
    // operations in the same order as centering.center then standardizer.apply, so the same bits.
    float[] mean = standardizer.mean();
    float[] std = standardizer.std();
    float[] x = new float[rows.length * width];
    for (int k = 0; k < rows.length; k++) {
      int r = rows[k];
      float[] typeMean = centering.meanOf(typeOfRow[r]);
      for (int j = 0; j < width; j++) {
        float centred = raw[r * width + j] - typeMean[j];
        x[k * width + j] = (centred - mean[j]) / std[j];
      }
    }
    if (sexErasure != null) sexErasure.applyInPlace(x, width);
    return x;
  }

  /** Network inputs from {@link #standardized} rows: their subspace coordinates, or the rows themselves. */
  public float[] project(float[] standardized) {
    return subspace == null ? standardized : subspace.apply(standardized);
  }

  /** Whether the network reads a subspace of the embedding rather than all of it. */
  public boolean projects() {
    return subspace != null;
  }

  /** Standardised text vectors, one per cell type. */
  public float[][] typeTable(float[][] typeVectors) {
    float[][] out = new float[typeVectors.length][];
    for (int i = 0; i < typeVectors.length; i++) out[i] = textStandardizer.apply(typeVectors[i], new int[] {0});
    return out;
  }

  public SexErasure sexErasure() {
    return sexErasure;
  }

  /** The embedding width the preprocessing takes. */
  public int width() {
    return standardizer.width();
  }

  /** The width of what it gives the network: the subspace's dimensions, or the embedding width. */
  public int outputWidth() {
    return subspace == null ? width() : subspace.dims();
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  private static int[] select(int[] values, int[] rows) {
    int[] out = new int[rows.length];
    for (int k = 0; k < rows.length; k++) out[k] = values[rows[k]];
    return out;
  }
}
