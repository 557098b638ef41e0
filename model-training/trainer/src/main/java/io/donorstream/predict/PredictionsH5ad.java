package io.donorstream.predict;

import io.donorstream.data.H5adException;
import io.donorstream.data.hdf5.Hdf5FileWriter;
import io.donorstream.data.hdf5.Hdf5Tree;
import io.donorstream.data.hdf5.Hdf5Tree.Attribute;
import io.donorstream.data.hdf5.Hdf5Tree.Dataset;
import io.donorstream.data.hdf5.Hdf5Tree.Group;
import io.donorstream.data.hdf5.Hdf5Types;
import io.donorstream.data.hdf5.StringSpill;
import io.donorstream.data.hdf5.ValueSpill;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The predictions as an AnnData {@code .h5ad}: the {@link PredictionColumns} as {@code obs}
 * columns (donors as categoricals over the model's donors, probabilities as float32, the flag as a
 * boolean), indexed by the input's cell ids under the input's index name, and the latent in
 * {@code obsm['donorstream_latent']}. No {@code X} (anndata reads such a file as n_vars = 0).
 *
 * <p>Cells are appended as they are scored: the latent (most of the file) straight into the output
 * file, where it stays; every other column to its own temporary file next to the output.
 * {@link #finish()} writes the rest of the h5ad after the latent, copying those columns in one
 * streaming pass. Memory: a 64 KB buffer per column, whatever the number of cells; disk: the
 * output, and the small columns twice until {@code finish}.
 */
public final class PredictionsH5ad implements AutoCloseable {
  private final Path out;
  private final String indexName;
  private final List<String> donors;
  private final Map<String, Integer> code = new HashMap<>();
  private final int codeBytes;
  private final int topK;
  private final int latentDim;
  private final Map<String, String> uns;
  private final StringSpill ids;
  private final ValueSpill predicted;
  private final ValueSpill confidence;
  private final ValueSpill calibrated;
  private final ValueSpill unknown;
  private final List<ValueSpill> topDonor = new ArrayList<>();
  private final List<ValueSpill> topProbability = new ArrayList<>();
  private final ValueSpill latent;
  private final List<AutoCloseable> spills = new ArrayList<>();
  private final FileChannel file;
  private long cells;

  /**
   * @param indexName the input's obs index name, kept so the file joins back to it
   * @param donors the model's donors: the categories of every donor column
   * @param uns small string metadata (model, version, source file)
   * @param spillDir where the column files go (the output's folder, so that they need no other disk)
   */
  public PredictionsH5ad(Path out, String indexName, List<String> donors, int topK, int latentDim, Map<String, String> uns, Path spillDir) {
    this.out = out;
    this.indexName = PredictionColumns.perCell(topK).contains(indexName) ? "_index" : indexName;
    this.donors = List.copyOf(donors);
    for (int i = 0; i < donors.size(); i++) code.put(donors.get(i), i);
    // anndata's own choice: the narrowest signed integer that holds every code and -1.
    this.codeBytes = donors.size() <= Byte.MAX_VALUE ? 1 : donors.size() <= Short.MAX_VALUE ? 2 : 4;
    this.topK = topK;
    this.latentDim = latentDim;
    this.uns = new LinkedHashMap<>(uns);
    this.ids = track(new StringSpill(spillDir, "ids"));
    this.predicted = track(new ValueSpill(spillDir, "predicted"));
    this.confidence = track(new ValueSpill(spillDir, "confidence"));
    this.calibrated = track(new ValueSpill(spillDir, "calibrated"));
    this.unknown = track(new ValueSpill(spillDir, "unknown"));
    for (int r = 0; r < topK; r++) {
      topDonor.add(track(new ValueSpill(spillDir, "top-donor")));
      topProbability.add(track(new ValueSpill(spillDir, "top-probability")));
    }
    try {
      this.file = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot write " + out, e);
    }
    this.latent = ValueSpill.inPlace(out, file, Hdf5FileWriter.FIRST_FREE);
  }

  private <T extends AutoCloseable> T track(T spill) {
    spills.add(spill);
    return spill;
  }

  public void add(ScoredCell c) {
    ids.put(c.cellId());
    predicted.putSigned(codeOf(c.score().predictedDonor()), codeBytes);
    confidence.putFloat(c.score().confidence());
    calibrated.putFloat(c.calibratedConfidence());
    unknown.putByte(c.score().unknownDonor() ? 1 : 0);
    String[] top = c.score().topDonors();
    float[] p = c.score().topProbabilities();
    for (int r = 0; r < topK; r++) {
      topDonor.get(r).putSigned(r < top.length ? codeOf(top[r]) : -1, codeBytes);
      topProbability.get(r).putFloat(r < top.length ? p[r] : Float.NaN);
    }
    latent.putFloats(c.score().batch().latent(), c.score().row() * latentDim, latentDim);
    cells++;
  }

  private int codeOf(String donor) {
    Integer c = code.get(donor);
    if (c == null) throw new IllegalStateException("donor " + donor + " is not one of the model's donors");
    return c;
  }

  /** Writes the h5ad from the cells added. */
  public void finish() {
    Hdf5Tree.Source latentValues = latent.source();
    Group root = Group.named("/");
    encoding(root, "anndata", "0.1.0");
    root.add(obs());
    Group obsm = encoding(root.add(Group.named("obsm")), "dict", "0.1.0");
    obsm.add(array(new Dataset(PredictionColumns.LATENT_KEY, Hdf5Types.float32(), new long[] {cells, latentDim}, latentValues)));
    Group unsGroup = encoding(root.add(Group.named("uns")), "dict", "0.1.0");
    uns.forEach((k, v) -> unsGroup.add(encoding(Dataset.string(k, v), "string", "0.2.0")));
    try {
      Hdf5FileWriter.write(file, Hdf5FileWriter.FIRST_FREE + latentValues.bytes(), root);
    } catch (IOException | RuntimeException e) {
      throw new H5adException(out, "cannot write h5ad: " + e.getMessage(), e);
    }
  }

  private Group obs() {
    Group obs = Group.named("obs");
    List<String> columns = PredictionColumns.perCell(topK);
    encoding(obs, "dataframe", "0.2.0").attribute(Attribute.string("_index", indexName)).attribute(Attribute.strings("column-order", columns));
    obs.add(encoding(new Dataset(indexName, ids.type(), new long[] {cells}, ids.source()), "string-array", "0.2.0"));
    obs.add(categorical(PredictionColumns.PREDICTED_DONOR, predicted));
    obs.add(floats(PredictionColumns.CONFIDENCE, confidence));
    obs.add(floats(PredictionColumns.CALIBRATED_CONFIDENCE, calibrated));
    obs.add(array(new Dataset(PredictionColumns.UNKNOWN_DONOR, Hdf5Types.bool(), new long[] {cells}, unknown.source())));
    for (int r = 0; r < topK; r++) {
      obs.add(categorical(PredictionColumns.topDonor(r + 1), topDonor.get(r)));
      obs.add(floats(PredictionColumns.topProbability(r + 1), topProbability.get(r)));
    }
    return obs;
  }

  private Group categorical(String name, ValueSpill codes) {
    Group g = encoding(Group.named(name), "categorical", "0.2.0").attribute(Attribute.bool("ordered", false));
    g.add(encoding(Dataset.strings("categories", donors), "string-array", "0.2.0"));
    g.add(array(new Dataset("codes", Hdf5Types.signed(codeBytes), new long[] {cells}, codes.source())));
    return g;
  }

  private Dataset floats(String name, ValueSpill values) {
    return array(new Dataset(name, Hdf5Types.float32(), new long[] {cells}, values.source()));
  }

  private static Dataset array(Dataset d) {
    return encoding(d, "array", "0.2.0");
  }

  private static Dataset encoding(Dataset d, String type, String version) {
    return d.attribute(Attribute.string("encoding-type", type)).attribute(Attribute.string("encoding-version", version));
  }

  private static Group encoding(Group g, String type, String version) {
    return g.attribute(Attribute.string("encoding-type", type)).attribute(Attribute.string("encoding-version", version));
  }

  /** Closes the output and deletes the column files (after {@link #finish()}, or instead of it when the run fails). */
  @Override
  public void close() {
    UncheckedIOException first = null;
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        first = new UncheckedIOException("cannot close " + out, e);
      }
    }
    for (AutoCloseable s : spills) {
      try {
        s.close();
      } catch (Exception e) {
        if (first == null) first = new UncheckedIOException("cannot delete a temporary file", e instanceof IOException io ? io : new IOException(e));
      }
    }
    if (first != null) throw first;
  }
}
