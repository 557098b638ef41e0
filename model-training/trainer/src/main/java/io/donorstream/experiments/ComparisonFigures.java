package io.donorstream.experiments;

import io.donorstream.data.CellTable;
import io.donorstream.inference.Predictions;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.servable.DonorScorer;
import io.donorstream.train.DataSplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pictures of a comparison, from each variant's run on the first seed: training curves and
 * confusion matrix (as the run drew them), a UMAP of the test cells' latents, the multimodal
 * cross-attention per cell type; and the λ trade-off over all seeds.
 */
public final class ComparisonFigures {
  /** A written figure: its file name inside {@code figures/} and what it shows. */
  public record Figure(String file, String caption) {}

  private ComparisonFigures() {}

  public static List<Figure> write(Comparison.Result result, CellTable table, Double sexBlindBayes, Path out, Consumer<String> log) {
    Path dir = out.resolve("figures");
    try {
      Files.createDirectories(dir);
      List<Figure> figures = new ArrayList<>();
      long seed = result.splits().get(0).seed();
      CellTable test = table.select(DataSplit.stratifiedByDonor(table.donorIds(), TrainingPipeline.VALIDATION_FRACTION,
          TrainingPipeline.TEST_FRACTION, seed).test());
      for (Variant v : result.variants().stream().filter(v -> !v.sweepPoint()).toList()) {
        Path run = result.runsOf(v).get(0).artifact();
        log.accept("figures: " + v.id());
        figures.add(copy(run.resolve("plots/training_curves.png"), dir.resolve("curves-" + v.id() + ".png"),
            "Training curves, " + v.label() + " (seed " + seed + ")"));
        figures.add(copy(run.resolve("plots/confusion_matrix.png"), dir.resolve("confusion-" + v.id() + ".png"),
            "Test confusion matrix, " + v.label() + ", donors ordered by sex (female first)"));
        try (DonorScorer scorer = DonorScorer.load(run)) {
          Predictions p = scorer.predict(test.embedding(), test.cellTypes(), test.cellIds());
          Map<String, String[]> colourings = new LinkedHashMap<>();
          colourings.put("donor", test.donorIds());
          colourings.put("sex", test.hasSex() ? test.sexes() : new String[test.size()]);
          colourings.put("cell type", test.cellTypes());
          String umap = "umap-" + v.id() + ".png";
          LatentUmap.write(p.latent(), p.latentDim(), colourings, v.label(), seed, dir.resolve(umap));
          figures.add(new Figure(umap, "UMAP of the learned latent of test cells, " + v.label()));
          if (v.architecture().equals("multimodal")) {
            Map<String, float[]> attention = byFrequency(scorer.crossAttentionByType(test.embedding(), test.cellTypes()), result.data().cellsPerCellType());
            String file = "attention-" + v.id() + ".png";
            AttentionFigure.write(attention, countTypes(test), dir.resolve(file));
            figures.add(new Figure(file, "Gene-to-text cross-attention averaged per cell type (test cells), " + v.label()));
          }
        }
      }
      if (result.variants().stream().anyMatch(Variant::sweepPoint)) {
        figures.add(tradeoff(result, sexBlindBayes, dir));
      }
      return figures;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write figures to " + dir, e);
    }
  }

  private static Figure tradeoff(Comparison.Result result, Double sexBlindBayes, Path dir) {
    List<String> models = List.of("vanilla", "multimodal");
    List<List<LambdaTradeoffFigure.Point>> sweeps = new ArrayList<>();
    List<LambdaTradeoffFigure.Point> plain = new ArrayList<>();
    for (String m : models) {
      List<LambdaTradeoffFigure.Point> s = new ArrayList<>();
      for (Variant v : result.variants()) {
        if (v.architecture().equals(m) && v.sweepPoint()) s.add(point(result, v));
      }
      sweeps.add(s);
      plain.add(result.variants().stream().filter(v -> v.id().equals(m)).findFirst().map(v -> point(result, v)).orElse(null));
    }
    String file = "lambda-tradeoff.png";
    LambdaTradeoffFigure.write(models, sweeps, plain, sexBlindBayes, "What removing sex costs: accuracy against leakage over λ", dir.resolve(file));
    return new Figure(file, "Donor accuracy against the held-out-donor sex probe for λ ∈ {0, 0.03, 0.1, 0.3, 1} (means over seeds)");
  }

  private static LambdaTradeoffFigure.Point point(Comparison.Result result, Variant v) {
    List<Comparison.Run> runs = result.runsOf(v);
    double acc = MeanSd.of(runs, "accuracy").mean();
    double probe = MeanSd.of(runs, "sex_probe_group_balanced_accuracy").mean();
    return new LambdaTradeoffFigure.Point(v.adversarial() ? v.lambda() : Float.NaN, acc, probe);
  }

  private static Figure copy(Path from, Path to, String caption) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    return new Figure(to.getFileName().toString(), caption);
  }

  private static Map<String, float[]> byFrequency(Map<String, float[]> maps, Map<String, Integer> counts) {
    Map<String, float[]> out = new LinkedHashMap<>();
    maps.entrySet().stream().sorted((a, b) -> Integer.compare(counts.getOrDefault(b.getKey(), 0), counts.getOrDefault(a.getKey(), 0)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static Map<String, Integer> countTypes(CellTable t) {
    Map<String, Integer> n = new LinkedHashMap<>();
    for (String c : t.cellTypes()) n.merge(c, 1, Integer::sum);
    return n;
  }
}
