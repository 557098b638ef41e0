package io.donorstream.artifact;

/** A model artifact that cannot be used: missing, tampered with, or of an unknown format. */
public final class ArtifactException extends RuntimeException {
  public ArtifactException(String message) {
    super(message);
  }

  public ArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
