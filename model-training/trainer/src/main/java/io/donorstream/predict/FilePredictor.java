package io.donorstream.predict;

import io.donorstream.data.CellChunk;
import io.donorstream.data.ChunkedCellReader;
import io.donorstream.data.H5adException;
import io.donorstream.inference.ConfidenceCalibration;
import io.donorstream.progress.Progress;
import io.donorstream.servable.CellScore;
import io.donorstream.servable.DonorScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;

/**
 * Scores every cell of an h5ad (or the listed ones) with a {@link DonorScorer}, reading the file a
 * chunk at a time and writing each cell's answer to the CSV (and the h5ad's column files) as soon
 * as it is scored: memory is a chunk and a batch of cells plus fixed-size buffers, never the file.
 * Outputs are written under temporary names and renamed at the end, so a run that fails leaves
 * none behind.
 */
public final class FilePredictor {
  static final int QUEUED_BATCHES = 4;
  private final DonorScorer scorer;
  private final Path model;

  public FilePredictor(DonorScorer scorer, Path model) {
    this.scorer = scorer;
    this.model = model;
  }

  /**
   * What a run did (a run that scores no cell fails instead).
   *
   * @param passSeconds the pass over the file: reading, scoring, writing the outputs
   * @param seconds all of it, the summary's sex probe included
   * @param cpu what each stage of the pass cost in CPU time, which other work on the machine does not inflate
   */
  public record Result(long cellsInFile, long cellsScored, long droppedNonFinite, long droppedOutOfRange, long listedNotFound, long unseenCellTypeCells,
      double passSeconds, double seconds, StageCpu cpu, PredictionSummary.Report summary) {}

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
      Pass pass;
      try (PredictionCsv csv = PredictionCsv.create(csvPart, topK);
          PredictionsH5ad h5ad = h5adPart == null ? null : new PredictionsH5ad(h5adPart, reader.indexName(), scorer.manifest().donors, topK,
              latentDim, uns(r), spillDir(r.h5ad()));
          ProgressBar bar = r.showProgress() ? Progress.bar("predict", reader.cells(), "cells") : null) {
        pass = pipeline(reader, r, topK, found, bar, new Sinks(csv, h5ad, summary, scorer.manifest().confidence_calibration));
        if (summary.cells() == 0) {
          throw new H5adException(r.data(), r.onlyCells() == null ? "no cells to score" : "none of the " + r.onlyCells().size()
              + " listed cell ids is in the file");
        }
        if (h5ad != null) h5ad.finish();
      }
      move(csvPart, r.csv());
      if (h5adPart != null) move(h5adPart, r.h5ad());
      done = true;
      double passSeconds = (System.nanoTime() - t0) / 1e9;
      long listedNotFound = r.onlyCells() == null ? 0 : r.onlyCells().size() - found.size();
      PredictionSummary.Report report = summary.report();
      return new Result(reader.cells(), summary.cells(), reader.droppedNonFinite(), pass.outOfRange(), listedNotFound, pass.unseenTypes(), passSeconds,
          (System.nanoTime() - t0) / 1e9, pass.cpu(), report);
    } finally {
      if (!done) {
        deleteQuietly(csvPart);
        if (h5adPart != null) deleteQuietly(h5adPart);
      }
    }
  }

  private record Pass(long unseenTypes, long outOfRange, StageCpu cpu) {}

  /** CPU seconds each stage's thread used: reading, scoring (libtorch runs on the scoring thread), writing. */
  public record StageCpu(double read, double score, double write) {}

  private static double threadCpuSeconds() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
  }

  /** A batch of cells and, once scored, their scores and which have a cell type the model never saw. */
  private record Scored(PendingCells.Batch cells, List<CellScore> scores, boolean[] unseenType) {}

  /**
   * Three stages on their own threads, so that reading and writing overlap scoring: a reader
   * (chunks cut into whole batches), the scorer (this thread, the only one touching libtorch), a
   * writer (CSV, h5ad columns, summary; one thread, so rows keep file order). At most {@link
   * #QUEUED_BATCHES} batches wait between stages, so memory stays bounded; a few absorb the
   * hiccups (a chunk read, a collection) that make a stage wait for its neighbour.
   */
  private Pass pipeline(ChunkedCellReader reader, PredictRequest r, int topK, Set<String> found, ProgressBar bar, Sinks sinks) {
    ExecutorService pool = Executors.newFixedThreadPool(2, runnable -> {
      Thread t = new Thread(runnable, "predict-io");
      t.setDaemon(true);
      return t;
    });
    Handoff<PendingCells.Batch> toScore = new Handoff<>(QUEUED_BATCHES);
    Handoff<Scored> toWrite = new Handoff<>(QUEUED_BATCHES);
    try {
      double[] readCpu = new double[1];
      double[] writeCpu = new double[1];
      Future<?> reading = pool.submit(() -> {
        double cpu0 = threadCpuSeconds();
        PendingCells pending = new PendingCells(reader.width());
        while (reader.hasNext()) {
          CellChunk chunk = reader.next();
          pending.append(chunk, keep(chunk, r.onlyCells(), found));
          while (pending.size() >= r.batchSize()) toScore.put(pending.take(r.batchSize()), null);
          if (bar != null) bar.stepTo(Math.min(reader.cells(), chunk.firstRow() + r.chunkCells()));
        }
        if (pending.size() > 0) toScore.put(pending.take(pending.size()), null);
        toScore.end(null);
        readCpu[0] = threadCpuSeconds() - cpu0;
        return null;
      });
      long[] unseen = new long[1];
      long[] outOfRange = new long[1];
      Future<?> writing = pool.submit(() -> {
        double cpu0 = threadCpuSeconds();
        for (Scored s; (s = toWrite.take(null)) != null; ) {
          PendingCells.Batch b = s.cells();
          for (int i = 0; i < b.size(); i++) {
            CellScore score = s.scores().get(i);
            // As the streaming job does: values beyond any cell's range get no answer (it would be noise, or NaN).
            if (!score.answerable()) {
              outOfRange[0]++;
              continue;
            }
            if (s.unseenType()[i]) unseen[0]++;
            sinks.accept(new ScoredCell(b.ids()[i], b.donors()[i], b.sexes()[i], b.types()[i], score, sinks.calibrated(score)));
          }
        }
        writeCpu[0] = threadCpuSeconds() - cpu0;
        return null;
      });
      double scoreCpu0 = threadCpuSeconds();
      for (PendingCells.Batch b; (b = toScore.take(reading)) != null; ) {
        List<CellScore> scores = scorer.score(b.embedding(), b.types(), topK);
        boolean[] unseenType = new boolean[b.size()];
        for (int i = 0; i < b.size(); i++) unseenType[i] = !scorer.knowsCellType(b.types()[i]);
        toWrite.put(new Scored(b, scores, unseenType), writing);
      }
      toWrite.end(writing);
      double scoreCpu = threadCpuSeconds() - scoreCpu0;
      Handoff.rethrow(reading);
      Handoff.rethrow(writing);
      return new Pass(unseen[0], outOfRange[0], new StageCpu(readCpu[0], scoreCpu, writeCpu[0]));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while predicting", e);
    } finally {
      pool.shutdownNow();
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
