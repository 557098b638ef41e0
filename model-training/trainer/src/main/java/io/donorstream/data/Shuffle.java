package io.donorstream.data;

import java.util.SplittableRandom;

/** Fisher–Yates permutations from a seeded generator, so a seed fixes every order. */
public final class Shuffle {
  private Shuffle() {}

  /** 0..n-1 in a random order. */
  public static int[] permutation(int n, SplittableRandom rng) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    shuffle(a, rng);
    return a;
  }

  public static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  public static void shuffle(double[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      double t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
