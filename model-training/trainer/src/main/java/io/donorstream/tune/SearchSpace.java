package io.donorstream.tune;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** The dimensions of a study, in a fixed order: the order of suggestions and of trials.csv columns. */
public record SearchSpace(List<Param> params) {
  public SearchSpace {
    params = List.copyOf(params);
    if (params.isEmpty()) throw new IllegalArgumentException("a search space needs at least one parameter");
    var seen = new HashSet<String>();
    for (Param p : params) if (!seen.add(p.name())) throw new IllegalArgumentException("parameter '" + p.name() + "' appears twice in the search space");
  }

  public static SearchSpace of(Param... params) { return new SearchSpace(List.of(params)); }

  /** The dimension called {@code name}; IllegalArgumentException if there is none. */
  public Param param(String name) {
    for (Param p : params) if (p.name().equals(name)) return p;
    throw new IllegalArgumentException("no parameter '" + name + "' in the search space " + names());
  }

  public List<String> names() { return params.stream().map(Param::name).toList(); }

  /**
   * One point drawn uniformly in coordinates: log-uniform for LOG kinds, each integer and each choice
   * equally likely. Takes any RandomGenerator (java.util.Random is one) so the TPE's startup phase can
   * share its SplittableRandom.
   */
  public Map<String, Double> sampleRandom(RandomGenerator rng) {
    var point = new LinkedHashMap<String, Double>();
    for (Param p : params) {
      double lo = p.coordinateLow();
      point.put(p.name(), p.fromCoordinate(lo + (p.coordinateHigh() - lo) * rng.nextDouble()));
    }
    return point;
  }
}
