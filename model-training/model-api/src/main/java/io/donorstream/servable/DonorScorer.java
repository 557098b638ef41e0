package io.donorstream.servable;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.training.ParameterStore;
import io.donorstream.artifact.ArtifactException;
import io.donorstream.artifact.ModelManifest;
import io.donorstream.artifact.VerifiedArtifact;
import io.donorstream.inference.Batches;
import io.donorstream.inference.DonorNovelty;
import io.donorstream.inference.EncodedCells;
import io.donorstream.inference.Inference;
import io.donorstream.inference.Predictions;
import io.donorstream.model.DonorNet;
import io.donorstream.preprocess.CellPreprocessor;
import io.donorstream.text.CellOntology;
import io.donorstream.text.TextEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores cells with a model artifact, without Flink: the "servable" the streaming job wraps. It
 * verifies the artifact's checksums before loading, standardises with the stored training
 * statistics, looks up cell-type text embeddings (encoding a type unseen in training when it has
 * an encoder, else using the learned "unknown type" vector), and scores a batch in one forward
 * pass per 1,024 cells. Not thread-safe: use one per thread (one per Flink subtask).
 */
public final class DonorScorer implements AutoCloseable {
  private final ModelManifest manifest;
  private final Model model;
  private final DonorNet net;
  private final ParameterStore store;
  private final TextEncoder encoder;
  private final CellOntology ontology;
  private final List<float[]> texts = new ArrayList<>();
  private final Map<String, Integer> typeIndex = new HashMap<>();
  private final CellPreprocessor preprocessor;
  private float[][] textTable;

  private DonorScorer(ModelManifest manifest, Model model, DonorNet net, TextEncoder encoder, CellOntology ontology) {
    this.manifest = manifest;
    this.model = model;
    this.net = net;
    this.store = new ParameterStore(model.getNDManager(), false);
    this.encoder = encoder;
    this.ontology = ontology == null ? CellOntology.empty() : ontology;
    this.preprocessor = CellPreprocessor.of(manifest);
    for (String label : manifest.cell_types) {
      typeIndex.put(label, texts.size());
      texts.add(manifest.text_embeddings.get(label));
    }
    textTable = preprocessor.typeTable(texts.toArray(float[][]::new));
  }

  /** Loads without a text encoder: unseen cell types map to the learned unknown-type vector. */
  public static DonorScorer load(Path dir) {
    return load(dir, null, null);
  }

  /**
   * @param encoder encodes cell types unseen in training; must be the encoder the model was
   *     trained with (checked by name), or null
   */
  public static DonorScorer load(Path dir, TextEncoder encoder, CellOntology ontology) {
    return load(VerifiedArtifact.open(dir, null), encoder, ontology);
  }

  /** Loads an artifact already verified (its files are not hashed again). */
  public static DonorScorer load(VerifiedArtifact artifact, TextEncoder encoder, CellOntology ontology) {
    Path dir = artifact.dir();
    ModelManifest m = artifact.manifest();
    if (encoder != null && !encoder.name().equals(m.text_encoder)) {
      throw new ArtifactException(dir + ": model was trained with text encoder " + m.text_encoder + ", not " + encoder.name());
    }
    Model model = Model.newInstance(m.name == null ? "donor-model" : m.name, Device.cpu(), "PyTorch");
    DonorNet net = DonorNet.build(m.spec);
    model.setBlock(net);
    try {
      model.load(dir, ModelManifest.PARAMS_PREFIX);
    } catch (IOException | MalformedModelException e) {
      model.close();
      throw new ArtifactException(dir + ": parameters do not load into a " + m.spec.architecture() + " model: " + e.getMessage(), e);
    }
    return new DonorScorer(m, model, net, encoder, ontology);
  }

  public ModelManifest manifest() {
    return manifest;
  }

  public String version() {
    return manifest.version;
  }

  public int inputWidth() {
    return manifest.input_width;
  }

  public boolean knowsCellType(String cellType) {
    return typeIndex.containsKey(cellType);
  }

  /**
   * Scores {@code n} cells.
   *
   * @param embeddings row-major, {@code n x inputWidth}, raw (not standardised)
   */
  public List<CellScore> score(float[] embeddings, String[] cellTypes, int topK) {
    Input in = input(embeddings, cellTypes, null);
    Batches b = in.batches();
    Predictions p = Inference.predict(net, store, model.getNDManager(), b);
    DonorNovelty.Rows novelty = manifest.donor_novelty == null ? null : new DonorNovelty.Rows(manifest.donor_novelty, in.standardized());
    return toScores(p, novelty, topK, b.cells().gene());
  }

  /** The raw predictions (probabilities, latents, energies) for {@code n} cells. */
  public Predictions predict(float[] embeddings, String[] cellTypes, String[] cellIds) {
    return Inference.predict(net, store, model.getNDManager(), batches(embeddings, cellTypes, cellIds));
  }

