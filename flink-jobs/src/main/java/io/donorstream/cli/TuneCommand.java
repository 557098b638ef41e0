package io.donorstream.cli;

import io.donorstream.data.CellTable;
import io.donorstream.data.CellTableReader;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.TrainSettings;
import io.donorstream.tune.BestParams;
import io.donorstream.tune.Study;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = {
      "Tune a model's settings with TPE (Tree-structured Parzen Estimator, as Optuna) on the validation split: learning",
      "rate, weight decay, dropout, hidden size, input noise, and for multimodal latents and heads, with --adversarial lambda.",
      "The objective is validation accuracy (adversarial: minus the held-out-donor sex probe's excess over chance); the test",
      "cells are cut out before anything is fitted. Hopeless trials are pruned (median rule). Every trial is appended to",
      "DIR/trials.csv, so a killed study resumes where it stopped; DIR/best.json is read by 'train --params'. At the end the",
      "best settings are trained once more and evaluated once on test (DIR/best-model/)."
    },
    footer = {"", "Example:",
      "  ./donorstream tune --data ../shared/data/onek1k/onek1k-a.h5ad --embedding-key X_pca --model vanilla --trials 12 --out runs/tune",
      "  ./donorstream train --data ../shared/data/onek1k/onek1k-a.h5ad --embedding-key X_pca --model vanilla --params runs/tune/best.json --out runs/v"})
public final class TuneCommand implements Callable<Integer> {
  @Mixin DataOptions data;
  @Mixin TextOptions text;

  @Option(names = "--model", required = true, description = "vanilla or multimodal.")
  String model;

  @Option(names = "--adversarial", description = "Tune the model with its sex adversary (adds lambda to the search).")
  boolean adversarial;

  @Option(names = "--align", description = "Contrastive alignment pretraining in every trial (multimodal).")
  boolean align;

  @Option(names = "--trials", required = true, description = "Number of trials in the study (a resumed study runs the missing ones).")
  int trials;

  @Option(names = "--out", required = true, description = "Study directory (trials.csv, best.json, best-model/).")
  Path out;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, the sampler and every trial's initialisation (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--epochs", description = "Maximum classification epochs per trial (default: the model's; early stopping on validation).")
  Integer epochs;

  @Option(names = "--no-prune", description = "Run every trial to the end.")
  boolean noPrune;

  @Option(names = "--no-final", description = "Skip training the best settings and evaluating them on test.")
  boolean noFinal;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
  String device;

  @Override
  public Integer call() {
    ModelChoice.check(model, align);
    if (trials < 1) throw new UserError("--trials must be at least 1, got " + trials);
    if (epochs != null && epochs < 1) throw new UserError("--epochs must be at least 1, got " + epochs);
    CellTable table = CellTableReader.read(data.file, data.readOptions());
    if (!table.hasDonors()) throw new UserError(data.file + ": no donor labels in obs['" + data.donorColumn + "'], so there is nothing to tune");
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + out, e);
    }
    Study study = new Study(new Study.Options(model, adversarial, align ? 5 : 0, trials, epochs, seed, device, !noPrune), System.out::println);
    try (TextEncoder encoder = text.encoder()) {
      BestParams best;
      try {
        best = study.run(table, encoder, text.cellOntology(), out);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
      System.out.printf("best: trial %d, %.4f on validation (%s): %s -> %s%n", best.trial() + 1, best.value(), best.objective(), best.describe(),
          out.resolve(Study.BEST_JSON));
      if (noFinal) return 0;
      System.out.println("final: training the best settings on the same split and evaluating once on test");
      TrainSettings s = best.hyperparameters().applyTo(study.baseSettings());
      TrainRequest request = TrainRequest.of(table, model, s, out.resolve("best-model"), encoder).adversarial(adversarial).shape(best.hyperparameters())
          .ontology(text.cellOntology()).name(model + "-tuned").build();
      Map<String, Object> metrics = new TrainingPipeline(msg -> {}).run(request);
      System.out.println(MetricsSummary.format(metrics));
      System.out.println("artifact: " + out.resolve("best-model").toAbsolutePath());
    }
    return 0;
  }
}
