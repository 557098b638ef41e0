package io.donorstream.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Train / validation / test rows, stratified by donor: each donor's cells are shuffled (seeded)
 * and split in the same proportions, so every donor is in every part.
 */
public record DataSplit(int[] train, int[] validation, int[] test) {

  public static DataSplit stratifiedByDonor(String[] donors, double validationFraction, double testFraction, long seed) {
    if (validationFraction <= 0 || testFraction <= 0 || validationFraction + testFraction >= 1) {
      throw new IllegalArgumentException("validation and test fractions must be > 0 and sum below 1");
    }
    Map<String, List<Integer>> byDonor = new LinkedHashMap<>();
    for (int i = 0; i < donors.length; i++) byDonor.computeIfAbsent(donors[i], k -> new ArrayList<>()).add(i);
    Random rng = new Random(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : byDonor.entrySet()) {
      List<Integer> rows = e.getValue();
      if (rows.size() < 3) {
        throw new IllegalArgumentException("donor " + e.getKey() + " has " + rows.size() + " cells; at least 3 are needed to split");
      }
      java.util.Collections.shuffle(rows, rng);
      int nTest = Math.max(1, (int) Math.round(rows.size() * testFraction));
      int nVal = Math.max(1, (int) Math.round(rows.size() * validationFraction));
      test.addAll(rows.subList(0, nTest));
      val.addAll(rows.subList(nTest, nTest + nVal));
      train.addAll(rows.subList(nTest + nVal, rows.size()));
    }
    return new DataSplit(sorted(train), sorted(val), sorted(test));
  }

  private static int[] sorted(List<Integer> rows) {
    int[] a = rows.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(a);
    return a;
  }
}
