package io.donorstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.schema.QualityReport;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PromotionRuleTest {
  static final PromotionRule RULE = new PromotionRule(300, 0.01, 0.02);

  static QualityReport report(String role, long paired, Double bound, Double leakage) {
    return QualityReport.newBuilder().setModelName("vanilla").setModelVersion(role.equals("shadow") ? "2" : "1")
        .setWindowStart(Instant.EPOCH).setWindowEnd(Instant.EPOCH).setNPredictions(0).setNLabeled(0).setRole(role)
        .setPairedCells(paired).setPairedChampionVersion("1").setPairedDifferenceLowerBound(bound)
        .setPairedShadowAccuracy(bound == null ? null : 0.8).setPairedChampionAccuracy(bound == null ? null : 0.5)
        .setSexLeakageGrouped(leakage).build();
  }

  @Test
  void waitsForEnoughPairedCells() {
    var v = RULE.judge(report("shadow", 299, 0.2, 0.0), report("champion", 0, null, 0.0), 12.0);
    assertThat(v.action()).isEqualTo(PromotionRule.Action.WAIT);
    assertThat(v.reason()).contains("299 of 300");
  }

  @Test
  void promotesOnlyWhenTheBoundClearsTheMargin() {
    assertThat(RULE.judge(report("shadow", 300, 0.011, 0.0), report("champion", 0, null, 0.0), 12.0).action())
        .isEqualTo(PromotionRule.Action.PROMOTE);
    var v = RULE.judge(report("shadow", 300, 0.009, 0.0), report("champion", 0, null, 0.0), 12.0);
    assertThat(v.action()).isEqualTo(PromotionRule.Action.RETIRE);
    assertThat(v.reason()).startsWith("retired from shadow: not better with confidence");
  }

  @Test
  void retiresAShadowThatLeaksMoreSexBeyondTheProbesNoise() {
    // 100 donors: noise 1.645 * sqrt(0.25 / 100) = 0.082.
    assertThat(RULE.judge(report("shadow", 300, 0.2, 0.10), report("champion", 0, null, 0.0), 100.0).action())
        .isEqualTo(PromotionRule.Action.RETIRE);
    assertThat(RULE.judge(report("shadow", 300, 0.2, 0.08), report("champion", 0, null, 0.0), 100.0).action())
        .isEqualTo(PromotionRule.Action.PROMOTE);
    assertThat(RULE.judge(report("shadow", 300, 0.2, 0.5), null, 100.0).action()).as("no champion report: leakage not comparable")
        .isEqualTo(PromotionRule.Action.PROMOTE);
  }
}
