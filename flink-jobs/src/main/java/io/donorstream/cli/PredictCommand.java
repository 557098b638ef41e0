package io.donorstream.cli;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.data.H5adReadOptions;
import io.donorstream.data.NonFinitePolicy;
import io.donorstream.predict.FilePredictor;
import io.donorstream.predict.PredictRequest;
import io.donorstream.servable.DonorScorer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Score every cell of an .h5ad with a model artifact: DonorScorer, checksums verified, no Kafka, no Flink.",
      "Writes OUT.csv: cell id, predicted donor, confidence, calibrated confidence, unknown-donor flag, top-k",
      "donors with probabilities; with --out-h5ad also OUT.h5ad: those as obs columns (the input's obs index),",
      "the latent in obsm['donorstream_latent']. When obs has donor labels, prints and writes OUT.summary.json",
      "and .txt: accuracy and macro F1 on cells of donors the model knows, per-donor recall, the unknown-donor",
      "flag checked against donors it never saw, the latent's sex leakage (train's donor-held-out probe).",
      "Memory does not grow with the file: cells are read --chunk-cells at a time and every answer is written as",
      "it is scored (the h5ad's latent straight into it, its other columns through temporary files beside it,",
      "copied in at the end in one streaming pass). Heap bound: ~3 x chunk x width x 4 B reading, 9 batches in",
      "flight x (width + donors + latent) x 4 B between the reader, scorer and writer threads, --probe-cells x",
      "latent x 4 B for the probe, 64 KB per h5ad column, the ids of --cells if given; nothing per cell of the file."
    },
    footer = {"", "Examples:",
      "  ./donorstream predict --model runs/vanilla --data ../shared/data/onek1k/onek1k-a.h5ad --out runs/onek1k-pred --out-h5ad",
      "  ./donorstream predict --model runs/vanilla --data ../shared/data/onek1k/onek1k-a.h5ad --cells runs/vanilla/test_cells.txt --out runs/test"})
