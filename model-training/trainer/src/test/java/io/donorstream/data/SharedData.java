package io.donorstream.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real files in {@code ../shared/data}; tests that need them skip, saying why, when absent. */
public final class SharedData {
  private SharedData() {}

  public static Path onek1k() {
    return require(Path.of("..", "..", "shared", "data", "onek1k", "onek1k-a.h5ad"));
  }

  public static Path cellOntology() {
    return require(Path.of("..", "..", "shared", "data", "cell-ontology", "cl-terms.json"));
  }

  private static Path require(Path fromModule) {
    Path p = fromModule.toAbsolutePath().normalize();
    assumeTrue(Files.exists(p), "real data not available: " + p + " is missing (clone the project with ../shared beside it to run this test)");
    return p;
  }
}
