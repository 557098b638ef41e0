package io.donorstream.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.data.CellTable;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.CellOntology;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A whole comparison on a small synthetic set: every variant and seed, the report, the JSON, every figure. */
@ExtendWith(MiniLmEncoder.class)
class ComparisonTest {
  @TempDir Path out;

  @Test
  void writesTheTableTheJsonAndEveryFigure(TransformerTextEncoder encoder) throws Exception {
    CellTable table = SyntheticDataGenerator.generate(SyntheticSpec.generic(900, 6, 3, 16, "X_emb", 2.5, 1.5, 5), "tiny").table();
    Comparison.Result result = new Comparison(new Comparison.Options(List.of(1L, 2L), 2, Float.NaN, true, "cpu"), m -> {})
        .run(table, encoder, CellOntology.empty(), out);
    List<ComparisonFigures.Figure> figures = ComparisonFigures.write(result, table, 0.55, out, m -> {});
    ComparisonReport.write(result, figures, new ComparisonReport.Provenance("./donorstream compare --test", Map.of("java", "17"),
        Map.of("sex-blind Bayes-optimal", 0.55)), out);

    assertThat(result.variants()).hasSize(6 + 10);
    assertThat(result.runs()).hasSize(2 * 16);
    assertThat(result.baselines()).hasSize(2 * 2);
    String report = Files.readString(out.resolve("report.md"));
    for (Variant v : result.variants()) assertThat(report).contains("| " + v.label() + " |");
    assertThat(report).contains("*logistic regression (baseline)*", "*majority (baseline)*", "*sex-blind Bayes-optimal*", " ± ",
        "./donorstream compare --test", "| cell type | cells |", "### The price of removing sex", "| vanilla + adversarial (by evidence) |",
        "difference to the same model without removal", "difference to logistic regression", "accuracy − sex-blind bound", "(SE, 2 seeds)");
    Map<?, ?> json = ModelArtifact.GSON.fromJson(Files.readString(out.resolve("metrics.json")), Map.class);
    assertThat((List<?>) json.get("runs")).hasSize(32);
    assertThat((List<?>) json.get("removal_price")).as("one price per adversarial row of the table").hasSize(3);
    assertThat(result.runs()).filteredOn(r -> r.variant().byEvidence())
        .allSatisfy(r -> assertThat(r.metrics().get("sex_removal_choice")).as("how hard, and why").isNotNull());
    assertThat(result.runs()).allSatisfy(r -> assertThat(r.metrics().get("baseline_logreg_accuracy")).isInstanceOf(Double.class));

    List<String> expected = new java.util.ArrayList<>(List.of("lambda-tradeoff.png"));
    for (Variant v : Variant.table(0.2f)) {
      expected.addAll(List.of("curves-" + v.id() + ".png", "confusion-" + v.id() + ".png", "umap-" + v.id() + ".png"));
      if (v.architecture().equals("multimodal")) expected.add("attention-" + v.id() + ".png");
      assertThat(result.runsOf(v)).allSatisfy(r -> assertThat(r.artifact().resolve("model.json")).exists());
    }
    assertThat(figures.stream().map(ComparisonFigures.Figure::file).toList()).containsExactlyInAnyOrderElementsOf(expected);
    for (String f : expected) {
      BufferedImage img = ImageIO.read(out.resolve("figures").resolve(f).toFile());
      assertThat(img).as(f).isNotNull();
      assertThat(distinctColours(img)).as("colours in " + f).isGreaterThan(8);
      assertThat(report).contains("(figures/" + f + ")");
    }
  }

  private static long distinctColours(BufferedImage img) {
    java.util.Set<Integer> c = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) c.add(img.getRGB(x, y));
    return c.size();
  }
}
