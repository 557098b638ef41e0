package io.donorstream.scoring;

import io.donorstream.artifact.ArtifactException;
import io.donorstream.artifact.Checksums;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.scorer.DonorScorer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** A loaded, verified model and the update that announced it. */
record ServingModel(String version, String artifactUri, String sha256, DonorScorer scorer) {

  /**
   * Loads and verifies an announced model: the SHA-256 of its SHA256SUMS must match the
   * announcement, then every file must match SHA256SUMS, and its input width must be the job's.
   */
  static ServingModel load(ModelUpdate u, int expectedWidth) {
    Path dir = path(u.getArtifactUri());
    Path sums = dir.resolve(Checksums.FILE);
    if (!Files.exists(sums)) throw new ArtifactException(dir + ": no " + Checksums.FILE);
    String actual = Checksums.sha256(sums);
    if (!actual.equalsIgnoreCase(u.getSha256())) {
      throw new ArtifactException("model " + u.getVersion() + " at " + dir + ": SHA256SUMS has sha256 " + actual + ", the update announced "
          + u.getSha256());
    }
    DonorScorer scorer = DonorScorer.load(dir);
    if (expectedWidth > 0 && scorer.inputWidth() != expectedWidth) {
      scorer.close();
      throw new ArtifactException("model " + u.getVersion() + " takes " + scorer.inputWidth() + "-d embeddings, the job scores "
          + expectedWidth + "-d ones");
    }
    return new ServingModel(u.getVersion(), u.getArtifactUri(), u.getSha256(), scorer);
  }

  static Path path(String uri) {
    return uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
  }

  /** True when {@code candidate} is a newer version than {@code current} (numeric when both are). */
  static boolean isNewer(String candidate, String current) {
    if (current == null) return true;
    try {
      return Double.parseDouble(candidate) > Double.parseDouble(current);
    } catch (NumberFormatException e) {
      return candidate.compareTo(current) > 0;
    }
  }
}
