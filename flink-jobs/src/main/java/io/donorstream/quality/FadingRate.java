package io.donorstream.quality;

import java.io.Serializable;

/**
 * A rate over the recent past: each new observation counts 1 and older ones fade by {@code factor}
 * per observation (River's prequential evaluation with a fading factor), so 1 / (1 - factor)
 * observations make up most of it.
 */
public final class FadingRate implements Serializable {
  private final double factor;
  private double hits;
  private double weight;
  private long n;

  public FadingRate(double factor) {
    this.factor = factor;
  }

  public void add(boolean hit) {
    hits = hits * factor + (hit ? 1 : 0);
    weight = weight * factor + 1;
    n++;
  }

  /** Null before the first observation. */
  public Double rate() {
    return n == 0 ? null : hits / weight;
  }

  public long count() {
    return n;
  }
}
