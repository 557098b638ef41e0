package io.donorstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --version answers on every command with the version in the parent pom, not a literal that drifts from it. */
class VersionTest {
  @Test
  void everyCommandPrintsTheProjectVersion() throws Exception {
    String expected = "donorstream " + pomVersion();
    CommandLine root = Donorstream.commandLine();
    List<CommandLine> all = new ArrayList<>();
    collect(root, all);
    assertThat(all).hasSizeGreaterThan(13);
    for (CommandLine cl : all) {
      StringWriter out = new StringWriter();
      cl.setOut(new PrintWriter(out));
      cl.printVersionHelp(new PrintWriter(out));
      assertThat(out.toString().trim()).as(cl.getCommandName()).isEqualTo(expected);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    root.setOut(new PrintWriter(out));
    root.setErr(new PrintWriter(err));
    assertThat(root.execute("train", "--version")).as(err.toString()).isZero();
    assertThat(out.toString().trim()).isEqualTo(expected);
  }

  private static void collect(CommandLine cl, List<CommandLine> all) {
    all.add(cl);
    for (CommandLine sub : cl.getSubcommands().values()) collect(sub, all);
  }

  private static String pomVersion() throws Exception {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("flink-jobs"))) dir = dir.getParent();
    Matcher m = Pattern.compile("<artifactId>donorstream-parent</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(dir.resolve("pom.xml")));
    assertThat(m.find()).as("the parent pom's version").isTrue();
    return m.group(1);
  }
}
