package io.donorstream.predict;

import io.donorstream.data.Sex;
import io.donorstream.eval.ClassificationMetrics;
import io.donorstream.eval.SexLeakage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the labels in the file say about the predictions, counted as cells stream past (memory:
 * a donors x donors confusion matrix and the probe's bounded {@link LatentSample}): accuracy,
 * macro F1 and per-donor recall on cells of donors the model knows (the only cells it can get
 * right), the unknown-donor flag's share and its open-set precision and recall against the cells
 * of donors it never saw, and the sex leakage of the latent by the evaluation's own donor-held-out
 * probe ({@link SexLeakage}, as {@code train} measures it on test).
 */
public final class PredictionSummary {
  private final List<String> donors;
  private final Map<String, Integer> donorIndex = new HashMap<>();
  private final int[][] confusion;
  private final OpenSetCounts openSet = new OpenSetCounts();
  /** Donors in the file the model never saw (sorted): cells and flagged cells each. */
  private final Map<String, long[]> unseenDonors = new java.util.TreeMap<>();
  /** Every donor in the file, for the probe's donor groups. */
  private final Map<String, Integer> fileDonors = new LinkedHashMap<>();
  private final LatentSample sample;
  private final long probeSeed;
  private long cells;
  private long flagged;
  private long unlabelled;
  private boolean sawSexColumn;

  /**
   * @param probeCells most cells the sex probe runs on (a random sample beyond that); 0 = no probe
   * @param probeSeed the probe's folds and the sample; {@code train}'s seed reproduces its test figures on its test cells
   */
  public PredictionSummary(List<String> modelDonors, int latentDim, int probeCells, long probeSeed) {
    this.donors = List.copyOf(modelDonors);
    for (int i = 0; i < donors.size(); i++) donorIndex.put(donors.get(i), i);
    this.confusion = new int[donors.size()][donors.size()];
    this.sample = new LatentSample(probeCells, latentDim, probeSeed);
    this.probeSeed = probeSeed;
  }

  /** Records that the file has a sex column (a probe result of "no sex labels" then means no cell had one). */
  public void sexColumnPresent() {
    sawSexColumn = true;
  }

  public void add(ScoredCell c) {
    cells++;
    boolean isFlagged = c.score().unknownDonor();
    if (isFlagged) flagged++;
    String truth = c.trueDonor();
    if (truth == null) {
      unlabelled++;
      return;
    }
    Integer t = donorIndex.get(truth);
    openSet.add(t == null, isFlagged);
    if (t == null) {
      long[] u = unseenDonors.computeIfAbsent(truth, k -> new long[2]);
      u[0]++;
      if (isFlagged) u[1]++;
    } else {
      confusion[t][donorIndex.get(c.score().predictedDonor())]++;
    }
    int sexCode = Sex.FEMALE.equals(c.sex()) ? 1 : Sex.MALE.equals(c.sex()) ? 0 : -1;
    if (sexCode >= 0) {
      int d = fileDonors.computeIfAbsent(truth, k -> fileDonors.size());
      sample.offer(c.score().batch().latent(), c.score().row() * sample.dim(), sexCode, d);
    }
  }

  public long cells() {
    return cells;
  }

  public OpenSetCounts openSet() {
    return openSet;
  }

  /** The summary as JSON-ready values and as the lines {@code predict} prints. */
  public record Report(Map<String, Object> json, List<String> lines) {}

  public Report report() {
    Map<String, Object> j = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    j.put("cells_scored", cells);
    j.put("unknown_donor_flagged", flagged);
    j.put("unknown_donor_share", cells == 0 ? null : (double) flagged / cells);
    lines.add(String.format(Locale.ROOT, "unknown-donor flag: %,d of %,d cells (%.1f%%)", flagged, cells, cells == 0 ? 0 : 100.0 * flagged / cells));
    long labelled = cells - unlabelled;
    j.put("labelled_cells", labelled);
    if (labelled == 0) {
      j.put("labels_note", "no cell has a donor label: accuracy, the open-set check and sex leakage need obs donor_id (see --donor-column)");
      lines.add("no donor labels in the file: accuracy, the open-set check and sex leakage need them (--donor-column)");
      return new Report(j, lines);
    }
    accuracy(j, lines);
    openSetCheck(j, lines);
    sexLeakage(j, lines);
    return new Report(j, lines);
  }

  private void accuracy(Map<String, Object> j, List<String> lines) {
    ClassificationMetrics m = ClassificationMetrics.fromConfusion(confusion);
    long known = openSet.known();
    j.put("known_donor_cells", known);
    String scope = "on the " + String.format(Locale.ROOT, "%,d", known) + " cells whose donor the model knows"
        + (openSet.trulyUnknown() > 0 ? String.format(Locale.ROOT, " (%,d cells of donors it never saw are left out)", openSet.trulyUnknown()) : "");
    j.put("accuracy_scope", scope);
    j.put("accuracy", known == 0 ? null : m.accuracy());
    j.put("macro_f1", known == 0 ? null : m.macroF1());
    j.put("balanced_accuracy", known == 0 ? null : m.balancedAccuracy());
    List<Map<String, Object>> perDonor = new ArrayList<>();
    StringBuilder recalls = new StringBuilder();
    for (int d = 0; d < donors.size(); d++) {
      if (m.support()[d] == 0) continue;
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("donor", donors.get(d));
      row.put("cells", m.support()[d]);
      row.put("recall", m.recall()[d]);
      row.put("precision", m.precision()[d]);
      perDonor.add(row);
      recalls.append(recalls.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3f (%d)", donors.get(d), m.recall()[d], m.support()[d]));
    }
    j.put("per_donor", perDonor);
    if (known == 0) {
      lines.add("accuracy: not available, no cell comes from a donor the model knows");
      return;
    }
    lines.add(String.format(Locale.ROOT, "accuracy %.4f, macro F1 %.4f %s", m.accuracy(), m.macroF1(), scope));
    lines.add("per-donor recall (cells): " + recalls);
  }

  private void openSetCheck(Map<String, Object> j, List<String> lines) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("unseen_donors", new ArrayList<>(unseenDonors.keySet()));
    o.put("truly_unknown_cells", openSet.trulyUnknown());
    o.put("flagged_cells", openSet.flagged());
    o.put("flagged_truly_unknown", openSet.flaggedTrulyUnknown());
    o.put("precision", openSet.precision());
    o.put("recall", openSet.recall());
    o.put("false_alarm_rate_known_donors", openSet.falseAlarmRate());
    j.put("open_set", o);
    if (openSet.trulyUnknown() == 0) {
      lines.add(String.format(Locale.ROOT, "open set: every labelled cell is from a donor the model knows; the flag's false alarms: %,d of %,d (%.1f%%)",
          openSet.knownFlagged(), openSet.known(), 100 * orZero(openSet.falseAlarmRate())));
      return;
    }
    lines.add(String.format(Locale.ROOT, "open set: %,d cells from %d donor(s) the model never saw (%s); flagged %,d cells, %,d of them truly unknown"
            + " (precision %s); %,d of the %,d truly unknown cells flagged (recall %s); false alarms on known donors %.1f%%",
        openSet.trulyUnknown(), unseenDonors.size(), String.join(", ", unseenDonors.keySet()), openSet.flagged(), openSet.flaggedTrulyUnknown(),
        fmt(openSet.precision()), openSet.flaggedTrulyUnknown(), openSet.trulyUnknown(), fmt(openSet.recall()),
        100 * orZero(openSet.falseAlarmRate())));
  }

  private void sexLeakage(Map<String, Object> j, List<String> lines) {
    Map<String, Object> s = new LinkedHashMap<>();
    j.put("sex_leakage", s);
    if (!sawSexColumn) {
      s.put("note", "the file has no sex column");
      lines.add("sex leakage: not available, the file has no sex column");
      return;
    }
    if (sample.seen() == 0 || sample.size() == 0) {
      s.put("note", sample.seen() == 0 ? "no labelled cell has a known sex" : "the probe is off (--probe-cells 0)");
      lines.add("sex leakage: not available, " + s.get("note"));
      return;
    }
    SexLeakage.Result r = SexLeakage.measure(sample.latents(), sample.dim(), sample.sexes(), sample.donors(), probeSeed);
    String cellsNote = sample.size() < sample.seen()
        ? String.format(Locale.ROOT, "a random sample of %,d of the %,d labelled cells with known sex", sample.size(), sample.seen())
        : String.format(Locale.ROOT, "all %,d labelled cells with known sex", sample.size());
    s.put("probe_cells", sample.size());
    s.put("cells_with_sex", sample.seen());
    s.put("balanced_accuracy", r.balancedAccuracy());
    s.put("auc", r.auc());
    s.put("group_balanced_accuracy", r.groupBalancedAccuracy());
    s.put("group_se", r.groupStandardError());
    s.put("donors", r.donors());
    s.put("seed", probeSeed);
    s.put("note", r.reason() == null ? "logistic probe on the latent, 5-fold CV; group = folds by donor (0.5 = chance), on " + cellsNote
        : r.reason());
    if (r.balancedAccuracy() == null) {
      lines.add("sex leakage: not available, " + r.reason());
    } else if (r.groupBalancedAccuracy() == null) {
      lines.add(String.format(Locale.ROOT, "sex leakage of the latent: cell-level probe %.3f (AUC %.3f); %s; on %s", r.balancedAccuracy(), r.auc(),
          r.reason(), cellsNote));
    } else {
      lines.add(String.format(Locale.ROOT, "sex leakage of the latent: donor-held-out probe %.3f +/- %.3f over %d donors (0.5 = chance),"
          + " cell-level %.3f (AUC %.3f), on %s", r.groupBalancedAccuracy(), r.groupStandardError(), r.donors(), r.balancedAccuracy(), r.auc(),
          cellsNote));
    }
  }

  private static String fmt(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static double orZero(Double v) {
    return v == null ? 0 : v;
  }
}
