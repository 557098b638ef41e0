package io.donorstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every command answers a user mistake (a bad option, a missing file, a directory that is not a
 * model) with one {@code error: …} line and a non-zero exit code, never a stack trace.
 */
class CliErrorsTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "frobnicate",
      "demo --bogus",
      "kafka --port 70000",
      "generate --preset nope --out target/never.h5ad",
      "train --data /nonexistent.h5ad --embedding-key X_pca --model vanilla --out target/never",
      "train --data /nonexistent.h5ad",
      "publish --data /nonexistent.h5ad --embedding-key X_pca",
      "publish --data /nonexistent.h5ad --embedding-key X_pca --kafka-config /nonexistent.properties",
      "score --model /nonexistent --kafka-config /nonexistent.properties",
      "models promote --to champion vanilla 1 --kafka-config /nonexistent.properties",
      "score --model /nonexistent",
      "predict --model /nonexistent --data /nonexistent.h5ad --out target/never",
      "predict --model /nonexistent --data /nonexistent.h5ad --out target/never --cells /nonexistent.txt",
      "predict --model /nonexistent --data /nonexistent.h5ad --out target/never --batch-size 0",
      "bench predict --rounds 0",
      "score --embedding-width 0",
      "score --model /nonexistent -D scoring.nope=1",
      "bench training --epochs 1",
      "bench scoring --batch-size 0",
      "bench scoring --model forest",
      "compare --data x",
      "compare --data /nonexistent.h5ad --embedding-key X_pca --out target/never",
      "compare --data /nonexistent.h5ad --embedding-key X_pca --out target/never --seeds 0",
      "tune",
      "tune --data /nonexistent.h5ad --embedding-key X_pca --model vanilla --trials 3 --out target/never",
      "tune --data /nonexistent.h5ad --embedding-key X_pca --model forest --trials 3 --out target/never",
      "train --data /nonexistent.h5ad --embedding-key X_pca --model vanilla --params /nonexistent/best.json --out target/never",
      "monitor -D monitor.nope=1",
      "monitor -D monitor.slide-millis=7000",
      "monitor --bootstrap 127.0.0.1:1",
      "monitor --model /nonexistent",
      "models",
      "models show nope --registry target/no-registry",
      "models promote --to sideways vanilla 1",
      "retrain-service --archive target/no-archive --registry target/no-registry"})
  void aUserMistakeIsOneErrorLineAndANonZeroExit(String command) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Donorstream.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(command.split(" "));

    assertThat(code).as("exit code of '%s'", command).isNotZero();
    List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as("stderr of '%s'", command).hasSize(1);
    assertThat(lines.get(0)).startsWith("error: ").doesNotContain("Exception");
    assertThat(out.toString()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /** Every command and subcommand answers --help with its usage, exit 0, and no picocli warning (e.g. an unescaped '%'). */
  @org.junit.jupiter.api.Test
  void everyCommandPrintsItsHelp() {
    java.io.PrintStream systemErr = System.err;
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(warnings, true));
    try {
      List<String> paths = new java.util.ArrayList<>();
      collect(Donorstream.commandLine(), "", paths);
      assertThat(paths).contains("train", "bench scoring", "models list");
      for (String path : paths) {
        StringWriter out = new StringWriter();
        CommandLine cl = Donorstream.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        int code = cl.execute((path + " --help").split(" "));
        assertThat(code).as("exit code of '%s --help'", path).isZero();
        assertThat(out.toString()).as("'%s --help'", path).startsWith("Usage: donorstream " + path);
      }
    } finally {
      System.setErr(systemErr);
    }
    assertThat(warnings.toString()).as("picocli's warnings").doesNotContain("WARN");
  }

  private static void collect(CommandLine cl, String prefix, List<String> paths) {
    cl.getSubcommands().forEach((name, sub) -> {
      if (!name.equals(sub.getCommandName())) return; // an alias
      String path = prefix.isEmpty() ? name : prefix + " " + name;
      paths.add(path);
      collect(sub, path, paths);
    });
  }
}
