package io.donorstream.servable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.donorstream.artifact.ArtifactException;
import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import io.donorstream.data.CellTable;
import io.donorstream.inference.Predictions;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import io.donorstream.train.DataSplit;
import io.donorstream.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Train small models once, then check the artifacts and the Flink-free scorer against them. */
@ExtendWith(MiniLmEncoder.class)
class DonorScorerTest {
  @Test
  void topIndicesAreBestFirstWithTiesToTheLowerIndex() {
    float[] v = {9, 0.1f, 0.5f, 0.2f, 0.5f, 9};
    assertThat(DonorScorer.topIndices(v, 1, 4, 3)).containsExactly(1, 3, 2);
    assertThat(DonorScorer.topIndices(v, 1, 4, 1)).containsExactly(1);
  }

  @Test
  void topIndicesAgreeWithAStableSortOnRandomValuesWithTies() {
    java.util.Random rng = new java.util.Random(4);
    for (int round = 0; round < 2_000; round++) {
      int n = 1 + rng.nextInt(30);
      int k = 1 + rng.nextInt(n);
      float[] v = new float[n + 2];
      for (int i = 0; i < v.length; i++) v[i] = rng.nextInt(6) / 5f;
      Integer[] order = new Integer[n];
      for (int d = 0; d < n; d++) order[d] = d;
      java.util.Arrays.sort(order, (a, b) -> Float.compare(v[1 + b], v[1 + a])); // stable: ties keep the lower index first
      int[] expected = new int[k];
      for (int j = 0; j < k; j++) expected[j] = order[j];
      assertThat(DonorScorer.topIndices(v, 1, n, k)).as("round %d", round).containsExactly(expected);
    }
  }

  @TempDir static Path dir;
  static CellTable table;
  static Path vanilla;
  static Map<String, Object> vanillaMetrics;

  @BeforeAll
  static void train(TransformerTextEncoder encoder) {
    table = SyntheticDataGenerator.generate(SyntheticSpec.generic(1200, 5, 3, 16, "X_emb", 2.5, 1.5, 11), "tiny").table();
    vanilla = dir.resolve("vanilla");
    vanillaMetrics = run(encoder, "vanilla", false, 0, vanilla, 5);
  }

  static Map<String, Object> run(TransformerTextEncoder encoder, String arch, boolean adversarial, int align, Path out, long seed) {
    TrainSettings s = TrainSettings.defaults(arch, seed).withEpochs(6).withAlign(align).withDevice("cpu");
    return new TrainingPipeline(m -> {}).run(TrainRequest.of(table, arch, s, out, encoder).adversarial(adversarial).build());
  }

  @Test
  void metricsHaveEveryContractKey() {
    assertThat(vanillaMetrics).containsKeys("accuracy", "macro_f1", "weighted_f1", "balanced_accuracy", "sex_probe_balanced_accuracy",
        "sex_probe_auc", "sex_probe_group_balanced_accuracy", "cross_sex_error_rate", "baseline_logreg_accuracy",
        "baseline_majority_accuracy", "n_train", "n_val", "n_test", "n_donors", "epochs", "train_seconds", "model", "seed");
    assertThat((double) vanillaMetrics.get("accuracy")).isGreaterThan((double) vanillaMetrics.get("baseline_majority_accuracy"));
    assertThat(Files.exists(vanilla.resolve(ModelArtifact.METRICS))).isTrue();
    assertThat(Files.exists(vanilla.resolve("plots").resolve("confusion_matrix.png"))).isTrue();
  }

  @Test
  void scorerReproducesTheTrainersTestPredictions() {
    // The pipeline compared bit for bit already; here we check the published figure agrees.
    DataSplit split = DataSplit.stratifiedByDonor(table.donorIds(), TrainingPipeline.VALIDATION_FRACTION, TrainingPipeline.TEST_FRACTION, 5);
    CellTable test = table.select(split.test());
    try (DonorScorer scorer = DonorScorer.load(vanilla)) {
      List<CellScore> scores = scorer.score(test.embedding(), test.cellTypes(), 3);
      long correct = 0;
      for (int i = 0; i < test.size(); i++) if (scores.get(i).predictedDonor().equals(test.donorIds()[i])) correct++;
      assertThat((double) correct / test.size()).isEqualTo((double) vanillaMetrics.get("accuracy"));
      CellScore first = scores.get(0);
      assertThat(first.topDonors()).hasSize(3).doesNotHaveDuplicates();
      assertThat(first.topProbabilities()[0]).isGreaterThanOrEqualTo(first.topProbabilities()[1]);
      assertThat(first.latent()).hasSize(scorer.manifest().spec.hidden());
    }
  }

