package io.donorstream.tune;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.donorstream.artifact.ModelArtifact;
import io.donorstream.train.Hyperparameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code best.json}: the best trial's settings, what it scored on validation and for which model,
 * readable by {@code train --params}.
 */
public record BestParams(String model, boolean adversarial, boolean align, int trial, double value, String objective,
    Map<String, Number> params) {

  public Hyperparameters hyperparameters() {
    return Hyperparameters.of(params);
  }

  /** "learning_rate=0.00193, hidden=256, ..." for people. */
  public String describe() {
    return Study.describe(params);
  }

  public void write(Path file) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, ModelArtifact.GSON.toJson(this), StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads a best.json; a missing or malformed file is an IllegalArgumentException naming it and what is wrong. */
  public static BestParams read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      if (!o.has("params") || !o.has("model")) throw new IllegalArgumentException("no 'model' or 'params'");
      Map<String, Number> params = new LinkedHashMap<>();
      o.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsDouble()));
      Hyperparameters.of(params);
      return new BestParams(o.get("model").getAsString(), o.has("adversarial") && o.get("adversarial").getAsBoolean(),
          o.has("align") && o.get("align").getAsBoolean(), o.has("trial") ? o.get("trial").getAsInt() : -1,
          o.has("value") ? o.get("value").getAsDouble() : Double.NaN, o.has("objective") ? o.get("objective").getAsString() : "", params);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + " is not a best.json written by tune: " + e.getMessage(), e);
    }
  }
}
