package io.donorstream.bench.scoring;

import io.donorstream.data.CellTable;
import io.donorstream.servable.DonorScorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The raw {@code DonorScorer} throughput the job is measured against: {@code threads} scorers (one
 * per scoring subtask, each on its own thread, as the job runs them) over their shares of the cells
 * in batches of the job's size, after an untimed pass.
 */
final class RawScoring {
  private RawScoring() {}

  static double cellsPerSecond(Path model, CellTable t, int batchSize, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<DonorScorer> scorers = new ArrayList<>();
    try {
      for (int k = 0; k < threads; k++) scorers.add(DonorScorer.load(model));
      double seconds = 0;
      for (int pass = 0; pass < 2; pass++) {
        List<Callable<Void>> shares = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
          DonorScorer scorer = scorers.get(k);
          int from = (int) ((long) t.size() * k / threads);
          int to = (int) ((long) t.size() * (k + 1) / threads);
          shares.add(() -> {
            score(scorer, t, from, to, batchSize);
            return null;
          });
        }
        long t0 = System.nanoTime();
        for (Future<Void> f : pool.invokeAll(shares)) f.get();
        seconds = (System.nanoTime() - t0) / 1e9;
      }
      return t.size() / seconds;
    } finally {
      pool.shutdownNow();
      scorers.forEach(DonorScorer::close);
    }
  }

  private static void score(DonorScorer scorer, CellTable t, int from, int to, int batchSize) {
    int w = t.width();
    for (int i = from; i < to; i += batchSize) {
      int end = Math.min(to, i + batchSize);
      scorer.score(Arrays.copyOfRange(t.embedding(), i * w, end * w), Arrays.copyOfRange(t.cellTypes(), i, end), 3);
    }
  }
}
