package io.donorstream.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs Python snippets with Debian's /usr/bin/python3, for checks that our files open in anndata. */
public final class PythonAnndata {
  private PythonAnndata() {}

  /** The exit code and combined output of a snippet. */
  public record Result(int exit, String text) {}

  /** Skips the calling test, saying why, when /usr/bin/python3 cannot import anndata. */
  public static void assumeAvailable() {
    assumeTrue(run("import anndata").exit == 0,
        "Python anndata not installed (apt-get install python3-anndata); .ci/run installs it");
  }

  public static Result run(String code) {
    Process p;
    try {
      p = new ProcessBuilder("/usr/bin/python3", "-c", code).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      return new Result(-1, e.getMessage());
    }
    try {
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-2, "timed out: " + text);
      }
      return new Result(p.exitValue(), text);
    } catch (java.io.IOException | InterruptedException e) {
      p.destroyForcibly();
      return new Result(-3, e.toString());
    }
  }
}
