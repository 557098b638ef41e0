package io.donorstream.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real files in {@code ../shared/data}; tests that need them skip, saying why, when absent. */
public final class SharedData {
  private SharedData() {}

  public static Path onek1k() {
    return require(Path.of("onek1k", "onek1k-a.h5ad"));
  }

  public static Path cellOntology() {
    return require(Path.of("cell-ontology", "cl-terms.json"));
  }

  /** {@code shared/data} beside the project root (the folder holding the {@code donorstream} launcher). */
  static Path sharedData() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("donorstream"))) dir = dir.getParent();
    Path root = dir != null ? dir : Path.of("").toAbsolutePath();
    return root.resolveSibling("shared").resolve("data");
  }

  private static Path require(Path inSharedData) {
    Path p = sharedData().resolve(inSharedData).normalize();
    assumeTrue(Files.exists(p), "real data not available: " + p + " is missing (clone the project with ../shared beside it to run this test)");
    return p;
  }
}
