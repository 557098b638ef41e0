package io.donorstream.retrain;

import io.donorstream.data.ArchiveReader;
import io.donorstream.data.CellTable;
import io.donorstream.data.CellTables;
import io.donorstream.data.Shuffle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * What a retraining learns from and what it is judged on, sharing nothing: the archive read once
 * per cell id and once per embedding (a cell sent again under a new id is the same cell), a random
 * share of the newest cells held out, and the base set without any cell the archive holds. The
 * training set's own train / validation / test split then partitions cells that are all distinct,
 * so no identical embedding sits on both sides of any comparison.
 *
 * @param train the cells the candidate learns from (base first, then archived)
 * @param recent the held-out newest cells both models are compared on
 * @param duplicates archived cells left out because an earlier one had the same embedding
 * @param baseOverlap base cells left out because the archive holds them
 * @param baseCapped base cells left out so that archived cells weigh at least half (recent weighting)
 */
public record TrainingCorpus(CellTable train, CellTable recent, String from, String to, int archived, int duplicates, int baseOverlap,
    int baseCapped) {

  /**
   * @param holdoutFraction share of the distinct archived cells held out, drawn from the newest twice as many
   * @param favourRecent cap the base set at the size of the archived training cells
   */
  public static TrainingCorpus of(ArchiveReader.TimedCells archive, CellTable base, double holdoutFraction, boolean favourRecent, long seed) {
    CellTable all = archive.table();
    long[] times = archive.eventTimes();
    int[] byTime = IntStream.range(0, all.size()).boxed().sorted(Comparator.comparingLong((Integer i) -> times[i]).thenComparing(i -> i))
        .mapToInt(Integer::intValue).toArray();
    EmbeddingIndex seen = new EmbeddingIndex(all);
    Set<String> ids = new HashSet<>();
    List<Integer> distinct = new ArrayList<>();
    for (int r : byTime) {
      if (ids.add(all.cellIds()[r]) && seen.add(r)) distinct.add(r);
    }
    int[] rows = distinct.stream().mapToInt(Integer::intValue).toArray();
    int n = rows.length;
    int holdout = (int) Math.ceil(holdoutFraction * n);
    if (holdout < 2 || n - holdout < 2) {
      throw new IllegalStateException("the archive holds " + n + " distinct labelled cells: too few to train and compare");
    }
    // Held-out cells are recent, drawn at random from the newest twice as many: the candidate still learns
    // from the rest of the recent cells (after a drift, the only ones that show the new donors).
    int[] newest = Arrays.copyOfRange(rows, Math.max(0, n - 2 * holdout), n);
    Shuffle.shuffle(newest, new SplittableRandom(seed));
    Set<Integer> held = new HashSet<>();
    for (int k = 0; k < holdout; k++) held.add(newest[k]);
    int[] heldRows = Arrays.stream(rows).filter(held::contains).toArray();
    int[] rest = Arrays.stream(rows).filter(r -> !held.contains(r)).toArray();
    CellTable train = all.select(rest);
    int overlap = 0;
    int capped = 0;
    if (base != null) {
      List<Integer> keep = new ArrayList<>();
      for (int i = 0; i < base.size(); i++) {
        if (ids.contains(base.cellIds()[i]) || seen.contains(base, i)) {
          overlap++;
        } else {
          keep.add(i);
        }
      }
      int[] baseRows = keep.stream().mapToInt(Integer::intValue).toArray();
      if (favourRecent && baseRows.length > rest.length) {
        Shuffle.shuffle(baseRows, new SplittableRandom(seed + 1));
        capped = baseRows.length - rest.length;
        baseRows = Arrays.copyOf(baseRows, rest.length);
        Arrays.sort(baseRows);
      }
      if (baseRows.length > 0) train = CellTables.concat(base.select(baseRows), train);
    }
    return new TrainingCorpus(train, all.select(heldRows), Instant.ofEpochMilli(times[rows[0]]).toString(),
        Instant.ofEpochMilli(times[rows[n - 1]]).toString(), n, all.size() - n, overlap, capped);
  }

  /** Rows of one table by a hash of their embedding's bits, compared exactly (in place) on a hash match. */
  static final class EmbeddingIndex {
    private final CellTable table;
    private final Map<Long, List<Integer>> byHash = new HashMap<>();

    EmbeddingIndex(CellTable table) {
      this.table = table;
    }

    /** Adds row {@code r} of the indexed table; false when an identical embedding was added before. */
    boolean add(int r) {
      List<Integer> same = byHash.computeIfAbsent(hash(table, r), h -> new ArrayList<>(1));
      for (int other : same) if (equal(table, other, table, r)) return false;
      same.add(r);
      return true;
    }

    /** Whether row {@code r} of {@code t} has the embedding of a row added before. */
    boolean contains(CellTable t, int r) {
      List<Integer> same = byHash.get(hash(t, r));
      if (same == null) return false;
      for (int other : same) if (equal(table, other, t, r)) return true;
      return false;
    }

    private static boolean equal(CellTable a, int ra, CellTable b, int rb) {
      int w = a.width();
      return w == b.width() && Arrays.equals(a.embedding(), ra * w, (ra + 1) * w, b.embedding(), rb * w, (rb + 1) * w);
    }

    static long hash(CellTable t, int r) {
      long h = 0xcbf29ce484222325L;
      float[] e = t.embedding();
      for (int j = r * t.width(), end = j + t.width(); j < end; j++) {
        h ^= Float.floatToIntBits(e[j]);
        h *= 0x100000001b3L;
      }
      return h ^ (h >>> 31);
    }
  }
}
