package io.donorstream.experiments;

import io.donorstream.artifact.ModelArtifact;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.md} and {@code metrics.json} of a comparison: the table (means ± sd over seeds),
 * baselines and, on synthetic data, the Bayes rates beside the models; the data and splits; the
 * exact command and versions; the figures.
 */
public final class ComparisonReport {
  /** Where a comparison came from, for the reader who wants to run it again. */
  public record Provenance(String command, Map<String, String> versions, Map<String, Double> yardsticks) {}

  private static final String[][] COLUMNS = {
      {"accuracy", "accuracy"}, {"macro_f1", "macro F1"}, {"weighted_f1", "weighted F1"}, {"balanced_accuracy", "balanced accuracy"},
      {"sex_probe_balanced_accuracy", "sex probe, cells"}, {"sex_probe_group_balanced_accuracy", "sex probe, held-out donors"},
      {"cross_sex_error_rate", "cross-sex errors"}, {"sex_accuracy_gap", "accuracy gap F − M"}, {"train_seconds", "train s"}};

  private ComparisonReport() {}

  public static void write(Comparison.Result r, List<ComparisonFigures.Figure> figures, Provenance p, Path out) {
    try {
      List<RemovalPrice> prices = RemovalPrice.of(r, p.yardsticks().get(SEX_BLIND));
      Files.writeString(out.resolve("report.md"), markdown(r, figures, p, prices), StandardCharsets.UTF_8);
      Files.writeString(out.resolve("metrics.json"), ModelArtifact.GSON.toJson(json(r, p, prices)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + out, e);
    }
  }

  static String markdown(Comparison.Result r, List<ComparisonFigures.Figure> figures, Provenance p, List<RemovalPrice> prices) {
    StringBuilder md = new StringBuilder();
    DataSummary d = r.data();
    md.append("# Donor identification: model comparison\n\n");
    md.append(String.format("%s, `obsm['%s']` (%d cells x %d), %d donors, %d cell types; seeds %s. Test split evaluated once per run;"
        + " early stopping and every choice on validation. Sex is never a model input.%n%n", d.dataset(), d.embeddingKey(), d.cells(), d.width(),
        d.cellsPerDonor().size(), d.cellsPerCellType().size(), r.splits().stream().map(s -> Long.toString(s.seed())).toList()));
    md.append("## Results (test split, mean ± sd over seeds)\n\n");
    md.append(header());
    p.yardsticks().forEach((name, value) -> md.append(String.format("| *%s* | %.3f |%s%n", name, value, " |".repeat(COLUMNS.length - 1))));
    for (String b : List.of("majority", Comparison.LOGISTIC)) {
      List<Comparison.Baseline> rows = r.baselines().stream().filter(x -> x.name().equals(b)).toList();
      md.append("| *").append(b).append(" (baseline)* | ")
          .append(MeanSd.of(rows.stream().mapToDouble(Comparison.Baseline::accuracy).toArray()).format("%.3f")).append(" | ")
          .append(MeanSd.of(rows.stream().mapToDouble(Comparison.Baseline::macroF1).toArray()).format("%.3f")).append(" | ")
          .append(MeanSd.of(rows.stream().mapToDouble(Comparison.Baseline::weightedF1).toArray()).format("%.3f")).append(" | ")
          .append(MeanSd.of(rows.stream().mapToDouble(Comparison.Baseline::balancedAccuracy).toArray()).format("%.3f")).append(" |")
          .append(" |".repeat(COLUMNS.length - 4)).append('\n');
    }
    rows(md, r, r.variants().stream().filter(v -> !v.sweepPoint()).toList());
    List<Variant> sweep = r.variants().stream().filter(Variant::sweepPoint).toList();
    if (!sweep.isEmpty()) {
      md.append("\n### λ sweep (adversary without alignment; λ 0 = input sex erasure alone)\n\n").append(header());
      rows(md, r, sweep);
    }
    price(md, prices, p.yardsticks().containsKey(SEX_BLIND));
    md.append("\nSex probe: balanced accuracy of a logistic probe reading sex from the learned latent of test cells, cross-validated over")
        .append(" cells, and over donors (trained on some donors, tested on others; 0.5 = sex cannot be read). Cross-sex errors: the share")
        .append(" of wrong predictions that name a donor of the other sex (about the share of other-sex donors when sex plays no part).\n\n");
    md.append("## Data\n\n| donor | sex | cells |\n|---|---|---|\n");
    d.cellsPerDonor().forEach((donor, n) -> md.append(String.format("| %s | %s | %d |%n", donor, d.donorSex().get(donor), n)));
    md.append("\n| sex | cells |\n|---|---|\n");
    d.cellsPerSex().forEach((s, n) -> md.append(String.format("| %s | %d |%n", s, n)));
    md.append("\n| cell type | cells |\n|---|---|\n");
    d.cellsPerCellType().forEach((t, n) -> md.append(String.format("| %s | %d |%n", t, n)));
    md.append("\n| seed | train | validation | test |\n|---|---|---|---|\n");
    r.splits().forEach(s -> md.append(String.format("| %d | %d | %d | %d |%n", s.seed(), s.train(), s.validation(), s.test())));
    md.append("\nSplits are stratified by donor (every donor in every part, 70/15/15).\n\n");
    md.append("## Figures\n\n");
    for (ComparisonFigures.Figure f : figures) md.append("### ").append(f.caption()).append("\n\n![").append(f.caption()).append("](figures/").append(f.file()).append(")\n\n");
    md.append("## Reproduce\n\n```bash\n").append(p.command()).append("\n```\n\n");
    p.versions().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append("\nEach run's artifact (model, metrics.json, plots) is under `runs/<variant>/seed-<seed>/`.\n");
    return md.toString();
  }

  /** The yardstick name under which `generate`'s sex-blind Bayes-optimal accuracy is passed. */
  public static final String SEX_BLIND = "sex-blind Bayes-optimal";

  private static void price(StringBuilder md, List<RemovalPrice> prices, boolean bound) {
    if (prices.isEmpty()) return;
    md.append("\n### The price of removing sex\n\n");
    md.append("| model | accuracy | difference to the same model without removal | difference to logistic regression | ")
        .append(bound ? "accuracy − sex-blind bound | " : "")
        .append("sex probe, held-out donors | λ chosen |\n|---|---|---|---|").append(bound ? "---|" : "").append("---|---|\n");
    for (RemovalPrice x : prices) {
      md.append("| ").append(x.variant().label()).append(" | ").append(x.accuracy().format("%.3f")).append(" | ").append(x.formatDifference())
          .append(" | ").append(x.formatVersusLogistic()).append(" | ");
      if (bound) md.append(x.belowSexBlind() == null ? "n/a" : String.format(java.util.Locale.ROOT, "%+.3f", x.belowSexBlind())).append(" | ");
      md.append(x.probe().format("%.3f")).append(" | ").append(x.formatLambdas()).append(" |\n");
    }
    md.append("\nDifferences are paired by seed (same split), mean ± standard error over seeds.")
        .append(bound ? " The sex-blind bound is the best accuracy any classifier can reach without the planted sex direction." : "")
        .append(" λ 0: no adversary (input erasure alone, or nothing generalising to remove).\n");
  }

  private static String header() {
    StringBuilder h = new StringBuilder("| model |");
    for (String[] c : COLUMNS) h.append(' ').append(c[1]).append(" |");
    return h.append("\n|---|").append("---|".repeat(COLUMNS.length)).append('\n').toString();
  }

  private static void rows(StringBuilder md, Comparison.Result r, List<Variant> variants) {
    for (Variant v : variants) {
      md.append("| ").append(v.label()).append(" |");
      for (String[] c : COLUMNS) md.append(' ').append(MeanSd.of(r.runsOf(v), c[0]).format(c[0].equals("train_seconds") ? "%.1f" : "%.3f")).append(" |");
      md.append('\n');
    }
  }

  private static Map<String, Object> json(Comparison.Result r, Provenance p, List<RemovalPrice> prices) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("command", p.command());
    j.put("versions", p.versions());
    j.put("yardsticks", p.yardsticks());
    j.put("data", r.data());
    j.put("splits", r.splits());
    j.put("baselines", r.baselines());
    List<Map<String, Object>> price = new ArrayList<>();
    for (RemovalPrice x : prices) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("variant", x.variant().id());
      m.put("counterpart", x.counterpart().id());
      m.put("accuracy_mean", x.accuracy().mean());
      m.put("difference_mean", x.difference().mean());
      m.put("difference_se", Double.isNaN(x.standardError()) ? null : x.standardError());
      m.put("versus_logistic_mean", x.versusLogistic().n() == 0 ? null : x.versusLogistic().mean());
      double logisticSe = x.versusLogistic().standardError();
      m.put("versus_logistic_se", Double.isNaN(logisticSe) ? null : logisticSe);
      m.put("accuracy_minus_sex_blind_bound", x.belowSexBlind());
      m.put("lambdas", x.lambdas());
      price.add(m);
    }
    j.put("removal_price", price);
    List<Map<String, Object>> runs = new ArrayList<>();
    for (Comparison.Run run : r.runs()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("variant", run.variant().id());
      m.put("label", run.variant().label());
      m.put("seed", run.seed());
      m.put("artifact", "runs/" + run.variant().id() + "/seed-" + run.seed());
      m.put("metrics", run.metrics());
      runs.add(m);
    }
    j.put("runs", runs);
    return j;
  }
}
