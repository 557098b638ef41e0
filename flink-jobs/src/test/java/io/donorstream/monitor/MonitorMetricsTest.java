package io.donorstream.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.donorstream.metrics.ProjectMetricGroup;
import io.donorstream.quality.ModelInfo;
import io.donorstream.quality.MonitorSettings;
import io.donorstream.quality.Outcome;
import io.donorstream.quality.VersionMonitor;
import java.util.Map;
import java.util.Set;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/** The monitor's gauges under their exported names, per model version, checked with Flink's MetricListener. */
class MonitorMetricsTest {

  @SuppressWarnings("unchecked")
  static <T> T gauge(MetricListener l, String name) {
    return ((Gauge<T>) l.getGauge(ProjectMetricGroup.NAME, MonitorMetrics.VERSION_KEY, "7", name).orElseThrow()).getValue();
  }

  @Test
  void gaugesReadTheLatestWindowAndTheOnlineLearners() {
    MetricListener listener = new MetricListener();
    VersionMonitor m = new VersionMonitor("vanilla", "7", MonitorSettings.defaults());
    ModelInfo model = new ModelInfo("vanilla", "7", Set.of("A", "B"), Map.of("A", "female", "B", "male"), null, Map.of(), null);
    ModelInfo[] announced = {null};
    MonitorMetrics.register(listener.getMetricGroup(), "7", () -> m, () -> announced[0]);
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "accuracy")).as("no window yet").isNaN();
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "donors")).as("not announced yet").isNaN();
    announced[0] = model;
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "donors")).isEqualTo(2.0);
    for (int i = 0; i < 10; i++) {
      m.add(new Outcome("c" + i, "vanilla", "7", 1_000 + i, i < 7 ? "A" : "B", 0.8f, i == 9, "T", new float[] {i, 1}, "A", "female", true));
    }
    java.util.List<Object> decisions = new java.util.ArrayList<>();
    m.advance(Long.MAX_VALUE - 1, model, r -> {}, decisions::add);
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "accuracy")).isCloseTo(0.7, within(1e-9));
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "unknownDonorRate")).isCloseTo(0.1, within(1e-9));
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "totalAccuracy")).isCloseTo(0.7, within(1e-9));
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "totalPredictions")).isEqualTo(10.0);
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "crossSexErrorRate")).as("A (female) answered B (male)").isCloseTo(1.0, within(1e-9));
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "estimatedAccuracy")).as("no calibration map: not available").isNaN();
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "championOnlineAccuracy")).isNotNaN();
    assertThat(MonitorMetricsTest.<Double>gauge(listener, "modelVersion")).isEqualTo(7.0);
    assertThat(MonitorMetricsTest.<Long>gauge(listener, "retrainRequests")).isEqualTo((long) decisions.size());
    for (String name : new String[] {"macroF1", "balancedAccuracy", "sexLeakage", "sexLeakageGrouped", "sexProbeAuc", "sexAccuracyGap",
        "meanConfidence", "ece", "driftDetected", "challengerAccuracy", "cellTypePsi", "unseenDonorLabelShare"}) {
      assertThat(listener.getGauge(ProjectMetricGroup.NAME, MonitorMetrics.VERSION_KEY, "7", name)).as(name).isPresent();
    }
  }
}