  /**
   * Gene-to-text cross-attention of a multimodal model, averaged over heads and over the cells of
   * each cell type: per type, row-major {@code latents x latents} (rows: gene latents as queries,
   * columns: text latents as keys). Cell types in first-seen order.
   */
  public Map<String, float[]> crossAttentionByType(float[] embeddings, String[] cellTypes) {
    if (!net.spec().isMultimodal()) throw new IllegalStateException("cross-attention exists only in multimodal models");
    Map<String, Integer> group = new java.util.LinkedHashMap<>();
    int[] groupOf = new int[cellTypes.length];
    for (int i = 0; i < cellTypes.length; i++) groupOf[i] = group.computeIfAbsent(cellTypes[i], k -> group.size());
    float[][] mean = Inference.meanPerGroup(net, store, model.getNDManager(), batches(embeddings, cellTypes, null), DonorNet.ATTN_GENE_TO_TEXT,
        groupOf, group.size());
    Map<String, float[]> out = new java.util.LinkedHashMap<>();
    group.forEach((type, g) -> out.put(type, mean[g]));
    return out;
  }

  /** A batch of network inputs, and the whole preprocessed embedding they come from (donor novelty is measured there). */
  private record Input(Batches batches, float[] standardized) {}

  private Batches batches(float[] embeddings, String[] cellTypes, String[] cellIds) {
    return input(embeddings, cellTypes, cellIds).batches();
  }

  private Input input(float[] embeddings, String[] cellTypes, String[] cellIds) {
    int w = manifest.input_width;
    int n = cellTypes.length;
    if (embeddings.length != n * w) {
      throw new IllegalArgumentException("expected " + n + " x " + w + " embedding values, got " + embeddings.length);
    }
    int[] types = new int[n];
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      types[i] = typeIndexOf(cellTypes[i]);
      rows[i] = i;
    }
    // Types encoded after training have no training mean: the centring uses the global one.
    float[] standardized = preprocessor.standardized(embeddings, w, rows, types);
    float[] gene = preprocessor.project(standardized);
    String[] ids = cellIds != null ? cellIds : new String[n];
    int[] none = new int[n];
    java.util.Arrays.fill(none, -1);
    return new Input(new Batches(new EncodedCells(ids, preprocessor.outputWidth(), gene, types, none, none), textTable, manifest.text_dim),
        standardized);
  }

  private int typeIndexOf(String label) {
    Integer known = typeIndex.get(label);
    if (known != null) return known;
    if (encoder == null) return -1;
    float[] v = encoder.encode(ontology.describe(label, null));
    typeIndex.put(label, texts.size());
    texts.add(v);
    textTable = preprocessor.typeTable(texts.toArray(float[][]::new));
    return typeIndex.get(label);
  }

  /** @param inputs the network's gene inputs, row-major (the embedding's width, or the discriminant subspace's) */
  private List<CellScore> toScores(Predictions p, DonorNovelty.Rows novelty, int topK, float[] inputs) {
    int w = preprocessor.outputWidth();
    int donors = p.donors();
    int k = Math.min(topK, donors);
    float[] prob = p.probabilities();
    List<CellScore> out = new ArrayList<>(p.n());
    for (int i = 0; i < p.n(); i++) {
      int[] order = topIndices(prob, i * donors, donors, k);
      String[] top = new String[k];
      float[] probs = new float[k];
      for (int j = 0; j < k; j++) {
        top[j] = manifest.donors.get(order[j]);
        probs[j] = prob[i * donors + order[j]];
      }
      float energy = p.energy()[i];
      out.add(new CellScore(top[0], probs[0], energy > manifest.unknown_energy_threshold, energy, top, probs, p, i, novelty,
          largestMagnitude(inputs, i * w, w)));
    }
    return out;
  }

  /** The largest |value| of {@code n} values from {@code from}; NaN if any is NaN. */
  private static float largestMagnitude(float[] v, int from, int n) {
    float max = 0;
    for (int j = from; j < from + n; j++) {
      float a = Math.abs(v[j]);
      if (Float.isNaN(a)) return a;
      if (a > max) max = a;
    }
    return max;
  }

  /** The k largest of {@code n} values from {@code from}, best first; ties go to the lower index. One pass, insertion into the k kept. */
  static int[] topIndices(float[] v, int from, int n, int k) {
    int[] top = new int[k];
    int kept = 0;
    for (int d = 0; d < n; d++) {
      float x = v[from + d];
      if (kept == k && !(x > v[from + top[k - 1]])) continue;
      int j = kept < k ? kept++ : k - 1;
      for (; j > 0 && x > v[from + top[j - 1]]; j--) top[j] = top[j - 1];
      top[j] = d;
    }
    return top;
  }

  @Override
  public void close() {
    model.close();
  }
}
