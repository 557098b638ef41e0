package io.donorstream.publish;

/** What a publish run did. */
public record PublishSummary(long cells, long labeled, long bytes, double seconds) {
  public double cellsPerSecond() {
    return seconds > 0 ? cells / seconds : 0;
  }

  @Override
  public String toString() {
    return String.format("published cells=%d labeled=%d bytes=%d seconds=%.2f cells_per_s=%.0f MB_per_s=%.1f",
        cells, labeled, bytes, seconds, cellsPerSecond(), seconds > 0 ? bytes / seconds / 1e6 : 0);
  }
}
