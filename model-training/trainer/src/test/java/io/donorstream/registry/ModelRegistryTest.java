package io.donorstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.donorstream.artifact.Checksums;
import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  @TempDir Path root;

  /** A small but valid artifact (manifest, parameter file, checksums) with the given accuracy. */
  static Consumer<Path> artifact(double accuracy) {
    return dir -> {
      try {
        Files.createDirectories(dir);
        ModelManifest m = new ModelManifest();
        m.name = "vanilla";
        m.version = dir.getFileName().toString();
        m.params_file = ModelManifest.PARAMS_PREFIX + "-0000.params";
        m.metrics = Map.of("accuracy", accuracy, "model", "vanilla");
        Files.write(dir.resolve(m.params_file), new byte[] {1, 2, 3, (byte) (accuracy * 100)});
        ModelArtifact.writeManifest(dir, m);
        Checksums.write(dir, List.of(ModelManifest.FILE, m.params_file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  @Test
  void registersNumberedCandidatesWithTheirMetricsAndHistory() {
    ModelRegistry r = new ModelRegistry(root);
    RegisteredVersion v1 = r.register("vanilla", null, null, null, "initial model", artifact(0.7));
    RegisteredVersion v2 = r.register("vanilla", "1", "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z", "retrain: drift", artifact(0.8));
    assertThat(v1.version()).isEqualTo("1");
    assertThat(v2.version()).isEqualTo("2");
    assertThat(r.names()).containsExactly("vanilla");
    assertThat(r.versions("vanilla")).extracting(RegisteredVersion::stage).containsExactly(Stage.CANDIDATE, Stage.CANDIDATE);
    assertThat(r.version("vanilla", "2").metrics()).containsEntry("accuracy", 0.8);
    assertThat(r.version("vanilla", "2").parent()).isEqualTo("1");
    assertThat(r.version("vanilla", "2").decisions()).singleElement().extracting(Decision::reason).isEqualTo("retrain: drift");
    assertThat(ModelArtifact.readVerified(r.dir("vanilla", "2")).version).isEqualTo("2");
  }

  @Test
  void promotionRetiresTheChampionAndRollbackBringsItBackAsANewVersion() {
    ModelRegistry r = new ModelRegistry(root);
    r.register("vanilla", null, null, null, "initial", artifact(0.7));
    r.move("vanilla", "1", Stage.CHAMPION, "first model");
    r.register("vanilla", "1", null, null, "retrain", artifact(0.8));
    r.move("vanilla", "2", Stage.SHADOW, "scoring beside the champion");
    r.move("vanilla", "2", Stage.CHAMPION, "shadow ahead by 0.1 (lower bound 0.05)");
    assertThat(r.champion("vanilla").version()).isEqualTo("2");
    RegisteredVersion old = r.version("vanilla", "1");
    assertThat(old.stage()).isEqualTo(Stage.RETIRED);
    assertThat(old.decisions().get(old.decisions().size() - 1).reason()).isEqualTo("replaced by version 2");

    RegisteredVersion back = r.rollback("vanilla", null);
    assertThat(back.version()).isEqualTo("3");
    assertThat(back.stage()).isEqualTo(Stage.CHAMPION);
    assertThat(back.parent()).isEqualTo("1");
    assertThat(r.version("vanilla", "2").stage()).isEqualTo(Stage.RETIRED);
    ModelManifest m = ModelArtifact.readVerified(r.dir("vanilla", "3"));
    assertThat(m.version).as("the copy carries its own version, with fresh checksums").isEqualTo("3");
    assertThat(m.metrics.get("accuracy")).isEqualTo(0.7);
  }

  @Test
  void aCrashWhileWritingLeavesNoHalfVersionAndAReadableRegistry() throws IOException {
    ModelRegistry r = new ModelRegistry(root);
    r.register("vanilla", null, null, null, "initial", artifact(0.7));
    assertThatThrownBy(() -> r.register("vanilla", "1", null, null, "retrain", dir -> {
      artifact(0.9).accept(dir);
      throw new IllegalStateException("killed mid-training");
    })).hasMessageContaining("killed mid-training");
    assertThatThrownBy(() -> r.register("vanilla", "1", null, null, "retrain", dir -> {
      artifact(0.9).accept(dir);
      try {
        Files.write(dir.resolve(ModelManifest.PARAMS_PREFIX + "-0000.params"), new byte[] {9});
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    })).isInstanceOf(RegistryException.class).hasMessageContaining("not a valid artifact");
    assertThat(r.versions("vanilla")).extracting(RegisteredVersion::version).containsExactly("1");
    try (Stream<Path> left = Files.list(root.resolve("vanilla"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1", ModelRegistry.FILE, ".lock");
    }
    assertThat(r.register("vanilla", "1", null, null, "retrain", artifact(0.9)).version()).isEqualTo("2");
  }

  @Test
  void mistakesAreClearErrors() {
    ModelRegistry r = new ModelRegistry(root);
    assertThatThrownBy(() -> r.versions("nope")).isInstanceOf(RegistryException.class).hasMessageContaining("no model 'nope'");
    r.register("vanilla", null, null, null, "initial", artifact(0.7));
    assertThatThrownBy(() -> r.move("vanilla", "9", Stage.CHAMPION, "x")).hasMessageContaining("has no version 9");
    assertThatThrownBy(() -> r.rollback("vanilla", null)).hasMessageContaining("no champion to roll back from");
    r.move("vanilla", "1", Stage.CHAMPION, "first");
    assertThatThrownBy(() -> r.rollback("vanilla", null)).hasMessageContaining("no champion before version 1");
    assertThatThrownBy(() -> r.move("vanilla", "1", Stage.CHAMPION, "again")).hasMessageContaining("already champion");
  }
}
