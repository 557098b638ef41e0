package io.donorstream.registry;

import java.util.List;
import java.util.Map;

/**
 * A version in the registry.
 *
 * @param parent the version it was trained to replace (or copied from, for a rollback); null for the first
 * @param dataFrom start of the training data's event-time range (ISO-8601), null when not from a stream
 * @param decisions every stage move, oldest first; the first is its registration
 * @param answers the retrain reasons it was trained to answer ({@link io.donorstream.promotion.Reason#wire}); empty for
 *     versions not trained on request (and null in registries written before it existed)
 */
public record RegisteredVersion(String version, Stage stage, String parent, String createdAt, String dataFrom, String dataTo,
    Map<String, Double> metrics, List<Decision> decisions, List<String> answers) {

  RegisteredVersion moved(Stage to, Decision d) {
    List<Decision> all = new java.util.ArrayList<>(decisions);
    all.add(d);
    return new RegisteredVersion(version, to, parent, createdAt, dataFrom, dataTo, metrics, List.copyOf(all), answers);
  }

  /** The reasons it answers, as reasons (none for versions not trained on request). */
  public java.util.Set<io.donorstream.promotion.Reason> reasons() {
    return answers == null ? java.util.EnumSet.noneOf(io.donorstream.promotion.Reason.class) : io.donorstream.promotion.Reason.of(answers);
  }

  /** Whether this version has served as champion at some point. */
  public boolean wasChampion() {
    return decisions.stream().anyMatch(d -> d.to() == Stage.CHAMPION);
  }
}
