package io.donorstream.retrain;

import com.google.gson.Gson;
import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import io.donorstream.data.ArchiveReader;
import io.donorstream.data.CellTable;
import io.donorstream.eval.SexLeakage;
import io.donorstream.inference.Predictions;
import io.donorstream.pipeline.RemovalLadder;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.promotion.HoldoutComparison;
import io.donorstream.promotion.LeakageReading;
import io.donorstream.promotion.PromotionGate;
import io.donorstream.promotion.Reason;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.RegisteredVersion;
import io.donorstream.registry.RegistryException;
import io.donorstream.registry.Stage;
import io.donorstream.servable.DonorScorer;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.TrainSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One retraining, its recipe chosen by the reasons it answers ({@link Recipe}): a candidate trained
 * on the training archive (plus an optional base set), the newest distinct archived cells held out
 * ({@link TrainingCorpus}); both models scored on that same recent slice, their accuracies paired
 * and their latents probed for sex; the candidate registered with the reasons it answers, and sent
 * to shadow (or made champion) only if the {@link PromotionGate} passes it for those reasons, else
 * retired with the numbers.
 *
 * @param holdoutFraction the share of distinct archived cells kept out of training for the comparison
 * @param maxHoldout at most this many of them (enough for a paired comparison; the rest train)
 * @param removal how a leakage answer removes sex; null for {@link RemovalLadder#defaults} under the gate's ceiling
 */
public record Retrainer(String modelName, double holdoutFraction, int maxHoldout, PromotionGate gate, boolean shadowFirst, RemovalLadder removal) {
  /** Cells archived since a change began that an accuracy-type answer needs: most to learn the new regime from, some to compare on. */
  public static final int MIN_CELLS_SINCE_CHANGE = 2 * TrainingCorpus.MIN_RECENT;
  /** Labelled cells of each donor new to the champion that an answer waits for: a donor is not learned from a handful. */
  public static final int MIN_CELLS_PER_NEW_DONOR = 30;

  /** Without the monitor's word on when a change began, recent cells begin this long before the alarm (a drift starts before a detector sees it). */
  public static final long RECENT_LEAD_MILLIS = 30_000;
  private static final Gson GSON = new Gson();

  /** A candidate that passes goes to shadow, to be judged on live cells before it is promoted. */
  public static Retrainer defaults(String modelName) {
    return new Retrainer(modelName, 0.2, 2_000, PromotionGate.defaults(0.0), true, null);
  }

  /** Promotes a candidate that passes straight to champion (for a scoring job without shadows). */
  public Retrainer promotingDirectly() {
    return new Retrainer(modelName, holdoutFraction, maxHoldout, gate, false, removal);
  }

  public Retrainer withGate(PromotionGate g) {
    return new Retrainer(modelName, holdoutFraction, maxHoldout, g, shadowFirst, removal);
  }

  /** Removes sex for a leakage answer with {@code ladder} instead of the default one. */
  public Retrainer withRemoval(RemovalLadder ladder) {
    return new Retrainer(modelName, holdoutFraction, maxHoldout, gate, shadowFirst, ladder);
  }

  /** What a retraining decided; {@code passed}: the candidate went to shadow (or champion, promoting directly). */
  public record Result(RegisteredVersion candidate, boolean passed, HoldoutComparison comparison, String decision, Recipe recipe) {}

  /** Without a time for the alarms: recent cells are not told apart. */
  public Result retrain(ModelRegistry registry, Path archive, CellTable base, Set<Reason> reasons, String reasonText, TextEncoder encoder,
      Consumer<String> log) {
    return retrain(registry, archive, base, reasons, reasonText, Long.MIN_VALUE, encoder, log);
  }

  /**
   * @param reasons what the retraining answers (empty: a request that names none, judged as {@link Reason#OTHER})
   * @param reasonText the requests' own words, for the registry
   * @param changeAt event time (epoch ms) at which the change the accuracy-type reasons answer began: cells archived
   *     since then are compared on and weigh at least half of what the candidate learns (Long.MIN_VALUE: not known)
   */
  public Result retrain(ModelRegistry registry, Path archive, CellTable base, Set<Reason> reasons, String reasonText, long changeAt,
      TextEncoder encoder, Consumer<String> log) {
    RegisteredVersion champion = registry.champion(modelName);
    if (champion == null) throw new RegistryException("model '" + modelName + "' has no champion to retrain against");
    ModelManifest championManifest = ModelArtifact.readVerified(registry.dir(modelName, champion.version()));
    if (!java.nio.file.Files.exists(archive)) throw new NotYet("the archive " + archive + " holds no labelled cells yet");
    ArchiveReader.TimedCells archived;
    try {
      archived = ArchiveReader.readTimed(archive, championManifest.embedding_key);
    } catch (io.donorstream.data.H5adException e) {
      throw new NotYet(e.getMessage());
    }
    Recipe recipe = Recipe.of(reasons, championManifest, championSettings(championManifest),
        removal != null ? removal : RemovalLadder.defaults().withCeiling(gate.leakageCeiling()));
    TrainingCorpus.Recency recency = recipe.favourRecent() && changeAt != Long.MIN_VALUE
        ? new TrainingCorpus.Recency(changeAt, champion.metrics().getOrDefault("n_train", 0.0).intValue()) : null;
    if (recency != null) {
      long since = java.util.Arrays.stream(archived.eventTimes()).filter(t -> t >= changeAt).count();
      if (since < MIN_CELLS_SINCE_CHANGE) {
        throw new NotYet(String.format("%,d labelled cells archived since the change began (%s); %,d are needed to learn the new regime and to"
            + " compare on it", since, java.time.Instant.ofEpochMilli(changeAt), MIN_CELLS_SINCE_CHANGE));
      }
    }
    java.util.Map<String, Integer> newDonorCells = new java.util.TreeMap<>();
    for (String d : archived.table().donorIds()) if (!championManifest.donors.contains(d)) newDonorCells.merge(d, 1, Integer::sum);
    if (newDonorCells.values().stream().anyMatch(c -> c < MIN_CELLS_PER_NEW_DONOR)) {
      throw new NotYet(String.format("donors new to the champion have %s labelled cells archived; %d each are needed to learn them",
          newDonorCells, MIN_CELLS_PER_NEW_DONOR));
    }
    TrainingCorpus corpus;
    try {
      corpus = TrainingCorpus.of(archived, base, holdoutFraction, maxHoldout, recency, archived.table().size());
    } catch (IllegalStateException e) {
      throw new NotYet(e.getMessage());
    }
    if (!reasons.isEmpty() && reasons.stream().allMatch(r -> r == Reason.UNKNOWN_DONORS)
        && corpus.train().donors().stream().allMatch(championManifest.donors::contains)) {
      // Cells of unknown donors were seen, but none of them labelled yet: a model trained now would know no more donors.
      throw new NotYet("the archive holds no labelled cells of donors the champion does not know yet");
    }
    log.accept(String.format("retraining %s (champion v%s, %s) on %,d cells: of %,d distinct archived cells (%s .. %s%s) %,d recent ones held"
        + " out, the rest%s%s%s", modelName, champion.version(), championManifest.spec.architecture(), corpus.train().size(), corpus.archived(),
        corpus.from(), corpus.to(), corpus.duplicates() == 0 ? "" : String.format("; %,d re-sent embeddings left out", corpus.duplicates()),
        corpus.recent().size(), base == null ? "" : " with the base set", corpus.baseOverlap() == 0 ? ""
            : String.format(" (less %,d base cells the archive holds)", corpus.baseOverlap()),
        corpus.olderLeftOut() == 0 ? "" : String.format("; %,d older cells left out so that recent ones weigh at least half", corpus.olderLeftOut())));
    List<String> newDonors = corpus.train().donors().stream().filter(d -> !championManifest.donors.contains(d)).sorted().toList();
    log.accept("recipe: " + recipe.describe() + (newDonors.isEmpty() ? "" : String.format("; donors new to the champion %s learned from"
        + " their archived cells", newDonors)));

    CellTable trainingSet = corpus.train();
    RegisteredVersion candidate = registry.register(modelName, champion.version(), corpus.from(), corpus.to(), "retrain: " + reasonText,
        reasons.stream().map(Reason::wire).toList(), dir -> new TrainingPipeline(log).run(recipe.apply(
            TrainRequest.of(trainingSet, championManifest.spec.architecture(), recipe.settings(), dir, encoder))
            .name(modelName).version(dir.getFileName().toString()).build()));

    Scored cand = scored(registry.dir(modelName, candidate.version()), corpus.recent(), encoder);
    Scored champ = scored(registry.dir(modelName, champion.version()), corpus.recent(), encoder);
    HoldoutComparison c = HoldoutComparison.of(cand.right(), champ.right());
    LeakageReading candLeak = cand.leakage();
    LeakageReading champLeak = champ.leakage();
    if (candLeak.standardError() == null || champLeak.standardError() == null) {
      // The recent cells hold too few donors of a sex to read leakage across donors (after a drift to a
      // few new donors): each model's reading on its own validation split, which holds all its donors, stands in.
      log.accept("the recent held-out cells hold too few donors of each sex for a donor-held-out sex probe: the models' validation"
          + " readings stand in");
      candLeak = validationReading(candidate);
      champLeak = validationReading(champion);
    }
    PromotionGate.Verdict v = gate.judge(reasons, c, candLeak, champLeak, candidate.metrics().get("n_donors"));
    String where = String.format("on %,d recent held-out labelled cells: ", c.cells());
    Stage passTo = shadowFirst ? Stage.SHADOW : Stage.CHAMPION;
    String decision = v.pass() ? (shadowFirst ? "to shadow: " : "promoted: ") + where + v.text() : "retired: " + v.text().replaceFirst("answering",
        where + "answering");
    registry.move(modelName, candidate.version(), v.pass() ? passTo : Stage.RETIRED, decision);
    log.accept("version " + candidate.version() + " " + decision);
    return new Result(registry.version(modelName, candidate.version()), v.pass(), c, decision, recipe);
  }

  /** The archive cannot answer the request yet (too few labelled cells, or none of the donors asked for): ask again when it has grown. */
  public static final class NotYet extends RegistryException {
    public NotYet(String message) {
      super(message);
    }
  }

  /** One model on the held-out cells: which it got right, and how much sex its latent carries across donors. */
  private record Scored(boolean[] right, LeakageReading leakage) {}

  private static Scored scored(Path model, CellTable cells, TextEncoder encoder) {
    try (DonorScorer scorer = DonorScorer.load(model, encoder, null)) {
      Predictions p = scorer.predict(cells.embedding(), cells.cellTypes(), cells.cellIds());
      boolean[] right = new boolean[cells.size()];
      List<String> donors = scorer.manifest().donors;
      for (int i = 0; i < right.length; i++) right[i] = donors.get(p.predicted(i)).equals(cells.donorIds()[i]);
      int[] sex = new int[cells.size()];
      int[] donor = new int[cells.size()];
      Map<String, Integer> donorIndex = new HashMap<>();
      for (int i = 0; i < sex.length; i++) {
        String s = cells.hasSex() ? cells.sexes()[i] : null;
        sex[i] = "female".equals(s) ? 1 : "male".equals(s) ? 0 : -1;
        donor[i] = donorIndex.computeIfAbsent(cells.donorIds()[i], d -> donorIndex.size());
      }
      return new Scored(right, SexLeakage.measure(p.latent(), p.latentDim(), sex, donor, 1).grouped());
    }
  }

  private static LeakageReading validationReading(RegisteredVersion v) {
    Double leak = v.metrics().get("validation_sex_leakage_grouped");
    return leak == null ? LeakageReading.NONE : new LeakageReading(leak, v.metrics().get("validation_sex_leakage_grouped_se"),
        v.metrics().getOrDefault("n_donors", 0.0).intValue(), v.metrics().getOrDefault("n_val", 0.0).longValue());
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
}
