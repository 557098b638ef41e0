package io.donorstream.cli;

import io.donorstream.text.CellOntology;
import io.donorstream.text.TextEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How cell types are described and encoded. */
public final class TextOptions {
  @Option(names = "--text-encoder", description = "Folder with a TorchScript BERT (model.pt + tokenizer.json), e.g. BioBERT; default: the bundled all-MiniLM-L6-v2.")
  public Path textEncoder;

  @Option(names = "--ontology", description = "Cell Ontology terms JSON (id, label, definition); default: ../shared/data/cell-ontology/cl-terms.json when present, else labels only.")
  public Path ontology;

  public TextEncoder encoder() {
    return textEncoder != null ? TransformerTextEncoder.torchScript(textEncoder) : TransformerTextEncoder.miniLm(cacheDir());
  }

  public CellOntology cellOntology() {
    return CellOntology.loadDefault(ontology);
  }

  /** Next to DJL's own cache, which the launcher keeps inside the project. */
  public static Path cacheDir() {
    String djl = System.getenv("DJL_CACHE_DIR");
    return (djl != null ? Path.of(djl) : Path.of("target", "djl-cache")).resolve("text");
  }
}
