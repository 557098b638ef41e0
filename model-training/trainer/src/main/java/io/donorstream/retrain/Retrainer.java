package io.donorstream.retrain;

import com.google.gson.Gson;
import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import io.donorstream.data.ArchiveReader;
import io.donorstream.data.CellTable;
import io.donorstream.data.CellTables;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.RegisteredVersion;
import io.donorstream.registry.RegistryException;
import io.donorstream.registry.Stage;
import io.donorstream.scorer.CellScore;
import io.donorstream.scorer.DonorScorer;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.TrainSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * One retraining: a candidate trained on the training archive (plus an optional base set) with the
 * champion's architecture and settings, a random half of the newest labelled cells held out; both
 * models scored on that same recent slice; the candidate registered, and made champion only if it beats the champion
 * there by {@code margin} with 95 % confidence and leaks no more sex, else retired with the numbers.
 *
 * @param holdoutFraction the share of archived cells kept out of training for the comparison, drawn
 *     from the newest twice as many
 * @param leakageTolerance how much higher the candidate's donor-grouped sex probe may read at least
 *     (the probe scores whole donors, so its own noise, 1.645 sqrt(0.25 / donors), is allowed too)
 */
public record Retrainer(String modelName, double holdoutFraction, double margin, double leakageTolerance, boolean shadowFirst) {
  private static final Gson GSON = new Gson();

  /** A candidate that passes goes to shadow, to be judged on live cells before it is promoted. */
  public static Retrainer defaults(String modelName) {
    return new Retrainer(modelName, 0.2, 0.0, 0.02, true);
  }

  /** Promotes a candidate that passes straight to champion (for a scoring job without shadows). */
  public Retrainer promotingDirectly() {
    return new Retrainer(modelName, holdoutFraction, margin, leakageTolerance, false);
  }

  /** What a retraining decided; {@code passed}: the candidate went to shadow (or champion, promoting directly). */
  public record Result(RegisteredVersion candidate, boolean passed, HoldoutComparison comparison, String decision) {}

