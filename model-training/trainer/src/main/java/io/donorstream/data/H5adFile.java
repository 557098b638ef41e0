package io.donorstream.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Read access to the parts of an AnnData {@code .h5ad} file that donorstream uses: {@code obs}
 * columns (categorical in the current encoding and the legacy {@code __categories} one, plain
 * string or numeric columns), {@code obsm} embeddings and {@code X} (dense or CSR).
 */
public final class H5adFile implements AutoCloseable {
  private static final String LEGACY_CATEGORIES = "__categories";

  private final Path path;
  private final HdfFile hdf;

  private H5adFile(Path path, HdfFile hdf) {
    this.path = path;
    this.hdf = hdf;
  }

  public static H5adFile open(Path path) {
    if (!Files.exists(path)) {
      throw new H5adException(path, "no such file");
    }
    if (!Files.isRegularFile(path)) {
      throw new H5adException(path, "is not a regular file");
    }
    try {
      return new H5adFile(path, new HdfFile(path));
    } catch (HdfException | IllegalArgumentException e) {
      throw new H5adException(path, "not an HDF5 file, so not an .h5ad (" + e.getMessage() + ")", e);
    }
  }

  public Path path() {
    return path;
  }

  /** Number of cells, from the shape of the {@code obs} index (its values are not read). */
  public int cellCount() {
    return indexDataset().getDimensions()[0];
  }

  public String[] cellIds() {
    return strings(indexDataset());
  }

  /** The name of the obs index (the {@code _index} attribute; anndata writes {@code _index} unless the index was named). */
  public String indexName() {
    return stringAttribute(group("obs"), "_index", "_index");
  }

  Dataset indexDataset() {
    String indexName = indexName();
    Node index = group("obs").getChild(indexName);
    if (!(index instanceof Dataset ds)) {
      throw new H5adException(path, "obs has no index dataset '" + indexName + "'");
    }
    return ds;
  }

  /** obs column names, in the file's column order when it records one. */
  public List<String> obsColumns() {
    Group obs = group("obs");
    Attribute order = obs.getAttribute("column-order");
    if (order != null && order.getData() instanceof String[] cols) {
      return List.of(cols);
    }
    List<String> cols = new ArrayList<>();
    String indexName = stringAttribute(obs, "_index", "_index");
    for (String name : obs.getChildren().keySet()) {
      if (!name.equals(indexName) && !name.equals(LEGACY_CATEGORIES)) {
        cols.add(name);
      }
    }
    return cols;
  }

  public boolean hasObsColumn(String name) {
    return group("obs").getChild(name) != null && !name.equals(LEGACY_CATEGORIES);
  }

  /**
   * An obs column as strings; categorical codes of -1 (missing) become {@code null}, numbers are
   * rendered as text.
   */
  public String[] obsColumn(String name) {
    return ObsColumnSlices.of(this, name).all();
  }

  /** An obs column's datasets: codes and categories of a categorical (current or legacy encoding), else the values. */
  ObsColumnSlices.Parts obsColumnParts(String name) {
    Group obs = group("obs");
    Node node = obs.getChild(name);
    if (node == null || name.equals(LEGACY_CATEGORIES)) {
      throw new H5adException(path, "obs has no column '" + name + "'; columns are " + obsColumns());
    }
    if (node instanceof Group g) {
      return categorical(name, g.getChild("codes"), g.getChild("categories"));
    }
    Dataset ds = (Dataset) node;
    Node legacy = obs.getChild(LEGACY_CATEGORIES);
    if (legacy instanceof Group cats && cats.getChild(name) != null) {
      return categorical(name, ds, cats.getChild(name));
    }
    return new ObsColumnSlices.Parts(ds, null);
  }

  public List<String> obsmKeys() {
    Node obsm = hdf.getChild("obsm");
    return obsm instanceof Group g ? List.copyOf(g.getChildren().keySet()) : List.of();
  }

