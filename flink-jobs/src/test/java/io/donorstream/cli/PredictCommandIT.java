package io.donorstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import io.donorstream.data.CellTable;
import io.donorstream.data.H5adWriter;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.jhdf.HdfFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * train, then predict on its test cells: predict must report the very accuracy train measured on
 * them; and on a file with donors the model never saw it must count them apart.
 */
class PredictCommandIT {
  private static final List<String> UNSEEN = List.of("D05", "D06");
  @TempDir static Path dir;
  static CellTable all;
  static Path model;

  @BeforeAll
  static void trainOnAllButTwoDonors() throws Exception {
    all = SyntheticDataGenerator.generate(SyntheticSpec.generic(3000, 6, 4, 16, "X_emb", 2.5, 1.5, 5), "it").table();
    H5adWriter.write(dir.resolve("all.h5ad"), all, Map.of());
    int[] seen = IntStream.range(0, all.size()).filter(i -> !UNSEEN.contains(all.donorIds()[i])).toArray();
    H5adWriter.write(dir.resolve("seen.h5ad"), all.select(seen), Map.of());
    model = dir.resolve("model");
    Run train = run("train", "--data", dir.resolve("seen.h5ad").toString(), "--embedding-key", "X_emb", "--model", "vanilla", "--epochs", "4",
        "--out", model.toString());
    assertThat(train.code).as(train.err).isZero();
  }

  @Test
  void onTrainsTestCellsPredictReportsTrainsTestAccuracy() throws Exception {
    Path out = dir.resolve("test-pred");
    Run r = run("predict", "--model", model.toString(), "--data", dir.resolve("seen.h5ad").toString(), "--cells",
        model.resolve("test_cells.txt").toString(), "--out", out + ".csv", "--out-h5ad");
    assertThat(r.code).as(r.err).isZero();
    Map<?, ?> metrics = json(model.resolve("metrics.json"));
    Map<?, ?> summary = json(Path.of(out + ".summary.json"));
    assertThat(summary.get("cells_scored")).isEqualTo(metrics.get("n_test"));
    assertThat(summary.get("accuracy")).isEqualTo(metrics.get("accuracy"));
    assertThat(summary.get("macro_f1")).isEqualTo(metrics.get("macro_f1"));
    long rows = Files.lines(Path.of(out + ".csv"), StandardCharsets.UTF_8).count();
    assertThat(rows).isEqualTo(((Number) metrics.get("n_test")).longValue() + 1);
    try (HdfFile h = new HdfFile(Path.of(out + ".h5ad"))) {
      assertThat(h.getDatasetByPath("obsm/donorstream_latent").getDimensions()).containsExactly(((Number) metrics.get("n_test")).intValue(), 128);
    }
    assertThat(r.out).contains("accuracy " + String.format(java.util.Locale.ROOT, "%.4f", (Double) metrics.get("accuracy")));
  }

  @Test
  void cellsOfDonorsTheModelNeverSawAreCountedApartFromAccuracy() throws Exception {
    Path out = dir.resolve("all-pred");
    Run r = run("predict", "--model", model.toString(), "--data", dir.resolve("all.h5ad").toString(), "--out", out.toString());
    assertThat(r.code).as(r.err).isZero();
    long unseen = IntStream.range(0, all.size()).filter(i -> UNSEEN.contains(all.donorIds()[i])).count();
    Map<?, ?> summary = json(Path.of(out + ".summary.json"));
    Map<?, ?> open = (Map<?, ?>) summary.get("open_set");
    assertThat(open.get("unseen_donors")).isEqualTo(UNSEEN);
    assertThat(((Number) open.get("truly_unknown_cells")).longValue()).isEqualTo(unseen);
    assertThat(((Number) summary.get("known_donor_cells")).longValue()).isEqualTo(all.size() - unseen);
    assertThat((String) summary.get("accuracy_scope")).contains("cells of donors it never saw are left out");
    assertThat(Files.lines(Path.of(out + ".csv")).count()).isEqualTo(all.size() + 1);
    assertThat(r.out).contains("open set: " + String.format(java.util.Locale.ROOT, "%,d", unseen) + " cells from 2 donor(s)");
  }

  @Test
  void aWrongKeyOrWidthIsOneErrorLineNamingWhatExists() throws Exception {
    Run key = run("predict", "--model", model.toString(), "--data", dir.resolve("all.h5ad").toString(), "--embedding-key", "X_pca",
        "--out", dir.resolve("never").toString());
    assertThat(key.code).isEqualTo(CliExceptionHandler.USER_ERROR);
    assertThat(key.err.strip()).startsWith("error: ").contains("obsm has no embedding 'X_pca'; keys are [X_emb]");
    Path narrow = dir.resolve("narrow.h5ad");
    H5adWriter.write(narrow, SyntheticDataGenerator.generate(SyntheticSpec.generic(50, 2, 2, 8, "X_emb", 2, 1, 1), "n").table(), Map.of());
    Run width = run("predict", "--model", model.toString(), "--data", narrow.toString(), "--out", dir.resolve("never").toString());
    assertThat(width.code).isEqualTo(CliExceptionHandler.USER_ERROR);
    assertThat(width.err.strip()).startsWith("error: ").contains("obsm['X_emb'] is 8-d but model").contains("takes 16-d input");
    assertThat(Files.exists(dir.resolve("never.csv"))).as("a failed run leaves no output").isFalse();
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Donorstream.commandLine();
    cl.setErr(new PrintWriter(err, true));
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int code = cl.execute(args);
      return new Run(code, captured.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(stdout);
    }
  }

  private static Map<?, ?> json(Path p) throws Exception {
    return new Gson().fromJson(Files.readString(p), Map.class);
  }
}
