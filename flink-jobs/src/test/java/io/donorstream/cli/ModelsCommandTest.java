package io.donorstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.Stage;
import io.donorstream.scoring.ScoringFixtures;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** models list | show | register | promote | rollback on a registry of two small trained versions. */
@ExtendWith(MiniLmEncoder.class)
class ModelsCommandTest {
  @TempDir Path registry;

  static String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Donorstream.commandLine().execute(args)).as(String.join(" ", args)).isZero();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listShowPromoteAndRollBack(TransformerTextEncoder encoder) {
    ModelRegistry r = new ModelRegistry(registry);
    r.register("vanilla", null, null, null, "initial model", dir -> ScoringFixtures.train(dir, dir.getFileName().toString(), 1, encoder));
    r.move("vanilla", "1", Stage.CHAMPION, "first model");
    r.register("vanilla", "1", "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z", "retrain: drift",
        dir -> ScoringFixtures.train(dir, dir.getFileName().toString(), 2, encoder));
    String reg = registry.toString();

    assertThat(run("models", "list", "--registry", reg)).contains("vanilla v1  champion").contains("vanilla v2  candidate")
        .contains("accuracy=");
    assertThat(run("models", "promote", "vanilla", "2", "--reason", "better on the recent slice", "--registry", reg))
        .contains("vanilla v2  champion");
    String shown = run("models", "show", "vanilla", "--registry", reg);
    assertThat(shown).contains("candidate -> champion: better on the recent slice").contains("champion -> retired: replaced by version 2")
        .contains("data 2026-11-30T10:00:00Z .. 2026-11-30T11:00:00Z");
    assertThat(run("models", "rollback", "vanilla", "--registry", reg)).contains("vanilla v3  champion").contains("a copy of version 1");
    assertThat(r.version("vanilla", "2").stage()).isEqualTo(Stage.RETIRED);
  }

  @Test
  void registerAddsATrainedArtifactAsTheNextVersionUnderTheRegistrysName(TransformerTextEncoder encoder) {
    Path trained = ScoringFixtures.train(registry.resolve("elsewhere/out"), "7", 1, encoder);
    String reg = registry.resolve("models").toString();
    assertThat(run("models", "register", "donors", trained.toString(), "--champion", "--registry", reg)).contains("donors v1  champion");
    ModelRegistry r = new ModelRegistry(registry.resolve("models"));
    assertThat(r.champion("donors").version()).isEqualTo("1");
    io.donorstream.artifact.ModelManifest m = io.donorstream.artifact.ModelArtifact.readVerified(r.dir("donors", "1"));
    assertThat(m.name).as("the registry's name, so requests and announcements match it").isEqualTo("donors");
    assertThat(m.version).isEqualTo("1");
    assertThat(run("models", "register", "donors", trained.toString(), "--registry", reg)).contains("donors v2  candidate");
  }
}
