package io.donorstream.monitor;

import io.donorstream.metrics.ProjectMetricGroup;
import io.donorstream.quality.ModelInfo;
import io.donorstream.quality.MonitorReport;
import io.donorstream.quality.VersionMonitor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The monitor's gauges, one set per model version under {@code donorstream} with the version as a
 * key/value group. Flink's Prometheus reporter puts the key group's name in the metric name and its
 * value in a label: {@code flink_taskmanager_job_task_operator_donorstream_model_version_accuracy{model_version="3"}}.
 * Names are docs/architecture.md's; a metric that cannot be computed reads NaN.
 */
final class MonitorMetrics {
  static final String VERSION_KEY = "model_version";

  private MonitorMetrics() {}

  /** @param model the version's announced details (null until model-updates names it) */
  static void register(MetricGroup operatorGroup, String version, Supplier<VersionMonitor> monitor, Supplier<ModelInfo> model) {
    MetricGroup g = operatorGroup.addGroup(ProjectMetricGroup.NAME).addGroup(VERSION_KEY, version);
    // The donors the version knows: chance is 1/donors, so the accuracy alert can say "below k times
    // chance" whatever the number of donors (deploy/prometheus/alerts.yml). NaN until announced.
    g.gauge("donors", (Gauge<Double>) () -> {
      ModelInfo m = model.get();
      return m == null || !m.hasDonors() ? Double.NaN : m.donors().size();
    });
    window(g, "accuracy", monitor, r -> r.quality().accuracy());
    window(g, "macroF1", monitor, r -> r.quality().macroF1());
    window(g, "balancedAccuracy", monitor, r -> r.quality().balancedAccuracy());
    window(g, "estimatedAccuracy", monitor, r -> r.quality().estimatedAccuracy());
    window(g, "estimationError", monitor, r -> r.quality().estimationError());
    window(g, "estimatedAccuracyCbpe", monitor, r -> r.quality().estimatedAccuracyCbpe());
    window(g, "unknownDonorShare", monitor, r -> r.quality().unknownDonorShare());
    window(g, "crossSexErrorRate", monitor, r -> r.quality().crossSexErrorRate());
    window(g, "sexAccuracyGap", monitor, r -> r.quality().sexAccuracyGap());
    window(g, "unknownDonorRate", monitor, r -> r.quality().unknownDonorRate());
    window(g, "unseenDonorLabelShare", monitor, r -> r.quality().unseenDonorLabelShare());
    window(g, "meanConfidence", monitor, r -> r.quality().meanConfidence());
    window(g, "ece", monitor, r -> r.quality().ece());
    window(g, "cellTypePsi", monitor, r -> r.quality().cellTypePsi());
    window(g, "totalAccuracy", monitor, r -> r.total().accuracy());
    window(g, "totalPredictions", monitor, r -> (double) r.total().predictions());
    online(g, "sexLeakage", monitor, m -> m.online().sexLeakage());
    online(g, "sexLeakageGrouped", monitor, m -> m.online().sexLeakageGrouped());
    online(g, "sexLeakageGroupedSe", monitor, m -> m.online().groupedReading().standardError());
    online(g, "sexProbeAuc", monitor, m -> m.online().sexProbeAuc());
    online(g, "challengerAccuracy", monitor, m -> m.online().challengerAccuracy());
    online(g, "championOnlineAccuracy", monitor, m -> m.online().championAccuracy());
    g.gauge("driftDetected", (Gauge<Double>) () -> monitor.get().online().driftDetected() ? 1.0 : 0.0);
    g.gauge("driftDetections", (Gauge<Long>) () -> monitor.get().online().driftDetections());
    g.gauge("retrainRequests", (Gauge<Long>) () -> monitor.get().retrainRequests());
    g.gauge("lateOutcomes", (Gauge<Long>) () -> monitor.get().lateOutcomes());
    g.gauge("modelVersion", (Gauge<Double>) () -> numeric(version));
    // A shadow's standing against the champion on the same labelled cells (NaN while it is none).
    online(g, "shadowAccuracy", monitor, m -> paired(m, c -> c.candidateAccuracy()));
    online(g, "shadowChampionAccuracy", monitor, m -> paired(m, c -> c.championAccuracy()));
    online(g, "shadowDifferenceLowerBound", monitor, m -> paired(m, c -> c.lowerBound()));
    g.gauge("shadowPairedCells", (Gauge<Long>) () -> monitor.get().paired() == null ? 0L : monitor.get().paired().cells());
    g.gauge("shadow", (Gauge<Double>) () -> monitor.get().isShadow() ? 1.0 : 0.0);
  }

  private static Double paired(VersionMonitor m, Function<io.donorstream.promotion.HoldoutComparison, Double> metric) {
    var p = m.paired();
    return p == null || p.comparison() == null ? null : metric.apply(p.comparison());
  }

  private static void window(MetricGroup g, String name, Supplier<VersionMonitor> monitor, Function<MonitorReport, Double> metric) {
    g.gauge(name, (Gauge<Double>) () -> {
      MonitorReport r = monitor.get().latest();
      return r == null ? Double.NaN : orNaN(metric.apply(r));
    });
  }

  private static void online(MetricGroup g, String name, Supplier<VersionMonitor> monitor, Function<VersionMonitor, Double> metric) {
    g.gauge(name, (Gauge<Double>) () -> orNaN(metric.apply(monitor.get())));
  }

  private static double orNaN(Double v) {
    return v == null ? Double.NaN : v;
  }

  private static double numeric(String version) {
    try {
      return Double.parseDouble(version);
    } catch (NumberFormatException e) {
      return version.hashCode();
    }
  }
}
