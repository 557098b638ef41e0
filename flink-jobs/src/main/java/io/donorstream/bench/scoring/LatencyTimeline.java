package io.donorstream.bench.scoring;

import java.util.List;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The latency phase second by second: a p99 over 10 seconds is set by its worst tenth of a second,
 * so one stall (a checkpoint, a pause of the machine) and a steady excess look alike in it. This
 * line tells them apart: each second's largest latency, in ms, from the first cell published.
 */
final class LatencyTimeline {
  private LatencyTimeline() {}

  /** @param cells {event time ms, latency ms} per cell */
  static String of(List<long[]> cells) {
    if (cells.isEmpty()) return "none";
    long first = cells.stream().mapToLong(c -> c[0]).min().getAsLong();
    TreeMap<Long, Long> worst = new TreeMap<>();
    for (long[] c : cells) worst.merge((c[0] - first) / 1000, c[1], Math::max);
    StringJoiner line = new StringJoiner(",", "max_ms=", "");
    worst.values().forEach(v -> line.add(Long.toString(v)));
    return line.toString();
  }
}
