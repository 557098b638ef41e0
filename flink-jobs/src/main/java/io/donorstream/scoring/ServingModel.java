package io.donorstream.scoring;

import io.donorstream.artifact.ArtifactException;
import io.donorstream.artifact.VerifiedArtifact;
import io.donorstream.servable.DonorScorer;

/** A loaded, verified model and the reference that names it. */
record ServingModel(ServingModelRef ref, DonorScorer scorer) implements AutoCloseable {

  /**
   * Loads and verifies a model: {@code SHA256SUMS} must have the announced SHA-256 (when one was
   * announced), every file must match {@code SHA256SUMS} (each hashed once), and the model's input
   * width must be the job's.
   */
  static ServingModel load(ServingModelRef ref, int expectedWidth) {
    VerifiedArtifact artifact = VerifiedArtifact.open(VerifiedArtifact.path(ref.artifactUri()), ref.sha256());
    if (expectedWidth > 0 && artifact.manifest().input_width != expectedWidth) {
      throw new ArtifactException("model " + ref.version() + " takes " + artifact.manifest().input_width + "-d embeddings, the job scores "
          + expectedWidth + "-d ones");
    }
    DonorScorer scorer = DonorScorer.load(artifact, null, null);
    String version = ref.version() != null ? ref.version() : artifact.manifest().version;
    String name = ref.name() != null ? ref.name() : artifact.manifest().name;
    return new ServingModel(new ServingModelRef(name, version, ref.artifactUri(), artifact.sumsSha256()), scorer);
  }

  String version() {
    return ref.version();
  }

  @Override
  public void close() {
    scorer.close();
  }
}
