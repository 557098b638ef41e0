package io.donorstream.quality;

/**
 * One window's quality of one model version, with what the online learners said at its end and the
 * running totals since the monitor first saw the version.
 */
public record MonitorReport(QualitySnapshot quality, OnlineMetrics online, QualitySnapshot total, boolean shadow,
    ShadowComparison.Snapshot paired) implements java.io.Serializable {

  /** A champion's report. */
  public MonitorReport(QualitySnapshot quality, OnlineMetrics online, QualitySnapshot total) {
    this(quality, online, total, false, null);
  }
}
