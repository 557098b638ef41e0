package io.donorstream.cli;

import io.donorstream.data.CellTable;
import io.donorstream.data.CellTableReader;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.promotion.PromotionGate;
import io.donorstream.publish.CellPublisher;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.retrain.Retrainer;
import io.donorstream.retrain.service.PromotionRule;
import io.donorstream.retrain.service.RetrainService;
import io.donorstream.text.TextEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "retrain-service",
    mixinStandardHelpOptions = true,
    description = {
      "Consume retrain-requests; for each burst of requests train one candidate on the training archive",
      "(monitor --archive) plus an optional base set, with the champion's architecture and a recipe chosen",
      "by the requests' reasons (leakage: sex removed, how hard chosen on validation; accuracy, drift, new",
      "donors: recent cells weigh at least half); compare it with the champion on recent archived cells",
      "held out from training; register it with the reasons it answers; send it to shadow, then promote it",
      "(announced on model-updates, so the ScoringJob swaps) only if it answers them: a leakage answer must",
      "bring donor-held-out sex leakage under the ceiling, clearly below the champion's, and may cost accuracy up",
      "to --max-accuracy-cost;",
      "any other must be better with 95 %% confidence and leak no more sex. Else it is retired with the numbers."
    },
    footer = {"", "Example:",
      "  ./donorstream retrain-service --bootstrap 127.0.0.1:9092 --registry models --archive runs/archive"})
public final class RetrainServiceCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin
  KafkaOptions kafka;

  @Option(names = "--registry", defaultValue = "models", description = "Model registry folder (default ${DEFAULT-VALUE}).")
  Path registry;

  @Option(names = "--archive", required = true, description = "The training archive the MonitoringJob writes (monitor --archive).")
  Path archive;

  @Option(names = "--model-name", defaultValue = "vanilla", description = "Registered model to retrain (default ${DEFAULT-VALUE}).")
  String modelName;

  @ArgGroup(exclusive = false)
  BaseData base;

  @Option(names = "--holdout-fraction", defaultValue = "0.2", description = "Share of archived cells (drawn from the newest twice as many) kept out of training for the comparison (default ${DEFAULT-VALUE}).")
  double holdoutFraction;

  @Option(names = "--max-holdout", defaultValue = "2000", description = "At most this many held-out cells for the comparison; the rest of the recent cells train (default ${DEFAULT-VALUE}).")
  int maxHoldout;

  @Option(names = "--margin", defaultValue = "0", description = "How much better (95 %% lower bound) the candidate must be on the held-out archived cells to go to shadow (default ${DEFAULT-VALUE}).")
  double margin;

  @Option(names = "--shadow-cells", defaultValue = "500", description = "Labelled live cells both the shadow and the champion must answer before the shadow is judged (default ${DEFAULT-VALUE}).")
  long shadowCells;

  @Option(names = "--shadow-margin", defaultValue = "0.01", description = "How much better (95 %% lower bound on those cells) the shadow must be to be promoted (default ${DEFAULT-VALUE}).")
  double shadowMargin;

  @Option(names = "--max-accuracy-cost", defaultValue = "0.2", description = "How much accuracy (95 %% bound) a candidate answering a leakage alarm may cost against the champion (default ${DEFAULT-VALUE}: the generator's Bayes-optimal price of removing its default sex signal, 0.085-0.10, what a trained model pays beyond it and the bound's width).")
  double maxAccuracyCost;

  @Option(names = "--leakage-ceiling", defaultValue = "0.2", description = "Donor-held-out sex leakage (probe balanced accuracy - 0.5, either direction) a leakage answer must stay under; the monitor's monitor.rules.leakage-ceiling (default ${DEFAULT-VALUE}).")
  double leakageCeiling;

  @Option(names = "--leakage-cells", defaultValue = "1000", description = "Labelled live cells the shadow's online sex probe must have tested before a leakage answer is judged (default ${DEFAULT-VALUE}).")
  long leakageCells;

  @Option(names = "--promote-directly", description = "Skip shadow scoring: a candidate that passes on the held-out cells becomes champion at once (for ScoringJobs without a shadow topic).")
  boolean promoteDirectly;

  @Option(names = "--group-id", defaultValue = "donorstream-retrain", description = "Kafka consumer group (default ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--settle-seconds", defaultValue = "5", description = "Wait this long after a request before training, so the cells around it are archived (default ${DEFAULT-VALUE}).")
  long settleSeconds;

  @Option(names = "--once", description = "Handle the requests pending now, then stop.")
  boolean once;

  static final class BaseData {
    @Option(names = "--base-data", required = true, description = "A data set every candidate also trains on (.h5ad or archive).")
    Path file;

    @Option(names = "--embedding-key", required = true, description = "Its embedding key.")
    String embeddingKey;
  }

  @Override
  public Integer call() throws Exception {
    if (!(holdoutFraction > 0 && holdoutFraction < 1)) throw new UserError("--holdout-fraction must be in (0, 1), got " + holdoutFraction);
    if (maxHoldout < 2) throw new UserError("--max-holdout must be at least 2, got " + maxHoldout);
    ModelRegistry models = new ModelRegistry(registry);
    if (models.champion(modelName) == null) {
      throw new UserError("model '" + modelName + "' in " + registry + " has no champion to retrain against; promote one (models promote)");
    }
    if (!Files.exists(archive)) Files.createDirectories(archive);
    KafkaEndpoint endpoint = kafka.endpoint();
    CellPublisher.checkTopicExists(endpoint, ProjectTopics.RETRAIN_REQUESTS);
    CellTable baseTable = base == null ? null : CellTableReader.read(base.file, io.donorstream.data.H5adReadOptions.of(base.embeddingKey));
    if (shadowCells < 2) throw new UserError("--shadow-cells must be at least 2, got " + shadowCells);
    if (!(maxAccuracyCost >= 0 && maxAccuracyCost < 1)) throw new UserError("--max-accuracy-cost must be in [0, 1), got " + maxAccuracyCost);
    if (!(leakageCeiling > 0 && leakageCeiling < 0.5)) throw new UserError("--leakage-ceiling must be in (0, 0.5), got " + leakageCeiling);
    PromotionGate gate = PromotionGate.defaults(margin).withMaxAccuracyCost(maxAccuracyCost).withLeakageCeiling(leakageCeiling);
    Retrainer retrainer = new Retrainer(modelName, holdoutFraction, maxHoldout, gate, !promoteDirectly, null);
    try (TextEncoder encoder = TransformerTextEncoder.miniLm(TextOptions.cacheDir());
        RetrainService service = new RetrainService(endpoint, groupId, ProjectTopics.RETRAIN_REQUESTS, ProjectTopics.MODEL_UPDATES, models,
            archive, baseTable, retrainer, encoder, System.out::println).settle(settleSeconds * 1000)) {
      if (!promoteDirectly) {
        CellPublisher.checkTopicExists(endpoint, ProjectTopics.QUALITY);
        service.judgeShadows(ProjectTopics.QUALITY, new PromotionRule(shadowCells, leakageCells, gate.withMargin(shadowMargin)));
      }
      System.out.println("retrain service for '" + modelName + "' (champion v" + models.champion(modelName).version() + ") on "
          + ProjectTopics.RETRAIN_REQUESTS + " at " + endpoint + (once ? "" : "; Ctrl-C to stop"));
      do {
        service.pollOnce(once ? 5_000 : 1_000);
      } while (!once);
    }
    return 0;
  }
}
