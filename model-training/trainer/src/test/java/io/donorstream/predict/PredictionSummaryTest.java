package io.donorstream.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictionSummaryTest {
  @Test
  void accuracyCountsKnownDonorsOnlyAndTheFlagIsCheckedAgainstTheUnseenOnes() {
    PredictionSummary s = new PredictionSummary(List.of("D1", "D2"), 1, 100, 1);
    // Known donors: 3 of 4 right; one wrongly flagged.
    s.add(Cells.simple("a", "D1", null, "D1", false, 0));
    s.add(Cells.simple("b", "D1", null, "D2", true, 0));
    s.add(Cells.simple("c", "D2", null, "D2", false, 0));
    s.add(Cells.simple("d", "D2", null, "D2", false, 0));
    // Unseen donors X and Y: 5 cells, 3 of them flagged.
    s.add(Cells.simple("e", "X", null, "D1", true, 0));
    s.add(Cells.simple("f", "X", null, "D1", true, 0));
    s.add(Cells.simple("g", "X", null, "D2", false, 0));
    s.add(Cells.simple("h", "Y", null, "D2", true, 0));
    s.add(Cells.simple("i", "Y", null, "D2", false, 0));
    // A cell without a label counts in the flag's share only.
    s.add(Cells.simple("j", null, null, "D1", true, 0));

    PredictionSummary.Report r = s.report();
    Map<String, Object> j = r.json();
    assertThat(j.get("cells_scored")).isEqualTo(10L);
    assertThat(j.get("unknown_donor_flagged")).isEqualTo(5L);
    assertThat(j.get("labelled_cells")).isEqualTo(9L);
    assertThat(j.get("known_donor_cells")).isEqualTo(4L);
    assertThat(j.get("accuracy")).isEqualTo(0.75);
    assertThat((String) j.get("accuracy_scope")).contains("4 cells whose donor the model knows").contains("5 cells of donors it never saw");
    @SuppressWarnings("unchecked")
    Map<String, Object> open = (Map<String, Object>) j.get("open_set");
    assertThat(open.get("unseen_donors")).isEqualTo(List.of("X", "Y"));
    assertThat(open.get("truly_unknown_cells")).isEqualTo(5L);
    assertThat(open.get("flagged_cells")).isEqualTo(4L);
    assertThat(open.get("flagged_truly_unknown")).isEqualTo(3L);
    assertThat(open.get("precision")).isEqualTo(0.75);
    assertThat(open.get("recall")).isEqualTo(0.6);
    assertThat(open.get("false_alarm_rate_known_donors")).isEqualTo(0.25);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> perDonor = (List<Map<String, Object>>) j.get("per_donor");
    assertThat(perDonor).extracting(m -> m.get("donor")).containsExactly("D1", "D2");
    assertThat(perDonor).extracting(m -> m.get("recall")).containsExactly(0.5, 1.0);
    assertThat(r.lines()).anySatisfy(l -> assertThat(l).startsWith("open set: 5 cells from 2 donor(s) the model never saw (X, Y); flagged 4 cells,"
        + " 3 of them truly unknown (precision 0.750); 3 of the 5 truly unknown cells flagged (recall 0.600)"));
    assertThat(r.lines()).anySatisfy(l -> assertThat(l).startsWith("accuracy 0.7500, macro F1"));
  }

  @Test
  void theSexProbeSaysWhyItIsMissingAndReadsAPlantedSignal() {
    PredictionSummary none = new PredictionSummary(List.of("D1"), 1, 100, 1);
    none.add(Cells.simple("a", "D1", null, "D1", false, 0));
    assertThat(none.report().lines()).contains("sex leakage: not available, the file has no sex column");

    // Latent = +1 for females, -1 for males, 8 donors: the donor-held-out probe must read it.
    PredictionSummary s = new PredictionSummary(List.of("D1", "D2"), 1, 1000, 1);
    s.sexColumnPresent();
    for (int i = 0; i < 400; i++) {
      int donor = i % 8;
      boolean female = donor < 4;
      s.add(Cells.simple("c" + i, "P" + donor, female ? "female" : "male", "D1", false, female ? 1f : -1f));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> leak = (Map<String, Object>) s.report().json().get("sex_leakage");
    assertThat((Double) leak.get("group_balanced_accuracy")).isGreaterThan(0.95);
    assertThat(leak.get("donors")).isEqualTo(8);
    assertThat(leak.get("probe_cells")).isEqualTo(400);
  }
}
