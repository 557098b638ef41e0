package io.donorstream.scoring;

import io.donorstream.schema.ModelUpdate;

/**
 * Which model a subtask serves, as it is checkpointed: enough to reload and re-verify exactly that
 * artifact after a restore.
 *
 * @param sha256 SHA-256 of the artifact's {@code SHA256SUMS}; null for a model given by path at
 *     start, whose files are still checked against its own {@code SHA256SUMS}
 */
public record ServingModelRef(String name, String version, String artifactUri, String sha256) {

  public static ServingModelRef of(ModelUpdate u) {
    return new ServingModelRef(u.getModelName(), u.getVersion(), u.getArtifactUri(), u.getSha256());
  }

  /** True when this is a newer version than {@code current} (numeric when both are); anything is newer than none. */
  public boolean isNewerThan(ServingModelRef current) {
    if (current == null) return true;
    try {
      return Double.parseDouble(version) > Double.parseDouble(current.version);
    } catch (NumberFormatException e) {
      return version.compareTo(current.version) > 0;
    }
  }

  /** The version as a number for the version gauge (its hash when it is not numeric). */
  public double numericVersion() {
    try {
      return Double.parseDouble(version);
    } catch (NumberFormatException e) {
      return version.hashCode();
    }
  }
}