  @Test
  void unseenCellTypeIsEncodedWithAnEncoderAndMappedToTheLearnedUnknownVectorWithout(TransformerTextEncoder encoder) {
    float[] cell = table.row(0);
    String[] unseen = {"hepatocyte"};
    try (DonorScorer plain = DonorScorer.load(vanilla); DonorScorer withEncoder = DonorScorer.load(vanilla, encoder, null)) {
      assertThat(plain.knowsCellType("hepatocyte")).isFalse();
      Predictions viaUnknown = plain.predict(cell, unseen, null);
      Predictions viaEncoder = withEncoder.predict(cell, unseen, null);
      assertThat(withEncoder.knowsCellType("hepatocyte")).as("encoded and cached").isTrue();
      assertThat(Arrays.equals(viaUnknown.probabilities(), viaEncoder.probabilities())).isFalse();
      // Without an encoder, every unseen type is the same learned vector.
      assertThat(plain.predict(cell, new String[] {"kidney cell"}, null).probabilities()).containsExactly(viaUnknown.probabilities());
    }
  }

  @Test
  void aTamperedArtifactIsRefused() throws Exception {
    Path copy = Files.createDirectories(dir.resolve("tampered"));
    try (var files = Files.list(vanilla)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, copy.resolve(f.getFileName()));
    }
    Path params = copy.resolve(ModelManifest.PARAMS_PREFIX + "-0000.params");
    byte[] bytes = Files.readAllBytes(params);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(params, bytes);
    assertThatThrownBy(() -> DonorScorer.load(copy))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("checksum mismatch for donor-model-0000.params");
    Files.delete(copy.resolve("SHA256SUMS"));
    assertThatThrownBy(() -> DonorScorer.load(copy)).isInstanceOf(ArtifactException.class).hasMessageContaining("no SHA256SUMS");
  }

  @Test
  void sameSeedSameMetrics(TransformerTextEncoder encoder) {
    Map<String, Object> again = run(encoder, "vanilla", false, 0, dir.resolve("again"), 5);
    for (String k : List.of("accuracy", "macro_f1", "sex_probe_balanced_accuracy", "sex_probe_group_balanced_accuracy", "baseline_logreg_accuracy")) {
      assertThat(again.get(k)).as(k).isEqualTo(vanillaMetrics.get(k));
    }
  }

  @Test
  void aDivergingLossStopsTrainingWithAClearErrorAndNoArtifact(TransformerTextEncoder encoder) {
    Path out = dir.resolve("diverged");
    TrainSettings s = TrainSettings.defaults("vanilla", 5).withEpochs(3).withLearningRate(1e30f).withDevice("cpu");
    assertThatThrownBy(() -> new TrainingPipeline(m -> {}).run(TrainRequest.of(table, "vanilla", s, out, encoder).build()))
        .isInstanceOf(io.donorstream.train.TrainingDiverged.class)
        .hasMessageContaining("training diverged").hasMessageContaining("--lr");
    assertThat(out.resolve("model.json")).doesNotExist();
  }

  @Test
  void multimodalWithAlignmentAndAdversaryTrainsAndScores(TransformerTextEncoder encoder) {
    Path out = dir.resolve("mm");
    Map<String, Object> m = run(encoder, "multimodal", true, 2, out, 5);
    assertThat((boolean) m.get("align")).isTrue();
    assertThat((boolean) m.get("adversarial")).isTrue();
    assertThat((double) m.get("accuracy")).isBetween(0.0, 1.0);
    assertThat((int) m.get("best_epoch")).as("selected among epochs at full lambda").isPositive();
    try (DonorScorer scorer = DonorScorer.load(out)) {
      assertThat(scorer.manifest().spec.isMultimodal()).isTrue();
      assertThat(scorer.score(table.row(1), new String[] {table.cellTypes()[1]}, 2)).hasSize(1);
    }
  }

  /** With --discriminant-inputs the servable applies the stored subspace: its answers are the trainer's, from the raw embedding. */
  @Test
  void discriminantInputsAreStoredAndTheServableReproducesTheTrainer(TransformerTextEncoder encoder) {
    Path out = dir.resolve("subspace");
    TrainSettings s = TrainSettings.defaults("vanilla", 5).withEpochs(6).withDevice("cpu");
    Map<String, Object> m = new TrainingPipeline(x -> {}).run(TrainRequest.of(table, "vanilla", s, out, encoder).adversarial(true)
        .discriminantInputs(true).build());
    DataSplit split = DataSplit.stratifiedByDonor(table.donorIds(), TrainingPipeline.VALIDATION_FRACTION, TrainingPipeline.TEST_FRACTION, 5);
    CellTable test = table.select(split.test());
    try (DonorScorer scorer = DonorScorer.load(out)) {
      assertThat(scorer.inputWidth()).as("cells come at their own width").isEqualTo(table.width());
      assertThat(scorer.manifest().input_subspace_dims).as("donors - 1 at most, the erased sex direction aside").isBetween(1, 4);
      assertThat(scorer.manifest().spec.geneWidth()).isEqualTo(scorer.manifest().input_subspace_dims);
      List<CellScore> scores = scorer.score(test.embedding(), test.cellTypes(), 3);
      long correct = 0;
      for (int i = 0; i < test.size(); i++) if (scores.get(i).predictedDonor().equals(test.donorIds()[i])) correct++;
      assertThat((double) correct / test.size()).isEqualTo((double) m.get("accuracy"));
    }
  }

  /**
   * A new donor differs from the known ones in directions their discriminant subspace does not
   * hold: novelty is measured in the whole preprocessed embedding, so it still finds new donors.
   */
  @Test
  void withDiscriminantInputsNoveltyStillTellsNewDonorsFromKnownOnes(TransformerTextEncoder encoder) {
    CellTable all = SyntheticDataGenerator.generate(SyntheticSpec.generic(4000, 8, 3, 32, "X_emb", 2.5, 1.5, 23), "eight").table();
    java.util.Set<String> unseen = java.util.Set.of(all.donors().stream().sorted().toList().get(0), all.donors().stream().sorted().toList().get(7));
    int[] knownRows = java.util.stream.IntStream.range(0, all.size()).filter(i -> !unseen.contains(all.donorIds()[i])).toArray();
    int[] unseenRows = java.util.stream.IntStream.range(0, all.size()).filter(i -> unseen.contains(all.donorIds()[i])).toArray();
    CellTable known = all.select(knownRows);
    Path out = dir.resolve("subspace-novelty");
    TrainSettings s = TrainSettings.defaults("vanilla", 5).withEpochs(4).withDevice("cpu");
    new TrainingPipeline(x -> {}).run(TrainRequest.of(known, "vanilla", s, out, encoder).discriminantInputs(true).build());
    DataSplit split = DataSplit.stratifiedByDonor(known.donorIds(), TrainingPipeline.VALIDATION_FRACTION, TrainingPipeline.TEST_FRACTION, 5);
    CellTable knownTest = known.select(split.test());
    CellTable newDonors = all.select(unseenRows);
    try (DonorScorer scorer = DonorScorer.load(out)) {
      assertThat(scorer.manifest().input_subspace_dims).isLessThan(all.width());
      assertThat(scorer.manifest().donor_novelty.centroids()[0]).as("centroids in the whole embedding").hasSize(all.width());
      double[] knownNovelty = novelty(scorer, knownTest);
      double[] newNovelty = novelty(scorer, newDonors);
      var d = scorer.manifest().donor_novelty;
      double knownShare = d.unknownShare(knownNovelty.length, mean(knownNovelty), sd(knownNovelty)).share();
      double newShare = d.unknownShare(newNovelty.length, mean(newNovelty), sd(newNovelty)).share();
      assertThat(knownShare).as("known donors' test cells").isLessThan(0.25);
      assertThat(newShare).as("cells of two donors the model never saw").isGreaterThan(0.5);
    }
  }

  private static double[] novelty(DonorScorer scorer, CellTable t) {
    return scorer.score(t.embedding(), t.cellTypes(), 1).stream().mapToDouble(CellScore::novelty).toArray();
  }

  private static double mean(double[] v) {
    return java.util.Arrays.stream(v).average().orElseThrow();
  }

  private static double sd(double[] v) {
    double m = mean(v);
    return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
  }
}