  /** An obsm embedding as a row-major float matrix. */
  public Embedding embedding(String key) {
    Dataset ds = embeddingDataset(key);
    int[] dims = ds.getDimensions();
    return new Embedding(key, dims[0], dims[1], Arrays2.toFloats(ds.getDataFlat()));
  }

  /** The obsm dataset {@code key}, checked to be 2-d (cells, width). */
  Dataset embeddingDataset(String key) {
    Node obsm = hdf.getChild("obsm");
    Node node = obsm instanceof Group g ? g.getChild(key) : null;
    if (!(node instanceof Dataset ds)) {
      throw new H5adException(path, "obsm has no embedding '" + key + "'; keys are " + obsmKeys());
    }
    int[] dims = ds.getDimensions();
    if (dims.length != 2) {
      throw new H5adException(path, "obsm['" + key + "'] has shape " + Arrays.toString(dims) + ", expected (cells, width)");
    }
    return ds;
  }

  /** Reads raw bytes at an HDF5 address (relative to the file's base address): one read, no mapping. */
  java.nio.ByteBuffer read(long address, int length) {
    return hdf.getHdfBackingStorage().readBufferFromAddress(address, length);
  }

  /** The expression matrix X, dense or CSR, as CSR. */
  public CsrMatrix x() {
    Node node = hdf.getChild("X");
    if (node == null) {
      throw new H5adException(path, "has no X matrix");
    }
    if (node instanceof Dataset ds) {
      int[] dims = ds.getDimensions();
      return CsrMatrix.fromDense(Arrays2.toFloats(ds.getDataFlat()), dims[0], dims[1]);
    }
    Group g = (Group) node;
    String enc = stringAttribute(g, "encoding-type", "");
    if (!enc.equals("csr_matrix")) {
      throw new H5adException(path, "X is encoded as '" + enc + "'; only dense arrays and csr_matrix are supported");
    }
    long[] shape = Arrays2.toLongs(g.getAttribute("shape").getData());
    return new CsrMatrix(
        Math.toIntExact(shape[0]),
        Math.toIntExact(shape[1]),
        Arrays2.toFloats(((Dataset) g.getChild("data")).getData()),
        Arrays2.toInts(((Dataset) g.getChild("indices")).getData()),
        Arrays2.toLongs(((Dataset) g.getChild("indptr")).getData()));
  }

  /** A scalar string in {@code uns}, or null. */
  public String unsString(String key) {
    Node uns = hdf.getChild("uns");
    if (uns instanceof Group g && g.getChild(key) instanceof Dataset ds) {
      Object data = ds.getData();
      return data instanceof String s ? s : data instanceof String[] a && a.length > 0 ? a[0] : String.valueOf(data);
    }
    return null;
  }

  private ObsColumnSlices.Parts categorical(String name, Node codesNode, Node categoriesNode) {
    if (!(codesNode instanceof Dataset codesDs) || !(categoriesNode instanceof Dataset catDs)) {
      throw new H5adException(path, "categorical obs column '" + name + "' lacks codes or categories");
    }
    return new ObsColumnSlices.Parts(codesDs, strings(catDs));
  }

  String[] strings(Dataset ds) {
    Object data = ds.getData();
    if (data instanceof String[] s) {
      return s;
    }
    throw new H5adException(path, ds.getPath() + " holds " + ds.getJavaType().getSimpleName() + ", expected strings");
  }

  private Group group(String name) {
    Node node = hdf.getChild(name);
    if (!(node instanceof Group g)) {
      throw new H5adException(path, "has no '" + name + "' group; top-level entries are " + hdf.getChildren().keySet());
    }
    return g;
  }

  private static String stringAttribute(Node node, String name, String fallback) {
    Attribute a = node.getAttribute(name);
    if (a == null) {
      return fallback;
    }
    Object v = a.getData();
    return v instanceof String s ? s : v instanceof String[] arr && arr.length == 1 ? arr[0] : fallback;
  }

  @Override
  public void close() {
    hdf.close();
  }
}
