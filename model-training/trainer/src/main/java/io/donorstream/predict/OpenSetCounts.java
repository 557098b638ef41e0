package io.donorstream.predict;

/**
 * How the unknown-donor flag did on labelled cells, when some come from donors the model never saw
 * (the open-set check): the flag's precision (flagged cells that truly are unknown) and recall
 * (truly unknown cells that were flagged), and its false alarms on cells of known donors.
 */
public final class OpenSetCounts {
  private long known;
  private long knownFlagged;
  private long unknown;
  private long unknownFlagged;

  public void add(boolean trulyUnknown, boolean flagged) {
    if (trulyUnknown) {
      unknown++;
      if (flagged) unknownFlagged++;
    } else {
      known++;
      if (flagged) knownFlagged++;
    }
  }

  /** Labelled cells whose donor the model never saw. */
  public long trulyUnknown() {
    return unknown;
  }

  /** Labelled cells flagged unknown, truly unknown or not. */
  public long flagged() {
    return unknownFlagged + knownFlagged;
  }

  /** Flagged cells that truly are from a donor the model never saw. */
  public long flaggedTrulyUnknown() {
    return unknownFlagged;
  }

  public long knownFlagged() {
    return knownFlagged;
  }

  public long known() {
    return known;
  }

  /** Share of flagged cells that truly are unknown; null when nothing was flagged. */
  public Double precision() {
    return flagged() == 0 ? null : (double) unknownFlagged / flagged();
  }

  /** Share of truly unknown cells that were flagged; null when there are none. */
  public Double recall() {
    return unknown == 0 ? null : (double) unknownFlagged / unknown;
  }

  /** Share of cells of known donors that were flagged anyway; null when there are none. */
  public Double falseAlarmRate() {
    return known == 0 ? null : (double) knownFlagged / known;
  }
}