  public Result retrain(ModelRegistry registry, Path archive, CellTable base, String reason, TextEncoder encoder, Consumer<String> log) {
    RegisteredVersion champion = registry.champion(modelName);
    if (champion == null) throw new RegistryException("model '" + modelName + "' has no champion to retrain against");
    ModelManifest championManifest = ModelArtifact.readVerified(registry.dir(modelName, champion.version()));
    ArchiveReader.TimedCells archived = ArchiveReader.readTimed(archive, championManifest.embedding_key);
    int n = archived.table().size();
    int[] byTime = IntStream.range(0, n).boxed().sorted(Comparator.comparingLong(i -> archived.eventTimes()[i])).mapToInt(i -> i).toArray();
    int holdout = (int) Math.ceil(holdoutFraction * n);
    if (holdout < 2 || n - holdout < 2) throw new RegistryException("the archive holds " + n + " labelled cells: too few to train and compare");
    // The comparison slice is recent, drawn at random (seeded) from the newest cells, twice as many as it
    // takes: the candidate still learns from the rest of the recent cells (after a drift, the only
    // ones that show the new donors).
    int recentStart = Math.max(0, n - 2 * holdout);
    int[] recentRows = Arrays.copyOfRange(byTime, recentStart, n);
    io.donorstream.data.Shuffle.shuffle(recentRows, new java.util.SplittableRandom(n));
    int[] held = Arrays.copyOf(recentRows, holdout);
    java.util.Set<Integer> heldSet = new java.util.HashSet<>();
    for (int r : held) heldSet.add(r);
    int[] rest = Arrays.stream(byTime).filter(r -> !heldSet.contains(r)).toArray();
    CellTable recent = archived.table().select(held);
    CellTable train = archived.table().select(rest);
    if (base != null) train = CellTables.concat(base, train);
    String from = Instant.ofEpochMilli(archived.eventTimes()[byTime[0]]).toString();
    String to = Instant.ofEpochMilli(archived.eventTimes()[byTime[n - 1]]).toString();
    log.accept(String.format("retraining %s (champion v%s, %s) on %,d cells (%,d archived %s .. %s%s); %,d recent ones held out", modelName,
        champion.version(), championManifest.spec.architecture(), train.size(), n - holdout, from, to,
        base == null ? "" : String.format(" + %,d base", base.size()), holdout));

    TrainSettings settings = championSettings(championManifest);
    String architecture = championManifest.spec.architecture();
    boolean adversarial = championManifest.spec.adversarial();
    CellTable trainingSet = train;
    RegisteredVersion candidate = registry.register(modelName, champion.version(), from, to, "retrain: " + reason,
        dir -> new TrainingPipeline(log).run(TrainRequest.of(trainingSet, architecture, settings, dir, encoder).adversarial(adversarial)
            .name(modelName).version(dir.getFileName().toString()).build()));

    HoldoutComparison c = HoldoutComparison.of(right(registry.dir(modelName, candidate.version()), recent, encoder),
        right(registry.dir(modelName, champion.version()), recent, encoder));
    Double candidateLeak = candidate.metrics().get("sex_probe_group_balanced_accuracy");
    Double championLeak = champion.metrics().get("sex_probe_group_balanced_accuracy");
    // The donor-grouped probe scores whole donors: its noise is a donor-level standard error,
    // sqrt(0.25 / donors); "not higher" means not above the champion's beyond a one-sided 95 % bound.
    Double donors = candidate.metrics().get("n_donors");
    double tolerance = HoldoutComparison.leakageTolerance(leakageTolerance, donors);
    boolean leaksMore = candidateLeak != null && championLeak != null && candidateLeak > championLeak + tolerance;
    boolean better = c.lowerBound() > margin;
    String numbers = String.format("on %,d recent held-out labelled cells: candidate %.3f, champion %.3f, difference %+.3f (95%% lower bound %+.3f,"
        + " margin %.3f); donor-grouped sex probe %s vs %s (tolerance %.3f)", c.cells(), c.candidateAccuracy(), c.championAccuracy(),
        c.difference(), c.lowerBound(), margin, fmt(candidateLeak), fmt(championLeak), tolerance);
    Stage passTo = shadowFirst ? Stage.SHADOW : Stage.CHAMPION;
    String decision = better && !leaksMore ? (shadowFirst ? "to shadow: " : "promoted: ") + numbers
        : "retired: " + (leaksMore ? "it leaks more sex; " : "not better with confidence; ") + numbers;
    registry.move(modelName, candidate.version(), better && !leaksMore ? passTo : Stage.RETIRED, decision);
    log.accept("version " + candidate.version() + " " + decision);
    return new Result(registry.version(modelName, candidate.version()), better && !leaksMore, c, decision);
  }

  private static boolean[] right(Path model, CellTable cells, TextEncoder encoder) {
    try (DonorScorer scorer = DonorScorer.load(model, encoder, null)) {
      List<CellScore> scores = scorer.score(cells.embedding(), cells.cellTypes(), 1);
      boolean[] right = new boolean[cells.size()];
      for (int i = 0; i < right.length; i++) right[i] = scores.get(i).predictedDonor().equals(cells.donorIds()[i]);
      return right;
    }
  }

  /** The settings the champion was trained with (stored in its manifest), else the defaults. */
  static TrainSettings championSettings(ModelManifest m) {
    Object stored = m.training == null ? null : m.training.get("settings");
    if (stored != null) {
      try {
        TrainSettings s = GSON.fromJson(GSON.toJsonTree(stored), TrainSettings.class);
        if (s != null && s.epochs() > 0) return s;
      } catch (RuntimeException e) {
        // An older or hand-edited manifest: fall back to the defaults below.
      }
    }
    return TrainSettings.defaults(m.spec.architecture(), 42);
  }

  private static String fmt(Double v) {
    return v == null ? "n/a" : String.format("%.3f", v);
  }
}