public final class PredictCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model artifact directory (written by train).")
  Path model;

  @Option(names = "--data", required = true, description = "Input .h5ad.")
  Path data;

  @Option(names = "--embedding-key", description = "obsm key of the cell embedding (default: the key the model was trained on).")
  String embeddingKey;

  @Option(names = "--out", required = true, paramLabel = "OUT",
      description = "Output name: OUT.csv (a trailing .csv is dropped), OUT.h5ad, OUT.summary.json, OUT.summary.txt.")
  Path out;

  @Option(names = "--out-h5ad", description = "Also write OUT.h5ad (opens in anndata; obs index kept from the input).")
  boolean outH5ad;

  @Option(names = "--cells", paramLabel = "FILE",
      description = "Score only the cells whose ids are listed, one per line (e.g. the test_cells.txt train writes into its artifact).")
  Path cells;

  @Option(names = "--batch-size", defaultValue = "4096",
      description = "Cells per scorer call (default ${DEFAULT-VALUE}; multiples of 1024 give train's numbers to the bit).")
  int batchSize;

  @Option(names = "--chunk-cells", defaultValue = "16384", description = "Cells read from the file at a time (default ${DEFAULT-VALUE}).")
  int chunkCells;

  @Option(names = "--top-k", defaultValue = "3", description = "Ranked donors per cell (default ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--donor-column", defaultValue = "donor_id", description = "obs column with the true donor, if any (default ${DEFAULT-VALUE}).")
  String donorColumn;

  @Option(names = "--sex-column", defaultValue = "sex", description = "obs column with the sex, if any (default ${DEFAULT-VALUE}).")
  String sexColumn;

  @Option(names = "--cell-type-column", defaultValue = "cell_type", description = "obs column with the cell type (default ${DEFAULT-VALUE}).")
  String cellTypeColumn;

  @Option(names = "--drop-non-finite", description = "Leave out cells whose embedding has NaN/Inf (default: refuse the file at the first).")
  boolean dropNonFinite;

  @Option(names = "--probe-cells", defaultValue = "10000",
      description = "Most labelled cells the sex probe runs on, a seeded random sample beyond (default ${DEFAULT-VALUE}; 0 = no probe).")
  int probeCells;

  @Option(names = "--seed", description = "Seed of the sex probe (default: the model's training seed, so its test cells give train's figures).")
  Long seed;

  @Override
  public Integer call() throws IOException {
    if (batchSize < 1) throw new UserError("--batch-size must be at least 1, got " + batchSize);
    if (chunkCells < 1) throw new UserError("--chunk-cells must be at least 1, got " + chunkCells);
    if (topK < 1) throw new UserError("--top-k must be at least 1, got " + topK);
    if (probeCells < 0) throw new UserError("--probe-cells must be at least 0, got " + probeCells);
    if (Files.isDirectory(data)) throw new UserError(data + " is a directory; predict reads an .h5ad file");
    Set<String> only = cells == null ? null : readIds(cells);
    String base = out.toString().replaceFirst("\\.csv$", "");
    Path csv = Path.of(base + ".csv");
    Path h5ad = outH5ad ? Path.of(base + ".h5ad") : null;
    try (DonorScorer scorer = DonorScorer.load(model)) {
      var m = scorer.manifest();
      String key = embeddingKey != null ? embeddingKey : m.embedding_key;
      H5adReadOptions read = H5adReadOptions.of(key).withColumns(donorColumn, sexColumn, cellTypeColumn)
          .withNonFinite(dropNonFinite ? NonFinitePolicy.DROP : NonFinitePolicy.REFUSE);
      long probeSeed = seed != null ? seed : trainingSeed(m.metrics);
      System.out.println("model " + m.name + " v" + m.version + " (" + m.spec.architecture() + ", " + m.input_width + "-d obsm['" + m.embedding_key
          + "'], " + m.donors.size() + " donors) from " + model + "; checksums verified");
      FilePredictor.Result r = new FilePredictor(scorer, model).run(new PredictRequest(data, read, only, csv, h5ad, chunkCells, batchSize, topK,
          probeCells, probeSeed, true));
      List<String> lines = new java.util.ArrayList<>();
      lines.add(String.format(Locale.ROOT, "scored %,d of %,d cells of %s in %.1f s (%,.0f cells/s, reading and writing included)",
          r.cellsScored(), r.cellsInFile(), data, r.passSeconds(), r.cellsScored() / r.passSeconds()));
      if (r.droppedNonFinite() > 0) lines.add(String.format(Locale.ROOT, "left out %,d cells with NaN/Inf embeddings", r.droppedNonFinite()));
      if (r.droppedOutOfRange() > 0) {
        lines.add(String.format(Locale.ROOT, "left out %,d cells whose values lie more than %,.0f training standard deviations out once standardised",
            r.droppedOutOfRange(), io.donorstream.servable.CellScore.MAX_STANDARDISED_INPUT));
      }
      if (only != null) {
        lines.add(String.format(Locale.ROOT, "--cells %s: %,d ids listed, %,d not in the file", cells, only.size(), r.listedNotFound()));
      }
      if (r.unseenCellTypeCells() > 0) {
        lines.add(String.format(Locale.ROOT, "%,d cells have a cell type the model never saw (scored with its learned unknown-type vector)",
            r.unseenCellTypeCells()));
      }
      lines.addAll(r.summary().lines());
      lines.forEach(System.out::println);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("data", data.toAbsolutePath().toString());
      json.put("embedding_key", key);
      json.put("model", model.toAbsolutePath().toString());
      json.put("model_name", m.name);
      json.put("model_version", m.version);
      json.put("cells_in_file", r.cellsInFile());
      json.put("cells_dropped_non_finite", r.droppedNonFinite());
      json.put("cells_dropped_out_of_range", r.droppedOutOfRange());
      json.put("cells_list", cells == null ? null : cells.toAbsolutePath().toString());
      json.put("cells_listed_not_found", only == null ? null : r.listedNotFound());
      json.put("cells_with_unseen_cell_type", r.unseenCellTypeCells());
      json.putAll(r.summary().json());
      json.put("pass_seconds", r.passSeconds());
      json.put("seconds", r.seconds());
      Files.writeString(Path.of(base + ".summary.json"), ModelArtifact.GSON.toJson(json) + "\n", StandardCharsets.UTF_8);
      Files.writeString(Path.of(base + ".summary.txt"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      System.out.println("wrote " + csv + (h5ad != null ? ", " + h5ad : "") + ", " + base + ".summary.json, " + base + ".summary.txt");
    }
    return 0;
  }

  /** The ids of a --cells file: one per line, surrounding blanks trimmed, empty lines skipped. */
  static Set<String> readIds(Path file) {
    if (!Files.isRegularFile(file)) throw new UserError("--cells " + file + ": no such file");
    Set<String> ids = new LinkedHashSet<>();
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      lines.map(String::strip).filter(s -> !s.isEmpty()).forEach(ids::add);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new UserError("--cells " + file + ": cannot read it (" + e.getMessage() + ")");
    }
    if (ids.isEmpty()) throw new UserError("--cells " + file + " lists no cell ids");
    return ids;
  }

  /** The seed train ran with (stored in the manifest's metrics), so the probe repeats its test figures; 42 when absent. */
  private static long trainingSeed(Map<String, Object> metrics) {
    Object s = metrics == null ? null : metrics.get("seed");
    return s instanceof Number n ? n.longValue() : 42L;
  }
}
