package io.donorstream.predict;

import java.util.SplittableRandom;

/**
 * A uniform random sample of at most {@code capacity} latents of cells with known sex (reservoir
 * sampling, seeded), for the sex probe: the probe refits a logistic regression ten times, so it
 * runs on a bounded sample, and memory stays {@code capacity x latent width} floats whatever the
 * file's size. Until the reservoir is full it holds every cell in file order.
 */
public final class LatentSample {
  private final int capacity;
  private final int dim;
  private final float[] latents;
  private final int[] sex;
  private final int[] donor;
  private final SplittableRandom rng;
  private int size;
  private long seen;

  public LatentSample(int capacity, int dim, long seed) {
    this.capacity = capacity;
    this.dim = dim;
    this.latents = new float[Math.multiplyExact(capacity, dim)];
    this.sex = new int[capacity];
    this.donor = new int[capacity];
    this.rng = new SplittableRandom(seed);
  }

  /**
   * @param latent the cell's latent starts at {@code offset} of this array
   * @param sexCode 1 female, 0 male
   */
  public void offer(float[] latent, int offset, int sexCode, int donorCode) {
    seen++;
    int slot;
    if (size < capacity) {
      slot = size++;
    } else {
      long r = rng.nextLong(seen);
      if (r >= capacity) return;
      slot = (int) r;
    }
    System.arraycopy(latent, offset, latents, slot * dim, dim);
    sex[slot] = sexCode;
    donor[slot] = donorCode;
  }

  public int size() {
    return size;
  }

  /** Cells offered, sampled or not. */
  public long seen() {
    return seen;
  }

  public int dim() {
    return dim;
  }

  public float[] latents() {
    return java.util.Arrays.copyOf(latents, size * dim);
  }

  public int[] sexes() {
    return java.util.Arrays.copyOf(sex, size);
  }

  public int[] donors() {
    return java.util.Arrays.copyOf(donor, size);
  }
}
