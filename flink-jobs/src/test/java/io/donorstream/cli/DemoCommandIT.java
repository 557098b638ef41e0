package io.donorstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.artifact.Checksums;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, end to end: data, training, a real broker, publish, score, monitor (the exit code checks every cell was answered and every labelled one archived). */
class DemoCommandIT {
  @TempDir Path dir;

  @Test
  void demoRunsEveryBuiltStageAndLeavesAVerifiedModel() throws Exception {
    int code = Donorstream.commandLine().execute("demo", "--work-dir", dir.toString());
    assertThat(code).isZero();
    Path model = dir.resolve("models/vanilla/1");
    assertThat(Files.exists(model.resolve(Checksums.FILE))).isTrue();
    assertThat(Files.exists(model.resolve("metrics.json"))).isTrue();
    try (var days = Files.list(dir.resolve("archive"))) {
      assertThat(days.map(p -> p.getFileName().toString())).as("labelled cells archived by day").isNotEmpty().allMatch(n -> n.startsWith("day="));
    }
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("broker data removed").noneMatch(n -> n.startsWith("kafka-"));
    }
  }
}
