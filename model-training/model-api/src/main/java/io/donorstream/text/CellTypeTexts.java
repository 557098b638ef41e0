package io.donorstream.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text embeddings of the cell types a model knows: each distinct label is described (label +
 * ontology definition) and encoded once, then looked up by label.
 */
public final class CellTypeTexts {
  private final String encoderName;
  private final int dim;
  private final List<String> labels;
  private final float[][] vectors;
  private final Map<String, Integer> index = new HashMap<>();

  public CellTypeTexts(String encoderName, int dim, List<String> labels, float[][] vectors) {
    this.encoderName = encoderName;
    this.dim = dim;
    this.labels = List.copyOf(labels);
    this.vectors = vectors;
    for (int i = 0; i < labels.size(); i++) index.put(labels.get(i), i);
  }

  /** Encodes each distinct (label, ontology id) of the input once. */
  public static CellTypeTexts encode(String[] labels, String[] ontologyIds, TextEncoder encoder, CellOntology ontology) {
    Map<String, String> idOf = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i++) idOf.putIfAbsent(labels[i], ontologyIds == null ? null : ontologyIds[i]);
    List<String> distinct = new ArrayList<>(idOf.keySet());
    float[][] v = new float[distinct.size()][];
    for (int i = 0; i < v.length; i++) v[i] = encoder.encode(ontology.describe(distinct.get(i), idOf.get(distinct.get(i))));
    return new CellTypeTexts(encoder.name(), encoder.dimension(), distinct, v);
  }

  /** Index of a known label, or -1. */
  public int indexOf(String label) {
    return index.getOrDefault(label, -1);
  }

  public List<String> labels() {
    return labels;
  }

  public float[][] vectors() {
    return vectors;
  }

  public int dimension() {
    return dim;
  }

  public String encoderName() {
    return encoderName;
  }
}
