package io.donorstream.artifact;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model artifact whose files were each read and checked against {@code SHA256SUMS} exactly once
 * (and {@code SHA256SUMS} itself against an announced hash, when there is one), with its parsed
 * manifest. Loading a model goes through here once; nothing downstream hashes again.
 *
 * @param sumsSha256 the SHA-256 of {@code SHA256SUMS}: the artifact's identity in model updates
 */
public record VerifiedArtifact(Path dir, ModelManifest manifest, String sumsSha256) {

  /**
   * @param expectedSumsSha256 the SHA-256 a model update announced for {@code SHA256SUMS}, or null
   * @throws ArtifactException naming the directory and what is wrong with it
   */
  public static VerifiedArtifact open(Path dir, String expectedSumsSha256) {
    if (!Files.isDirectory(dir)) throw new ArtifactException(dir + ": no such model directory");
    Path sums = dir.resolve(Checksums.FILE);
    if (!Files.exists(sums)) throw new ArtifactException(dir + ": no " + Checksums.FILE + " file; not a donorstream model artifact");
    String sumsSha = Checksums.sha256(sums);
    if (expectedSumsSha256 != null && !sumsSha.equalsIgnoreCase(expectedSumsSha256)) {
      throw new ArtifactException(dir + ": " + Checksums.FILE + " has sha256 " + sumsSha + ", the model update announced " + expectedSumsSha256);
    }
    Checksums.verify(dir, List.of(ModelManifest.FILE));
    ModelManifest m = parse(dir);
    if (m.params_file == null || !Files.exists(dir.resolve(m.params_file))) {
      throw new ArtifactException(dir + ": parameter file " + m.params_file + " is missing");
    }
    if (!Checksums.listed(dir).contains(m.params_file)) {
      throw new ArtifactException(dir.resolve(Checksums.FILE) + " does not list " + m.params_file);
    }
    return new VerifiedArtifact(dir, m, sumsSha);
  }

  /** The folder a model update's artifact URI ({@code file:…}) or plain path names. */
  public static Path path(String uriOrPath) {
    return uriOrPath.startsWith("file:") ? Path.of(java.net.URI.create(uriOrPath)) : Path.of(uriOrPath);
  }

  private static ModelManifest parse(Path dir) {
    ModelManifest m;
    try {
      m = ModelArtifact.GSON.fromJson(Files.readString(dir.resolve(ModelManifest.FILE), StandardCharsets.UTF_8), ModelManifest.class);
    } catch (IOException | JsonParseException e) {
      throw new ArtifactException(dir.resolve(ModelManifest.FILE) + ": not a readable model manifest: " + e.getMessage(), e);
    }
    if (m == null || m.format_version != ModelManifest.FORMAT_VERSION) {
      throw new ArtifactException(dir + ": model format " + (m == null ? "?" : m.format_version) + " is not supported (expected "
          + ModelManifest.FORMAT_VERSION + ")");
    }
    return m;
  }
}
