package io.donorstream.registry;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.donorstream.artifact.ArtifactException;
import io.donorstream.artifact.Checksums;
import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The model registry: a folder, {@code <root>/<name>/<version>/} per model version (an artifact),
 * and {@code <root>/<name>/registry.json} naming each version's stage, parent, training data range,
 * metrics and the decisions that moved it. A version is written into a hidden staging folder and
 * renamed into place only once complete and verified, and {@code registry.json} is replaced
 * atomically, so a crash at any point leaves a readable registry and no half version. Changes to
 * one model's registry take a file lock, so a service and a person at the command line can share it.
 */
public final class ModelRegistry {
  public static final String FILE = "registry.json";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
  /** Metrics copied from an artifact into the registry (the rest stay in the artifact's metrics.json). */
  private static final List<String> KEY_METRICS = List.of("accuracy", "macro_f1", "balanced_accuracy", "validation_accuracy",
      "baseline_logreg_accuracy", "sex_probe_group_balanced_accuracy", "validation_sex_leakage_grouped", "validation_sex_leakage_grouped_se", "cross_sex_error_rate", "test_estimated_accuracy", "n_train",
      "n_donors", "n_val");

  private final Path root;

  public ModelRegistry(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The registered model names. */
  public List<String> names() {
    if (!Files.isDirectory(root)) return List.of();
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.exists(d.resolve(FILE))).map(d -> d.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  /** The versions of {@code name}, oldest first. */
  public List<RegisteredVersion> versions(String name) {
    Path file = root.resolve(name).resolve(FILE);
    if (!Files.exists(file)) {
      throw new RegistryException("no model '" + name + "' in " + root + " (models: " + names() + ")");
    }
    try {
      Entries e = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Entries.class);
      return e == null || e.versions == null ? List.of() : List.copyOf(e.versions);
    } catch (IOException | JsonParseException e) {
      throw new RegistryException(file + ": not a readable registry: " + e.getMessage(), e);
    }
  }

  public RegisteredVersion version(String name, String version) {
    return versions(name).stream().filter(v -> v.version().equals(version)).findFirst()
        .orElseThrow(() -> new RegistryException("model '" + name + "' has no version " + version + " (versions: "
            + versions(name).stream().map(RegisteredVersion::version).toList() + ")"));
  }

  /** The artifact folder of a version. */
  public Path dir(String name, String version) {
    return root.resolve(name).resolve(version);
  }

  /** The serving champion, or null. */
  public RegisteredVersion champion(String name) {
    return versions(name).stream().filter(v -> v.stage() == Stage.CHAMPION).findFirst().orElse(null);
  }

  /** The version in shadow, or null. */
  public RegisteredVersion shadow(String name) {
    return versions(name).stream().filter(v -> v.stage() == Stage.SHADOW).findFirst().orElse(null);
  }

  /**
   * Registers a new version as a candidate: {@code writer} writes the artifact into the folder it is
   * given (with the version number it will have: the folder's name), which is then verified and
   * renamed into place.
   *
   * @param dataFrom event-time range of the training data (ISO-8601), or null
   */
  public RegisteredVersion register(String name, String parent, String dataFrom, String dataTo, String reason, Consumer<Path> writer) {
    return register(name, parent, dataFrom, dataTo, reason, List.of(), writer);
  }

  /** @param answers the retrain reasons the version was trained to answer (wire names) */
  public RegisteredVersion register(String name, String parent, String dataFrom, String dataTo, String reason, List<String> answers,
      Consumer<Path> writer) {
    return locked(name, () -> {
      Path modelDir = root.resolve(name);
      String version = String.valueOf(nextVersion(name));
      Path staging = modelDir.resolve(".staging-" + version + "-" + UUID.randomUUID());
      try {
        writer.accept(staging.resolve(version));
        Path written = staging.resolve(version);
        ModelManifest m = ModelArtifact.readVerified(written);
        Files.move(written, modelDir.resolve(version), StandardCopyOption.ATOMIC_MOVE);
        RegisteredVersion v = new RegisteredVersion(version, Stage.CANDIDATE, parent, Instant.now().toString(), dataFrom, dataTo,
            keyMetrics(m.metrics), List.of(new Decision(Instant.now().toString(), null, Stage.CANDIDATE, reason)), List.copyOf(answers));
        List<RegisteredVersion> all = new ArrayList<>(existing(name));
        all.add(v);
        save(name, all);
        return v;
      } catch (ArtifactException e) {
        throw new RegistryException("the new version of '" + name + "' is not a valid artifact: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot register a version of '" + name + "' in " + modelDir, e);
      } finally {
        deleteQuietly(staging);
      }
    });
  }

  /**
   * Moves a version to {@code to}. Making a version champion retires the current champion (and a
   * shadow version becoming champion leaves no shadow); every move is recorded with its reason.
   */
  public RegisteredVersion move(String name, String version, Stage to, String reason) {
    return locked(name, () -> {
      List<RegisteredVersion> all = new ArrayList<>(existing(name));
      int i = indexOf(all, name, version);
      RegisteredVersion v = all.get(i);
      if (v.stage() == to) throw new RegistryException("version " + version + " of '" + name + "' is already " + to);
      if (v.stage() == Stage.RETIRED && to != Stage.RETIRED) {
        throw new RegistryException("version " + version + " of '" + name + "' is retired; roll back to it instead (models rollback)");
      }
      String now = Instant.now().toString();
      for (int k = 0; k < all.size(); k++) {
        RegisteredVersion other = all.get(k);
        if (k != i && to == Stage.CHAMPION && other.stage() == Stage.CHAMPION) {
          all.set(k, other.moved(Stage.RETIRED, new Decision(now, Stage.CHAMPION, Stage.RETIRED, "replaced by version " + version)));
        }
        if (k != i && to == Stage.SHADOW && other.stage() == Stage.SHADOW) {
          all.set(k, other.moved(Stage.RETIRED, new Decision(now, Stage.SHADOW, Stage.RETIRED, "shadow replaced by version " + version)));
        }
      }
      RegisteredVersion moved = v.moved(to, new Decision(now, v.stage(), to, reason));
      all.set(i, moved);
      save(name, all);
      return moved;
    });
  }

  /**
   * Rolls back to the champion before the current one: its artifact is registered again as a new
   * version (so every job that only takes newer versions takes it) and made champion; the current
   * champion is retired. Returns the new version.
   */
  public RegisteredVersion rollback(String name, String reason) {
    RegisteredVersion current = champion(name);
    if (current == null) throw new RegistryException("model '" + name + "' has no champion to roll back from");
    RegisteredVersion previous = versions(name).stream()
        .filter(v -> v.stage() == Stage.RETIRED && v.wasChampion() && !v.version().equals(current.version()))
        .max(Comparator.comparing(v -> v.decisions().get(v.decisions().size() - 1).at()))
        .orElseThrow(() -> new RegistryException("model '" + name + "' has had no champion before version " + current.version()));
    Path source = dir(name, previous.version());
    RegisteredVersion copy = register(name, previous.version(), previous.dataFrom(), previous.dataTo(),
        "rollback: a copy of version " + previous.version(), target -> copyAs(source, target, name));
    return move(name, copy.version(), Stage.CHAMPION, reason == null ? "rollback from version " + current.version() : reason);
  }

  /** Copies an artifact as model {@code name}, giving it the version its folder is named, with fresh checksums. */
  public static void copyAs(Path source, Path target, String name) {
    try {
      Files.createDirectories(target);
      ModelManifest m = ModelArtifact.readVerified(source);
      List<String> files = new ArrayList<>(Checksums.listed(source));
      for (String f : files) Files.copy(source.resolve(f), target.resolve(f));
      m.version = target.getFileName().toString();
      m.name = name;
      ModelArtifact.writeManifest(target, m);
      Checksums.write(target, files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
    }
  }

  private long nextVersion(String name) {
    long max = 0;
    for (RegisteredVersion v : existing(name)) {
      try {
        max = Math.max(max, Long.parseLong(v.version()));
      } catch (NumberFormatException e) {
        // A hand-named version does not take part in numbering.
      }
    }
    Path modelDir = root.resolve(name);
    // A folder left by someone else (not in registry.json) must not be overwritten.
    while (Files.exists(modelDir.resolve(String.valueOf(max + 1)))) max++;
    return max + 1;
  }

  private List<RegisteredVersion> existing(String name) {
    return Files.exists(root.resolve(name).resolve(FILE)) ? versions(name) : List.of();
  }

  private int indexOf(List<RegisteredVersion> all, String name, String version) {
    for (int i = 0; i < all.size(); i++) if (all.get(i).version().equals(version)) return i;
    throw new RegistryException("model '" + name + "' has no version " + version + " (versions: "
        + all.stream().map(RegisteredVersion::version).toList() + ")");
  }

  private void save(String name, List<RegisteredVersion> all) throws IOException {
    Path file = root.resolve(name).resolve(FILE);
    Path tmp = file.resolveSibling("." + FILE + "." + UUID.randomUUID());
    Entries e = new Entries();
    e.name = name;
    e.versions = all;
    Files.writeString(tmp, GSON.toJson(e), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private <T> T locked(String name, IoSupplier<T> action) {
    Path modelDir = root.resolve(name);
    try {
      Files.createDirectories(modelDir);
      try (FileChannel ch = FileChannel.open(modelDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        return action.get();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update the registry of '" + name + "' in " + root, e);
    }
  }

  private static Map<String, Double> keyMetrics(Map<String, Object> metrics) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (metrics == null) return out;
    for (String k : KEY_METRICS) {
      if (metrics.get(k) instanceof Number n) out.put(k, n.doubleValue());
    }
    return out;
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A hidden staging folder left behind is ignored by readers; the next registration uses another.
    }
  }

  @FunctionalInterface
  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  /** The file's shape. */
  private static final class Entries {
    String name;
    List<RegisteredVersion> versions;
  }
}
