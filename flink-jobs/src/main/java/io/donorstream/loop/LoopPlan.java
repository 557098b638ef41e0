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
 * first model; it trains on half of the other donors' cells. Of the rest, each cell is streamed at
 * most once: the known donors' cells before the drift, the new donors' cells during it, and a share
 * of both held back for after the swap (about {@code afterCells}, in the data's proportions, at most
 * a third of each). Seeded: the same data gives the same plan.
 *
 * @param newDonors donors the first model never sees
 * @param known the donors it does see
 */
public record LoopPlan(Set<String> newDonors, Set<String> known, int[] training, int[] beforeDrift, int[] drift, int[] afterSwap) {
  static final int NEW_DONORS = 4;

  public static LoopPlan of(CellTable cells, int afterCells) {
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
    List<Integer> knownRows = new ArrayList<>();
    List<Integer> unseenRows = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) (fresh.contains(cells.donorIds()[i]) ? unseenRows : knownRows).add(i);
    int[] k = shuffled(knownRows, 1);
    int[] u = shuffled(unseenRows, 2);
    int trainEnd = k.length / 2;
    int knownLeft = k.length - trainEnd;
    int afterNew = (int) Math.min(u.length / 3, Math.round(afterCells * (double) u.length / cells.size()));
    int afterKnown = Math.min(knownLeft / 3, afterCells - afterNew);
    int[] after = concat(Arrays.copyOfRange(k, k.length - afterKnown, k.length), Arrays.copyOfRange(u, u.length - afterNew, u.length));
    Shuffle.shuffle(after, new SplittableRandom(3));
    TreeSet<String> known = new TreeSet<>(donors);
    known.removeAll(fresh);
    return new LoopPlan(new TreeSet<>(fresh), known, Arrays.copyOfRange(k, 0, trainEnd), Arrays.copyOfRange(k, trainEnd, k.length - afterKnown),
        Arrays.copyOfRange(u, 0, u.length - afterNew), after);
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
