package io.donorstream.predict;

import io.donorstream.data.CellChunk;
import io.donorstream.data.ChunkedCellReader;
import io.donorstream.data.H5adException;
import io.donorstream.inference.ConfidenceCalibration;
import io.donorstream.progress.Progress;
import io.donorstream.scorer.CellScore;
import io.donorstream.scorer.DonorScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;

/**
 * Scores every cell of an h5ad (or the listed ones) with a {@link DonorScorer}, reading the file a
 * chunk at a time and writing each cell's answer to the CSV (and the h5ad's column files) as soon
 * as it is scored: memory is a chunk and a batch of cells plus fixed-size buffers, never the file.
 * Outputs are written under temporary names and renamed at the end, so a run that fails leaves
 * none behind.
 */
public final class FilePredictor {
  private final DonorScorer scorer;
  private final Path model;

  public FilePredictor(DonorScorer scorer, Path model) {
    this.scorer = scorer;
    this.model = model;
  }

  /** What a run did (a run that scores no cell fails instead). */
  public record Result(long cellsInFile, long cellsScored, long droppedNonFinite, long listedNotFound, long unseenCellTypeCells, double seconds,
      PredictionSummary.Report summary) {}

  public Result run(PredictRequest r) {
    long t0 = System.nanoTime();
    Path csvPart = part(r.csv());
    Path h5adPart = r.h5ad() == null ? null : part(r.h5ad());
    boolean done = false;
    try (ChunkedCellReader reader = ChunkedCellReader.open(r.data(), r.read().scoringOnly(), r.chunkCells())) {
      checkWidth(reader, r);
      int topK = Math.min(r.topK(), scorer.manifest().donors.size());
      int latentDim = scorer.manifest().spec.hidden();
      PredictionSummary summary = new PredictionSummary(scorer.manifest().donors, latentDim, r.probeCells(), r.probeSeed());
      if (reader.hasSex()) summary.sexColumnPresent();
      Set<String> found = r.onlyCells() == null ? null : new HashSet<>();
      long unseenTypes = 0;
      try (PredictionCsv csv = PredictionCsv.create(csvPart, topK);
          PredictionsH5ad h5ad = h5adPart == null ? null : new PredictionsH5ad(h5adPart, reader.indexName(), scorer.manifest().donors, topK,
              latentDim, uns(r), spillDir(r.h5ad()));
          ProgressBar bar = r.showProgress() ? Progress.bar("predict", reader.cells(), "cells") : null) {
        Sinks sinks = new Sinks(csv, h5ad, summary, scorer.manifest().confidence_calibration);
        PendingCells pending = new PendingCells(reader.width());
        while (reader.hasNext()) {
          CellChunk chunk = reader.next();
          pending.append(chunk, keep(chunk, r.onlyCells(), found));
          while (pending.size() >= r.batchSize()) unseenTypes += score(pending.take(r.batchSize()), topK, sinks);
          if (bar != null) bar.stepTo(Math.min(reader.cells(), chunk.firstRow() + r.chunkCells()));
        }
        if (pending.size() > 0) unseenTypes += score(pending.take(pending.size()), topK, sinks);
        if (summary.cells() == 0) {
          throw new H5adException(r.data(), r.onlyCells() == null ? "no cells to score" : "none of the " + r.onlyCells().size()
              + " listed cell ids is in the file");
        }
        if (h5ad != null) h5ad.finish();
      }
      move(csvPart, r.csv());
      if (h5adPart != null) move(h5adPart, r.h5ad());
      done = true;
      long listedNotFound = r.onlyCells() == null ? 0 : r.onlyCells().size() - found.size();
      return new Result(reader.cells(), summary.cells(), reader.droppedNonFinite(), listedNotFound, unseenTypes, (System.nanoTime() - t0) / 1e9,
          summary.report());
    } finally {
      if (!done) {
        deleteQuietly(csvPart);
        if (h5adPart != null) deleteQuietly(h5adPart);
      }
    }
  }

  private void checkWidth(ChunkedCellReader reader, PredictRequest r) {
    if (reader.width() != scorer.inputWidth()) {
      throw new H5adException(r.data(), "obsm['" + r.read().embeddingKey() + "'] is " + reader.width() + "-d but model " + model + " takes "
          + scorer.inputWidth() + "-d input (it was trained on obsm['" + scorer.manifest().embedding_key + "'])");
    }
  }

  /** Which of the chunk's cells to score; null = all. */
  private static boolean[] keep(CellChunk c, Set<String> only, Set<String> found) {
    if (only == null) return null;
    boolean[] keep = new boolean[c.size()];
    for (int i = 0; i < c.size(); i++) {
      keep[i] = only.contains(c.cellIds()[i]);
      if (keep[i]) found.add(c.cellIds()[i]);
    }
    return keep;
  }

  /** Scores a batch and hands every cell to the outputs; returns how many had a cell type the model never saw. */
  private long score(PendingCells.Batch b, int topK, Sinks sinks) {
    List<CellScore> scores = scorer.score(b.embedding(), b.types(), topK);
    long unseen = 0;
    for (int i = 0; i < b.size(); i++) {
      if (!scorer.knowsCellType(b.types()[i])) unseen++;
      sinks.accept(new ScoredCell(b.ids()[i], b.donors()[i], b.sexes()[i], b.types()[i], scores.get(i), sinks.calibrated(scores.get(i))));
    }
    return unseen;
  }

  /** The three outputs every scored cell goes to. */
  private record Sinks(PredictionCsv csv, PredictionsH5ad h5ad, PredictionSummary summary, ConfidenceCalibration calibration) {
    void accept(ScoredCell c) {
      csv.write(c);
      if (h5ad != null) h5ad.add(c);
      summary.add(c);
    }

    float calibrated(CellScore s) {
      return calibration == null ? Float.NaN : (float) calibration.apply(s.confidence());
    }
  }

  private Map<String, String> uns(PredictRequest r) {
    var m = scorer.manifest();
    return Map.of("donorstream_model", String.valueOf(m.name), "donorstream_model_version", String.valueOf(m.version),
        "donorstream_model_path", model.toAbsolutePath().toString(), "donorstream_source", r.data().toAbsolutePath().toString(),
        "donorstream_embedding_key", r.read().embeddingKey());
  }

  private static Path spillDir(Path out) {
    Path parent = out.toAbsolutePath().getParent();
    return parent != null ? parent : Path.of(".");
  }

  private static Path part(Path out) {
    Path abs = out.toAbsolutePath();
    try {
      if (abs.getParent() != null) Files.createDirectories(abs.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + abs.getParent(), e);
    }
    return abs.resolveSibling(abs.getFileName() + ".part");
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Best effort: the run already failed for a reason worth reporting.
    }
  }
}
