package io.donorstream.cli;

import ai.djl.engine.Engine;
import io.donorstream.data.CellTable;
import io.donorstream.data.CellTableReader;
import io.donorstream.data.H5adFile;
import io.donorstream.experiments.Comparison;
import io.donorstream.experiments.ComparisonFigures;
import io.donorstream.experiments.ComparisonReport;
import io.donorstream.text.TextEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Train every variant of the original table (vanilla; multimodal +/- alignment +/- adversary; vanilla with the",
      "adversary) on the same donor-stratified splits over several seeds, beside majority and logistic regression, and",
      "write DIR/report.md (table mean +/- sd, data, splits, command, figures), DIR/metrics.json (per variant and seed),",
      "each run's artifact under DIR/runs/, and DIR/figures/*.png: training curves, confusion matrices (donors by sex),",
      "UMAPs of the latent by donor/sex/cell type, cross-attention per cell type, and the lambda trade-off."
    },
    footer = {"", "Example:",
      "  ./donorstream compare --data ../shared/data/onek1k/onek1k-a.h5ad --embedding-key X_pca --seeds 2 --out runs/compare"})
public final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DataOptions data;
  @Mixin TextOptions text;

  @Option(names = "--out", required = true, description = "Report directory.")
  Path out;

  @Option(names = "--seeds", defaultValue = "3", description = "Number of seeds (1, 2, ...), each its own split (default ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--first-seed", defaultValue = "1", description = "First seed (default ${DEFAULT-VALUE}).")
  long firstSeed;

  @Option(names = "--epochs", description = "Maximum classification epochs per run (default: each model's own; early stopping on validation).")
  Integer epochs;

  @Option(names = "--lambda", description = "Force this gradient-reversal strength on the table's adversarial variants (default: sex removed as hard"
      + " as the evidence asks, as train --adversarial does).")
  Float lambda;

  @Option(names = "--no-sweep", description = "Skip the lambda sweep (0, 0.03, 0.1, 0.3, 1 for both models) and its trade-off figure.")
  boolean noSweep;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
  String device;

  @Override
  public Integer call() {
    if (seeds < 1) throw new UserError("--seeds must be at least 1, got " + seeds);
    if (epochs != null && epochs < 1) throw new UserError("--epochs must be at least 1, got " + epochs);
    CellTable table = CellTableReader.read(data.file, data.readOptions());
    if (!table.hasDonors()) throw new UserError(data.file + ": no donor labels in obs['" + data.donorColumn + "'], so there is nothing to compare");
    List<Long> seedList = new ArrayList<>();
    for (int i = 0; i < seeds; i++) seedList.add(firstSeed + i);
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + out, e);
    }
    Comparison.Result result;
    List<ComparisonFigures.Figure> figures;
    try (TextEncoder encoder = text.encoder()) {
      result = new Comparison(new Comparison.Options(seedList, epochs, lambda == null ? Float.NaN : lambda, !noSweep, device), System.out::println)
          .run(table, encoder, text.cellOntology(), out);
      Map<String, Double> yardsticks = yardsticks(data.file);
      figures = ComparisonFigures.write(result, table, yardsticks.get(ComparisonReport.SEX_BLIND), out, System.out::println);
      ComparisonReport.write(result, figures, new ComparisonReport.Provenance(command(), versions(encoder), yardsticks), out);
    }
    System.out.println("report: " + out.resolve("report.md").toAbsolutePath() + " (" + result.runs().size() + " runs, " + figures.size() + " figures)");
    return 0;
  }

  /** On data from `generate`, the Bayes-optimal rates it stored: the best any classifier (sex-blind one) can do. */
  private static Map<String, Double> yardsticks(Path file) {
    Map<String, Double> y = new LinkedHashMap<>();
    if (Files.isDirectory(file)) return y;
    try (H5adFile f = H5adFile.open(file)) {
      String bayes = f.unsString("bayes_optimal_accuracy");
      String blind = f.unsString("sex_blind_bayes_optimal_accuracy");
      if (bayes != null) y.put("Bayes-optimal", Double.parseDouble(bayes));
      if (blind != null) y.put(ComparisonReport.SEX_BLIND, Double.parseDouble(blind));
    } catch (NumberFormatException e) {
      return Map.of();
    }
    return y;
  }

  private String command() {
    // The parse result is the whole command line, the subcommand's name included.
    return "./donorstream " + spec.commandLine().getParseResult().originalArgs().stream().map(CompareCommand::quote).collect(Collectors.joining(" "));
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./=:,+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }

  private static Map<String, String> versions(TextEncoder encoder) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("donorstream", BuildVersion.version());
    v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    Engine engine = Engine.getEngine("PyTorch");
    v.put("DJL engine", "PyTorch " + engine.getVersion() + ", " + (engine.getGpuCount() > 0 ? engine.getGpuCount() + " GPU" : "CPU"));
    v.put("text encoder", encoder.name());
    v.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return v;
  }
}
