package io.donorstream.loop;

import io.donorstream.data.CellTable;
import io.donorstream.data.Shuffle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * How the demo divides a data set: a few donors (two of each sex where sex is known) are new to the
 * first model; it trains on half of the other donors' cells. The stream: known donors' cells before
 * the drift; then the new donors' cells (a pool the retrained model may learn from); after the swap,
 * cells no model trained on, from both the known and the new donors. Seeded: the same data gives
 * the same plan.
 *
 * @param newDonors donors the first model never sees
 */
public record LoopPlan(Set<String> newDonors, int[] training, int[] beforeDrift, int[] drift, int[] afterSwap) {
  static final int NEW_DONORS = 4;

  /**
   * @param beforeCells at most this many cells before the drift
   * @param afterCells at most this many cells after the swap
   */
  public static LoopPlan of(CellTable cells, int beforeCells, int afterCells) {
    if (!cells.hasDonors()) throw new IllegalArgumentException("the loop needs cells with donors (obs donor_id)");
    TreeSet<String> donors = new TreeSet<>(cells.donors());
    if (donors.size() < NEW_DONORS + 2) {
      throw new IllegalArgumentException("the loop needs at least " + (NEW_DONORS + 2) + " donors, the data has " + donors.size());
    }
    Set<String> fresh = new HashSet<>();
    if (cells.hasSex()) {
      for (String sex : List.of("female", "male")) {
        TreeSet<String> ofSex = new TreeSet<>();
        for (int i = 0; i < cells.size(); i++) if (sex.equals(cells.sexes()[i])) ofSex.add(cells.donorIds()[i]);
        ofSex.stream().limit(NEW_DONORS / 2).forEach(fresh::add);
      }
    }
    for (String d : donors) if (fresh.size() < NEW_DONORS && !fresh.contains(d)) fresh.add(d);
    List<Integer> known = new ArrayList<>();
    List<Integer> unseen = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) (fresh.contains(cells.donorIds()[i]) ? unseen : known).add(i);
    int[] k = shuffled(known, 1);
    int[] u = shuffled(unseen, 2);
    int trainEnd = k.length / 2;
    int knownLeft = k.length - trainEnd;
    int before = Math.min(beforeCells, knownLeft * 3 / 5);
    int driftEnd = u.length * 3 / 5;
    int[] afterKnown = Arrays.copyOfRange(k, trainEnd + before, k.length);
    int[] afterNew = Arrays.copyOfRange(u, driftEnd, u.length);
    // After the swap: new and known donors' unseen cells in their data-set proportion.
    int afterNewCount = (int) Math.min(afterNew.length, Math.round(afterCells * (double) u.length / cells.size()));
    int afterKnownCount = Math.min(afterKnown.length, afterCells - afterNewCount);
    int[] after = concat(Arrays.copyOf(afterKnown, afterKnownCount), Arrays.copyOf(afterNew, afterNewCount));
    Shuffle.shuffle(after, new SplittableRandom(3));
    return new LoopPlan(new TreeSet<>(fresh), Arrays.copyOfRange(k, 0, trainEnd), Arrays.copyOfRange(k, trainEnd, trainEnd + before),
        Arrays.copyOfRange(u, 0, driftEnd), after);
  }

  private static int[] shuffled(List<Integer> rows, long seed) {
    int[] a = rows.stream().mapToInt(Integer::intValue).toArray();
    Shuffle.shuffle(a, new SplittableRandom(seed));
    return a;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
