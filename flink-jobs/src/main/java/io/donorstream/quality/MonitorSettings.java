package io.donorstream.quality;

import java.io.Serializable;

/**
 * @param windowMillis length of the sliding event-time windows quality is reported over
 * @param slideMillis how often a window closes (windows are aligned to multiples of it)
 * @param fadingFactor how fast the online learners' scores forget (1 / (1 - f) labelled cells)
 */
public record MonitorSettings(long windowMillis, long slideMillis, double fadingFactor, RetrainRules.Settings rules) implements Serializable {
  public MonitorSettings {
    if (windowMillis <= 0 || slideMillis <= 0 || windowMillis % slideMillis != 0) {
      throw new IllegalArgumentException("the window (" + windowMillis + " ms) must be a positive multiple of the slide (" + slideMillis + " ms)");
    }
    if (!(fadingFactor > 0 && fadingFactor < 1)) throw new IllegalArgumentException("fading factor must be in (0, 1), not " + fadingFactor);
  }

  public static MonitorSettings defaults() {
    return new MonitorSettings(60_000, 10_000, 0.999, RetrainRules.Settings.defaults());
  }
}
