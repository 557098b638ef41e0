package io.donorstream.artifact;

import ai.djl.Model;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A versioned model on disk: {@code model.json}, the parameter file and {@code SHA256SUMS}, plus
 * {@code metrics.json} for people and tools.
 */
public final class ModelArtifact {
  public static final String METRICS = "metrics.json";
  /** The JSON form of artifacts and reports: pretty, nulls kept, NaN written as NaN. */
  public static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues().create();

  private ModelArtifact() {}

  /** Writes the artifact into {@code dir}; returns the SHA-256 of its SHA256SUMS file. */
  public static String write(Path dir, ModelManifest manifest, Model model) {
    try {
      Files.createDirectories(dir);
      model.setProperty("Epoch", "0");
      model.save(dir, ModelManifest.PARAMS_PREFIX);
      manifest.params_file = ModelManifest.PARAMS_PREFIX + "-0000.params";
      Files.writeString(dir.resolve(ModelManifest.FILE), GSON.toJson(manifest), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(METRICS), GSON.toJson(manifest.metrics), StandardCharsets.UTF_8);
      return Checksums.write(dir, List.of(ModelManifest.FILE, manifest.params_file, METRICS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model artifact to " + dir, e);
    }
  }

  /** Rewrites {@code model.json} alone (its checksum must then be written again). */
  public static void writeManifest(Path dir, ModelManifest manifest) {
    try {
      Files.writeString(dir.resolve(ModelManifest.FILE), GSON.toJson(manifest), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(ModelManifest.FILE), e);
    }
  }

  /** Reads {@code model.json} after verifying every checksum (each file hashed once). */
  public static ModelManifest readVerified(Path dir) {
    return VerifiedArtifact.open(dir, null).manifest();
  }
}
