package io.donorstream.quality;

import io.donorstream.promotion.HoldoutComparison;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A shadow against the champion on the same labelled cells: each cell's two answers are paired by
 * cell id (they reach the monitor separately, in either order), and the counts give both accuracies
 * and a one-sided 95 % lower bound on the difference, the number a promotion rests on. Answers
 * whose partner has not come are kept up to a bound; the oldest go first (cells the champion
 * answered before the shadow started never find one).
 */
public final class ShadowComparison implements Serializable {
  static final int MAX_WAITING = 20_000;

  /** What the comparison says so far; {@code comparison} is null below two paired cells. */
  public record Snapshot(String championVersion, long cells, HoldoutComparison comparison) implements Serializable {}

  private final Waiting championWaiting = new Waiting();
  private final Waiting shadowWaiting = new Waiting();
  private String championVersion;
  private long n;
  private long shadowRight;
  private long championRight;
  private long shadowOnly;
  private long championOnly;

  /** The champion answered a labelled cell. */
  public void champion(String cellId, boolean correct, String version) {
    championVersion = version;
    Boolean shadow = shadowWaiting.remove(cellId);
    if (shadow == null) {
      championWaiting.put(cellId, correct);
    } else {
      pair(shadow, correct);
    }
  }

  /** The shadow answered a labelled cell. */
  public void shadow(String cellId, boolean correct) {
    Boolean champion = championWaiting.remove(cellId);
    if (champion == null) {
      shadowWaiting.put(cellId, correct);
    } else {
      pair(correct, champion);
    }
  }

  public Snapshot snapshot() {
    return new Snapshot(championVersion, n, n < 2 ? null : HoldoutComparison.ofCounts(n, shadowRight, championRight, shadowOnly, championOnly));
  }

  private void pair(boolean shadow, boolean champion) {
    n++;
    if (shadow) shadowRight++;
    if (champion) championRight++;
    if (shadow && !champion) shadowOnly++;
    if (champion && !shadow) championOnly++;
  }

  /** Answers waiting for their partner, the oldest dropped beyond {@link #MAX_WAITING}. */
  private static final class Waiting extends LinkedHashMap<String, Boolean> {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_WAITING;
    }
  }
}
