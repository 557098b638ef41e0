package io.donorstream.retrain;

import io.donorstream.artifact.ModelManifest;
import io.donorstream.pipeline.RemovalLadder;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.promotion.Reason;
import io.donorstream.train.TrainSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a retraining trains, chosen from the reasons it answers; what the champion does that no
 * reason asks to change is kept (a champion trained with sex removal keeps it).
 * <ul>
 *   <li>{@link Reason#LEAKAGE}: sex removal, how hard chosen on validation ({@link RemovalLadder}).
 *   <li>accuracy, drift, cell-type mix, challenger, unseen or unknown donors: cells archived since
 *       shortly before the first such alarm weigh at least half of what it learns ({@link TrainingCorpus.Recency}).
 * </ul>
 * Donors new to the champion come in with their archived cells whatever the reason.
 *
 * @param removal the removal ladder for a leakage answer, else null
 * @param erase keep the champion's input erasure (without a ladder)
 * @param adversarial keep the champion's adversary (without a ladder)
 */
public record Recipe(Set<Reason> reasons, TrainSettings settings, RemovalLadder removal, boolean erase, boolean adversarial, boolean favourRecent) {

  static Recipe of(Set<Reason> reasons, ModelManifest champion, TrainSettings championSettings, RemovalLadder ladder) {
    boolean leakage = reasons.contains(Reason.LEAKAGE);
    return new Recipe(Set.copyOf(reasons), championSettings, leakage ? ladder : null,
        champion.sex_erasure != null, champion.spec.adversarial(), reasons.stream().anyMatch(Reason::favoursRecentCells));
  }

  TrainRequest.Builder apply(TrainRequest.Builder b) {
    return removal != null ? b.removal(removal) : b.adversarial(adversarial).erase(erase);
  }

  /** For the log and the report: what is done and why. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (removal != null) {
      parts.add("[leakage] sex removed as hard as the evidence asks: " + removal.describe());
    } else if (erase || adversarial) {
      parts.add("the champion's sex removal kept (" + (erase ? "input erasure" : "") + (erase && adversarial ? " + " : "")
          + (adversarial ? "adversary λ " + settings.lambda() : "") + ")");
    }
    if (favourRecent) {
      parts.add("[" + reasons.stream().filter(Reason::favoursRecentCells).map(Reason::wire).sorted().collect(Collectors.joining(", "))
          + "] cells archived since the change began are compared on and weigh at least half");
    }
    if (parts.isEmpty()) parts.add("the champion's recipe again on the archive");
    return String.join("; ", parts);
  }
}
