package io.donorstream.loop;

import io.donorstream.registry.Decision;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.RegisteredVersion;
import io.donorstream.report.Png;
import io.donorstream.schema.ModelRole;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loop's report: {@code report.md} (the summary, accuracy per phase, the timeline of requests,
 * decisions and swaps, every registry decision, the retrain service's log) and {@code loop.png}
 * (window accuracy and estimated accuracy of each version over time, the shadow's, with the retrain
 * requests, the shadow's start, the promotion and the swap marked).
 */
final class LoopReport {
  static final String MARKDOWN = "report.md";
  static final String PNG = "loop.png";

  private LoopReport() {}

  static Path write(Path dir, LoopResult r, LoopObserver observer, ModelRegistry registry, List<String> serviceLog, LoopPlan plan,
      String driftChampion) {
    long t0 = observer.startMillis();
    List<Marker> markers = markers(observer, t0);
    chart(observer.reports(), markers, t0, dir.resolve(PNG));
    StringBuilder md = new StringBuilder();
    md.append("# donorstream: the closed loop\n\n").append("Run ").append(Instant.now()).append(".\n\n```\n").append(r.summaryLine())
        .append("\n```\n\n");
    if (r.problem() != null) md.append("**The loop did not close:** ").append(r.problem()).append("\n\n");
    md.append(String.format(Locale.ROOT, "Donors new to the first model: %s. No cell was sent twice. %,d shadow answers; %,d dead letters."
        + " Donor-held-out sex leakage on the champion's live gauge: v1 %.3f, the final champion %.3f.%n%n", plan.newDonors(),
        r.shadowPredictions(), r.deadLetters(), r.leakageBefore(), r.leakageAfter()));
    md.append("| phase | what answered | labelled cells | accuracy |\n|---|---|---|---|\n");
    row(md, "before the drift", "v1 (known donors)", observer.tally(Phase.BEFORE_DRIFT, LoopDemo.FIRST::equals));
    row(md, "before the drift", "the leakage answer, once swapped in", observer.tally(Phase.BEFORE_DRIFT, v -> !v.equals(LoopDemo.FIRST)));
    row(md, "drift", "v" + driftChampion + " (donors it never saw)", observer.tally(Phase.DRIFT, driftChampion::equals));
    row(md, "drift", "newer versions, once swapped in", observer.tally(Phase.DRIFT, v -> Episodes.newer(v, driftChampion)));
    row(md, "after the swap", "the new champion (cells no model trained on)", observer.tally(Phase.AFTER_SWAP, v -> Episodes.newer(v, driftChampion)));
    row(md, "after the swap", "v" + driftChampion + ", before its last batches were swapped out", observer.tally(Phase.AFTER_SWAP,
        driftChampion::equals));
    if (r.drift() != null) {
      md.append(String.format(Locale.ROOT, "%nLabel-free, on the drift's champion v%s (open-set CBPE: CBPE times the estimated share of cells from"
          + " known donors; plain CBPE: mean calibrated confidence):%n%n| | open-set CBPE | plain CBPE | accuracy (labels) |%n|---|---|---|---|%n"
          + "| before the drift (last 3 windows) | %.3f | %.3f | %.3f |%n| the drift's first window | %.3f | %.3f | %.3f |%n", r.drift().version(),
          r.drift().before()[0], r.drift().before()[1], r.drift().before()[2], r.drift().first()[0], r.drift().first()[1], r.drift().first()[2]));
    }
    md.append("\n## Alarms\n\n| on | reasons | answered by |\n|---|---|---|\n");
    for (Alarms.Alarm a : r.alarms()) {
      md.append(String.format(Locale.ROOT, "| v%s | %s | %s |%n", a.version(), a.asked().stream().map(io.donorstream.promotion.Reason::wire).toList(),
          a.open() ? "**open**" : "v" + a.answeredBy() + (a.promoted() ? " (promoted)" : " (judged and retired)")));
    }
    md.append("\n![accuracy over time](").append(PNG).append(")\n\n## Timeline (seconds since the stream began)\n\n");
    for (Marker m : markers) md.append(String.format(Locale.ROOT, "- %6.1f s  %s%n", m.seconds, m.detail));
    md.append("\n## Registry\n\n");
    for (RegisteredVersion v : registry.versions(LoopDemo.MODEL)) {
      md.append(String.format(Locale.ROOT, "- **v%s** %s (parent %s, data %s .. %s)%n", v.version(), v.stage(), v.parent(), v.dataFrom(), v.dataTo()));
      for (Decision d : v.decisions()) md.append("  - ").append(d.at()).append(" → ").append(d.to()).append(": ").append(d.reason()).append('\n');
    }
    md.append("\n## Retrain service log\n\n```\n");
    serviceLog.forEach(l -> md.append(l).append('\n'));
    md.append("```\n\nThe same metrics live: Prometheus (`flink_taskmanager_job_task_operator_donorstream_*`, e.g. `modelVersion`,"
        + " `shadowModelVersion`, `promotions`; the monitor's `model_version_accuracy{model_version=…}`, `model_version_shadowAccuracy`), the Flink web UI, and the `quality` topic.\n");
    Path file = dir.resolve(MARKDOWN);
    try {
      Files.writeString(file, md);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  private record Marker(double seconds, String label, String detail) {}

  private static List<Marker> markers(LoopObserver observer, long t0) {
    List<Marker> m = new ArrayList<>();
    for (RetrainRequest q : observer.requests()) {
      m.add(new Marker(sec(q.getRequestedAt().toEpochMilli(), t0), "retrain request", "retrain requested for v" + q.getModelVersion() + ": "
          + q.getReason()));
    }
    for (ModelUpdate u : observer.updates()) {
      String what = u.getRole() == ModelRole.SHADOW ? "shadow" : u.getRole() == ModelRole.RETIRED ? "retired" : "champion";
      if (u.getRole() == ModelRole.CHAMPION && u.getVersion().equals(LoopDemo.FIRST)) what = "first model";
      m.add(new Marker(sec(u.getCreatedAt().toEpochMilli(), t0), "v" + u.getVersion() + " " + what, "v" + u.getVersion() + " announced as "
          + u.getRole() + (u.getReason() == null ? "" : ": " + u.getReason())));
    }
    for (Map.Entry<String, Long> e : observer.firstAnswers().entrySet()) {
      if (!e.getKey().equals(LoopDemo.FIRST)) {
        m.add(new Marker(sec(e.getValue(), t0), "swap to v" + e.getKey(), "the ScoringJob answered with v" + e.getKey() + " first (hot swap)"));
      }
    }
    m.sort(java.util.Comparator.comparingDouble(Marker::seconds));
    return m;
  }

  private static void chart(List<QualityReport> reports, List<Marker> markers, long t0, Path png) {
    XYChart chart = new XYChartBuilder().width(1000).height(520).title("Window accuracy over time (labelled cells), with the loop's events")
        .xAxisTitle("seconds since the stream began").yAxisTitle("accuracy").build();
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    Map<String, List<double[]>> points = new TreeMap<>();
    for (QualityReport q : reports) {
      double x = sec(q.getWindowEnd().toEpochMilli(), t0);
      String who = "v" + q.getModelVersion() + ("shadow".equals(q.getRole()) ? " as shadow" : "");
      if (q.getAccuracy() != null) points.computeIfAbsent(who + " accuracy", k -> new ArrayList<>()).add(new double[] {x, q.getAccuracy()});
      if (q.getEstimatedAccuracy() != null && !"shadow".equals(q.getRole())) {
        points.computeIfAbsent(who + " estimated accuracy (open-set CBPE, no labels)", k -> new ArrayList<>()).add(new double[] {x,
            q.getEstimatedAccuracy()});
      }
      if (q.getEstimatedAccuracyCbpe() != null && !"shadow".equals(q.getRole())) {
        points.computeIfAbsent(who + " plain CBPE", k -> new ArrayList<>()).add(new double[] {x, q.getEstimatedAccuracyCbpe()});
      }
    }
    points.forEach((name, ps) -> {
      ps.sort(java.util.Comparator.comparingDouble(p -> p[0]));
      XYSeries s = chart.addSeries(name, ps.stream().mapToDouble(p -> p[0]).toArray(), ps.stream().mapToDouble(p -> p[1]).toArray());
      s.setMarker(SeriesMarkers.NONE);
    });
    java.util.Set<String> named = new java.util.HashSet<>();
    for (Marker m : markers) {
      if (m.label.equals("v1 first model")) continue;
      String name = String.format(Locale.ROOT, "%s (%.0f s)", m.label, m.seconds);
      if (!named.add(name)) continue;
      XYSeries s = chart.addSeries(name, new double[] {m.seconds, m.seconds}, new double[] {0, 1});
      s.setMarker(SeriesMarkers.NONE);
      s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
    }
    if (points.isEmpty()) chart.addSeries("no quality reports", new double[] {0}, new double[] {0});
    Png.save(chart, png);
  }

  private static void row(StringBuilder md, String phase, String who, LoopObserver.Tally t) {
    if (t.labelled() == 0) return;
    md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.3f |%n", phase, who, t.labelled(), t.accuracy()));
  }

  private static double sec(long millis, long t0) {
    return (millis - t0) / 1000.0;
  }
}
