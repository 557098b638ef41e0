package io.donorstream.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VersionMonitorTest {
  static final MonitorSettings SETTINGS = new MonitorSettings(10_000, 5_000, 0.99,
      new RetrainRules.Settings(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, true, 2, 60_000, Double.NaN));

  static Outcome unlabelled(int i, long t, float confidence) {
    return new Outcome("c" + i, "m", "1", t, "A", confidence, false, "T", new float[] {1, 2}, null, null, true);
  }

  @Test
  void fallingConfidenceWithoutAnyLabelAsksForANewModel() {
    VersionMonitor m = new VersionMonitor("m", "1", SETTINGS);
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 3000; i++) assertThat(m.add(unlabelled(i, i, (float) (0.75 + 0.1 * rng.nextDouble())))).isNull();
    RetrainDecision d = null;
    int i = 3000;
    for (; i < 4000 && d == null; i++) d = m.add(unlabelled(i, i, (float) (0.35 + 0.1 * rng.nextDouble())));
    assertThat(d).isNotNull();
    assertThat(d.reason()).contains("confidence fell");
    assertThat(i - 3000).as("cells after the fall").isLessThan(200);
  }

  @Test
  void lateCellsCountInTheRunningTotalsOnly() {
    VersionMonitor m = new VersionMonitor("m", "1", SETTINGS);
    ModelInfo model = new ModelInfo("m", "1", Set.of("A"), Map.of(), null, Map.of(), null);
    List<MonitorReport> reports = new ArrayList<>();
    m.add(unlabelled(0, 1_000, 0.8f));
    m.advance(40_000, model, reports::add, d -> {});
    m.add(unlabelled(1, 2_000, 0.8f));
    m.advance(50_000, model, reports::add, d -> {});
    assertThat(reports).hasSize(2).allSatisfy(r -> assertThat(r.quality().predictions()).isEqualTo(1));
    assertThat(m.lateOutcomes()).isEqualTo(1);
    assertThat(m.running().predictions()).isEqualTo(2);
  }
}
