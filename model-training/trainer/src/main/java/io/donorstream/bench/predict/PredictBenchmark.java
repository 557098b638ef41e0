package io.donorstream.bench.predict;

import io.donorstream.data.CellTable;
import io.donorstream.data.CellTableReader;
import io.donorstream.data.H5adReadOptions;
import io.donorstream.data.H5adWriter;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.predict.FilePredictor;
import io.donorstream.predict.PredictRequest;
import io.donorstream.servable.DonorScorer;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.TrainSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code predict} end to end (h5ad read in chunks, scored, CSV written; and with the h5ad output
 * too) beside the bare {@link DonorScorer#score} on the same cells, held in memory, in the same
 * process, with the same model and batch size: the ratio is what reading and writing files costs.
 * The two are timed in turns (the machine's pace drifts), after one untimed run of each.
 */
public final class PredictBenchmark {
  private static final int TOP_K = 3;
  private static final int CHUNK = 16_384;

  private final PrintStream out;
  private final int batchSize;
  private final int rounds;
  /** Stage CPU seconds (read, score, write) of the last e2e run, and per timed round. */
  private double[] lastCpu;
  private double[][] cpu;

  public PredictBenchmark(PrintStream out, int batchSize, int rounds) {
    this.out = out;
    this.batchSize = batchSize;
    this.rounds = rounds;
  }

  /** One model's setting: its architecture, embedding width and how many cells are streamed. */
  public record Case(String model, int width, int cells, int trainingCells, int epochs) {}

  public void run(Case c, TextEncoder encoder, Path work) {
    Path dir = work.resolve(c.model());
    String key = c.width() == 50 ? "X_emb" : "geneformer";
    CellTable all = SyntheticDataGenerator.generate(SyntheticSpec.generic(c.cells() + c.trainingCells(), 14, 8, c.width(), key, 2.0, 1.5, 9),
        "bench-" + c.model()).table();
    Path model = dir.resolve("model");
    new TrainingPipeline(m -> {}).run(TrainRequest.of(all.select(range(c.cells(), c.cells() + c.trainingCells())), c.model(),
        TrainSettings.defaults(c.model(), 1).withEpochs(c.epochs()), model, encoder).build());
    Path file = dir.resolve("cells.h5ad");
    H5adWriter.write(file, all.select(range(0, c.cells())), Map.of());
    all = null;
    CellTable cells = CellTableReader.read(file, H5adReadOptions.of(key));
    try (DonorScorer scorer = DonorScorer.load(model)) {
      FilePredictor predictor = new FilePredictor(scorer, model);
      PredictRequest csv = request(file, key, dir.resolve("pred.csv"), null);
      PredictRequest both = request(file, key, dir.resolve("pred.csv"), dir.resolve("pred.h5ad"));
      raw(scorer, cells);
      e2e(predictor, csv);
      e2e(predictor, both);
      double[] raw = new double[rounds];
      double[] e2e = new double[rounds];
      cpu = new double[rounds][];
      double[] withH5ad = new double[rounds];
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        if (r % 2 == 0) {
          raw[r] = raw(scorer, cells);
          e2e[r] = e2e(predictor, csv);
        } else {
          e2e[r] = e2e(predictor, csv);
          raw[r] = raw(scorer, cells);
        }
        cpu[r] = lastCpu;
        withH5ad[r] = e2e(predictor, both);
        ratio[r] = e2e[r] / raw[r];
      }
      double[] scoreCpu = new double[rounds];
      double[] ioCpu = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        scoreCpu[r] = cpu[r][1] / c.cells() * 1e6;
        ioCpu[r] = (cpu[r][0] + cpu[r][2]) / c.cells() * 1e6;
      }
      out.printf("bench predict model=%s width=%d cells=%d batch=%d e2e_cells_per_s=%.0f raw_cells_per_s=%.0f ratio=%.2f"
          + " e2e_h5ad_cells_per_s=%.0f ratio_h5ad=%.2f e2e_cpu_us_per_cell: score=%.2f read+write=%.2f%n", c.model(), c.width(), c.cells(),
          batchSize, median(e2e), median(raw), median(ratio), median(withH5ad), median(withH5ad) / median(raw), median(scoreCpu), median(ioCpu));
    }
  }

  private PredictRequest request(Path file, String key, Path csv, Path h5ad) {
    return new PredictRequest(file, H5adReadOptions.of(key), null, csv, h5ad, CHUNK, batchSize, TOP_K, 0, 1, false);
  }

  /** Cells/s of the scorer alone, on cells in memory, in predict's batches (each batch copied out, as predict's are). */
  private double raw(DonorScorer scorer, CellTable t) {
    int w = t.width();
    long t0 = System.nanoTime();
    for (int from = 0; from < t.size(); from += batchSize) {
      int to = Math.min(t.size(), from + batchSize);
      scorer.score(Arrays.copyOfRange(t.embedding(), from * w, to * w), Arrays.copyOfRange(t.cellTypes(), from, to), TOP_K);
    }
    return t.size() / ((System.nanoTime() - t0) / 1e9);
  }

  /** Cells/s of predict's pass over the file: reading, scoring, writing (no sex probe). */
  private double e2e(FilePredictor predictor, PredictRequest r) {
    // A user's run writes new files; replacing the last run's (freeing its pages) is not predict's cost.
    try {
      java.nio.file.Files.deleteIfExists(r.csv());
      if (r.h5ad() != null) java.nio.file.Files.deleteIfExists(r.h5ad());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    FilePredictor.Result result = predictor.run(r);
    lastCpu = new double[] {result.cpu().read(), result.cpu().score(), result.cpu().write()};
    return result.cellsScored() / result.passSeconds();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }
}
