package io.donorstream.text;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cell Ontology terms (id, label, definition, synonyms), used to describe a cell type to the text
 * encoder with more than its name.
 */
public final class CellOntology {
  /** Where the shared reference copy lives relative to the project root. */
  public static final Path SHARED = Path.of("..", "shared", "data", "cell-ontology", "cl-terms.json");

  record Term(String id, String label, String definition, List<String> synonyms) {}

  private final Map<String, Term> byId = new HashMap<>();
  private final Map<String, Term> byLabel = new HashMap<>();

  private CellOntology() {}

  public static CellOntology empty() {
    return new CellOntology();
  }

  public static CellOntology load(Path json) {
    CellOntology o = new CellOntology();
    try (Reader r = Files.newBufferedReader(json)) {
      List<Term> terms = new Gson().fromJson(r, new TypeToken<List<Term>>() {}.getType());
      for (Term t : terms) {
        o.byId.put(t.id(), t);
        o.byLabel.putIfAbsent(key(t.label()), t);
        if (t.synonyms() != null) {
          for (String s : t.synonyms()) o.byLabel.putIfAbsent(key(s), t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Cell Ontology terms from " + json, e);
    }
    return o;
  }

  /** The shared copy when it is beside the project, otherwise an empty ontology (labels only). */
  public static CellOntology loadDefault(Path explicit) {
    if (explicit != null) return load(explicit);
    return Files.exists(SHARED) ? load(SHARED) : empty();
  }

  public int size() {
    return byId.size();
  }

  /**
   * The text that describes a cell type: its label, plus the ontology definition when the term is
   * known by id or by label (or synonym).
   */
  public String describe(String label, String ontologyId) {
    Term t = ontologyId != null ? byId.get(ontologyId) : null;
    if (t == null) t = byLabel.get(key(label));
    if (t == null || t.definition() == null || t.definition().isBlank()) return label;
    return label + ": " + t.definition();
  }

  private static String key(String s) {
    return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
  }
}
