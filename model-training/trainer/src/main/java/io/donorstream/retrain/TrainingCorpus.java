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
 * <p>With a {@link Recency}, the cells archived since the change began are what both models are
 * compared on (a quarter of them, at least 50, when there are at least {@link #MIN_RECENT}: the
 * comparison is about the new regime, not the cells before it) and weigh at least half of what the candidate
 * learns: the older cells (the base set and the archive before it) are sampled down to as many as
 * the recent ones, but never below a floor (the champion's own training size), so the candidate
 * knows as much of the past as the champion did.
 *
 * @param train the cells the candidate learns from (older first, then recent)
 * @param recent the held-out newest cells both models are compared on
 * @param duplicates archived cells left out because an earlier one had the same embedding
 * @param baseOverlap base cells left out because the archive holds them
 * @param olderLeftOut older cells left out so that recent ones weigh at least half
 */
public record TrainingCorpus(CellTable train, CellTable recent, String from, String to, int archived, int duplicates, int baseOverlap,
    int olderLeftOut) {

  /** Cells archived at or after {@code since} (epoch ms, event time) are recent; older ones are kept down to at least {@code olderFloor}. */
  public record Recency(long since, int olderFloor) {}

  /** Recent cells needed to compare on them alone. */
  public static final int MIN_RECENT = 100;

  /**
   * @param holdoutFraction share of the distinct archived cells held out (at most {@code maxHoldout}), drawn from the newest twice as many
   * @param recency null: every cell weighs the same
   */
  public static TrainingCorpus of(ArchiveReader.TimedCells archive, CellTable base, double holdoutFraction, int maxHoldout, Recency recency,
      long seed) {
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
    int holdout = (int) Math.min(maxHoldout, Math.ceil(holdoutFraction * n));
    if (holdout < 2 || n - holdout < 2) {
      throw new IllegalStateException("the archive holds " + n + " distinct labelled cells: too few to train and compare");
    }
    // Held-out cells are recent, drawn at random from the newest twice as many (or from the cells since the
    // change): the candidate still learns from the rest (after a drift, the only ones that show the new donors).
    long since = recency == null ? Long.MIN_VALUE : recency.since();
    int sinceChange = (int) Arrays.stream(rows).filter(r -> times[r] >= since).count();
    // A quarter of them to compare on (at least 50): the rest are what the candidate learns the new regime from.
    if (recency != null && sinceChange >= MIN_RECENT) holdout = Math.min(holdout, Math.max(MIN_RECENT / 2, sinceChange / 4));
    int[] newest = Arrays.copyOfRange(rows, Math.max(0, n - (recency != null && sinceChange >= MIN_RECENT ? sinceChange : 2 * holdout)), n);
    Shuffle.shuffle(newest, new SplittableRandom(seed));
    Set<Integer> held = new HashSet<>();
    for (int k = 0; k < holdout; k++) held.add(newest[k]);
    int[] heldRows = Arrays.stream(rows).filter(held::contains).toArray();
    int[] rest = Arrays.stream(rows).filter(r -> !held.contains(r)).toArray();
    int[] recentRows = Arrays.stream(rest).filter(r -> times[r] >= since).toArray();
    int[] olderRows = Arrays.stream(rest).filter(r -> times[r] < since).toArray();
    int overlap = 0;
    int[] baseRows = new int[0];
    if (base != null) {
      List<Integer> keep = new ArrayList<>();
      for (int i = 0; i < base.size(); i++) {
        if (ids.contains(base.cellIds()[i]) || seen.contains(base, i)) {
          overlap++;
        } else {
          keep.add(i);
        }
      }
      baseRows = keep.stream().mapToInt(Integer::intValue).toArray();
    }
    int leftOut = 0;
    if (recency != null) {
      int older = baseRows.length + olderRows.length;
      int keepOlder = Math.max(recentRows.length, recency.olderFloor());
      if (older > keepOlder) {
        // One sample over both kinds of older cell, so each is kept in its own proportion.
        int[] pick = Shuffle.permutation(older, new SplittableRandom(seed + 1));
        Set<Integer> chosen = new HashSet<>();
        for (int k = 0; k < keepOlder; k++) chosen.add(pick[k]);
        int b = baseRows.length;
        int[] baseOlder = baseRows;
        baseRows = IntStream.range(0, b).filter(chosen::contains).map(i -> baseOlder[i]).toArray();
        int[] archivedOlder = olderRows;
        olderRows = IntStream.range(0, archivedOlder.length).filter(i -> chosen.contains(b + i)).map(i -> archivedOlder[i]).toArray();
        leftOut = older - keepOlder;
      }
    }
    int[] archivedTrain = concat(olderRows, recentRows);
    CellTable train = all.select(archivedTrain);
    if (baseRows.length > 0) train = CellTables.concat(base.select(baseRows), train);
    return new TrainingCorpus(train, all.select(heldRows), Instant.ofEpochMilli(times[rows[0]]).toString(),
        Instant.ofEpochMilli(times[rows[n - 1]]).toString(), n, all.size() - n, overlap, leftOut);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
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
