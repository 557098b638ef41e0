package io.donorstream.cli;

import io.donorstream.data.CellTable;
import io.donorstream.data.CellTableReader;
import io.donorstream.text.TextEncoder;
import io.donorstream.pipeline.RemovalLadder;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.train.TrainSettings;
import io.donorstream.pipeline.TrainingPipeline;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.donorstream.train.Hyperparameters;
import io.donorstream.tune.BestParams;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a donor model and write a versioned artifact with metrics.json and plots.",
      "Splits train/validation/test stratified by donor; early stopping and calibration see only",
      "validation; test is evaluated once, beside majority and logistic-regression baselines, with",
      "the sex leakage of the learned representation. Sex is never a model input."
    },
    footer = {"", "Examples:",
      "  ./donorstream train --data ../shared/data/onek1k/onek1k-a.h5ad --embedding-key X_pca --model vanilla --out runs/vanilla",
      "  ./donorstream train --data /tmp/s.h5ad --embedding-key geneformer --model multimodal --align --adversarial --out runs/mm"})
public final class TrainCommand implements Callable<Integer> {
  @Mixin DataOptions data;
  @Mixin TextOptions text;

  @Option(names = "--model", required = true, description = "vanilla or multimodal.")
  String model;

  @Option(names = "--align", description = "Contrastive alignment pretraining (symmetric InfoNCE) before classification (multimodal).")
  boolean align;

  @Option(names = "--align-epochs", defaultValue = "5", description = "Alignment epochs with --align (default ${DEFAULT-VALUE}).")
  int alignEpochs;

  @Option(names = "--discriminant-inputs", negatable = true, description = "Feed the network the embedding's coordinates in the"
      + " subspace that tells the training donors apart, whitened by their shrunk within-donor covariance (a fixed linear input layer"
      + " fitted on training cells, stored in the artifact; donor novelty is still measured in the whole embedding). On by default"
      + " when --adversarial removes sex (vanilla +0.9 to +2.2 points on generated 512-d data; docs/removing-sex.md), off otherwise.")
  Boolean discriminantInputs;

  @Option(names = "--adversarial", description = {"Remove sex from the representation as hard as the evidence asks: where a sex signal generalises across",
      "donors (left-out-donor t > 3), the inputs' shared sex direction erased, then a sex adversary behind gradient reversal only if the",
      "validation probe still reads sex; otherwise nothing (docs/removing-sex.md)."})
  boolean adversarial;

  @Option(names = "--lambda", description = "Force the adversary at this final gradient-reversal strength (ramped up from 0), on top of the erasure,"
      + " instead of choosing by evidence; 0 = erasure alone.")
  Float lambda;

  @Option(names = "--out", required = true, description = "Artifact directory (model.json, parameters, SHA256SUMS, metrics.json, plots/).")
  Path out;

  @Option(names = "--name", description = "Model name stored in the artifact (default: the --model value).")
  String name;

  @Option(names = "--model-version", defaultValue = "1", description = "Model version stored in the artifact (default ${DEFAULT-VALUE}).")
  String version;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for split, initialisation, batches (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--epochs", description = "Maximum classification epochs (default 60 vanilla, 40 multimodal; early stopping on validation).")
  Integer epochs;

  @Option(names = "--batch-size", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", description = "Peak learning rate (default 2e-3 vanilla, 1e-3 multimodal).")
  Float learningRate;

  @Option(names = "--weight-decay", description = "AdamW weight decay (default 0.5 vanilla, 2 multimodal).")
  Float weightDecay;

  @Option(names = "--hidden", description = "Width of the latent representation (default 128).")
  Integer hidden;

  @Option(names = "--input-noise", description = "Gaussian noise (sd) added to standardised training embeddings (default 0.5 multimodal, 0 vanilla).")
  Float inputNoise;

  @Option(names = "--dropout", description = "Dropout before the donor head (default 0.2).")
  Float dropout;

  @Option(names = "--class-weights", description = "Weight the loss by inverse donor frequency.")
  boolean classWeights;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--params", description = "best.json written by tune: its settings replace the defaults; options given here override them.")
  Path params;

  @Override
  public Integer call() {
    ModelChoice.check(model, align);
    Hyperparameters tuned = tunedParams();
    CellTable table = CellTableReader.read(data.file, data.readOptions());
    TrainSettings s = TrainSettings.defaults(model, seed).withBatchSize(batchSize).withClassWeights(classWeights)
        .withDevice(device).withAlign(align ? alignEpochs : 0);
    s = tuned.applyTo(s);
    if (lambda != null) {
      if (!adversarial) throw new UserError("--lambda sets the sex adversary's strength; pass --adversarial too");
      if (lambda < 0) throw new UserError("--lambda must be at least 0, got " + lambda);
      s = s.withLambda(lambda);
    }
    // Without a forced strength (--lambda or a tuned one), how hard to remove sex is chosen on validation.
    boolean byEvidence = adversarial && lambda == null && tuned.lambda() == null;
    if (epochs != null) s = s.withEpochs(epochs);
    if (learningRate != null) s = s.withLearningRate(learningRate);
    if (weightDecay != null) s = s.withWeightDecay(weightDecay);
    if (inputNoise != null) s = s.withInputNoise(inputNoise);
    Map<String, Object> metrics;
    try (TextEncoder encoder = text.encoder()) {
      TrainRequest.Builder b = TrainRequest.of(table, model, s, out, encoder).adversarial(adversarial).discriminantInputs(discriminantInputs).shape(tuned).shape(explicitShape()).name(name)
          .version(version).ontology(text.cellOntology()).showProgress(true);
      if (byEvidence) b.removal(RemovalLadder.defaults());
      TrainRequest request = b.build();
      metrics = new TrainingPipeline(msg -> System.out.println(msg)).run(request);
    }
    System.out.println(MetricsSummary.format(metrics));
    System.out.println("artifact: " + out.toAbsolutePath() + " (metrics.json, plots/)");
    return 0;
  }

  /** The settings of --params, checked against this run's model; none without --params. */
  private Hyperparameters tunedParams() {
    if (params == null) return Hyperparameters.DEFAULTS;
    BestParams best;
    try {
      best = BestParams.read(params);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (!best.model().equals(model)) {
      throw new UserError(params + " was tuned for --model " + best.model() + ", not " + model + "; pass --model " + best.model());
    }
    if (best.params().containsKey(Hyperparameters.LAMBDA) && !adversarial) {
      throw new UserError(params + " was tuned with --adversarial (it sets lambda); pass --adversarial too");
    }
    System.out.println("settings from " + params + " (trial " + (best.trial() + 1) + ", " + String.format("%.4f", best.value()) + " on validation: "
        + best.objective() + "): " + best.describe());
    return best.hyperparameters();
  }

  private Hyperparameters explicitShape() {
    return new Hyperparameters(null, null, dropout, hidden, null, null, null, null);
  }
}
