package io.donorstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in README.md, docs/ and deploy/ reaches something: a file or directory that
 * exists, and for {@code #anchor}s a heading of the target page, by GitHub's rules. The README was
 * split into docs/ pages that link to each other's sections; a renamed heading or a moved page shows
 * here, not as a dead link a reader finds. Web links (http, https, mailto) are not checked.
 */
class DocsLinksTest {
  /** The repository root: tests run in the module's directory (flink-jobs/). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** [text](target) and ![alt](target), with an optional "title"; the text may hold one level of brackets. */
  private static final Pattern INLINE_LINK = Pattern.compile("!?\\[((?:[^\\[\\]]|\\[[^\\[\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  /** [label]: target (reference definitions). */
  private static final Pattern REFERENCE_DEFINITION = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+\"[^\"]*\")?\\s*$");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"|\\sid=\"([^\"]+)\"");

  @Test
  void everyRelativeLinkInReadmeDocsAndDeployResolves() {
    List<Path> pages = markdownFiles(ROOT);
    assertThat(pages).as("README.md and docs/*.md found under " + ROOT)
        .contains(ROOT.resolve("README.md"), ROOT.resolve("docs/architecture.md"));
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    for (Path page : pages) broken.addAll(brokenLinks(ROOT, page, anchors));
    assertThat(broken).as("broken links (file: target -> why)").isEmpty();
  }

  @Test
  void theCheckFindsWhatItShould(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("docs/figures"));
    Files.writeString(dir.resolve("docs/figures/a.png"), "png");
    Files.writeString(dir.resolve("docs/guide.md"), String.join("\n",
        "# Guide", "## score — the ScoringJob", "## Metric names (contract)", "## Repeated", "## Repeated",
        "```", "## not a heading", "```", "<a name=\"custom\"></a>"));
    Files.writeString(dir.resolve("README.md"), String.join("\n",
        "# Top",
        "[ok](docs/guide.md) [ok](docs/guide.md#score--the-scoringjob) [ok](docs/guide.md#metric-names-contract)",
        "[ok](docs/guide.md#repeated-1) [ok](docs/figures/) ![ok](docs/figures/a.png) [ok](#top) [ok](docs/guide.md#custom)",
        "[web](https://example.org/x.md) [mail](mailto:a@b.c) `[code](nothere.md)`",
        "```", "[fenced](nothere.md)", "```",
        "[missing](docs/nothere.md) ![missing](docs/figures/b.png) [bad anchor](docs/guide.md#not-a-heading)",
        "[bad self](#nowhere) [ref]: docs/gone.md"));
    Files.writeString(dir.resolve("docs/refs.md"), "[x][y]\n\n[y]: ../docs/gone-too.md\n");
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    for (Path page : markdownFiles(dir)) broken.addAll(brokenLinks(dir, page, anchors));
    assertThat(broken).hasSize(5).anySatisfy(b -> assertThat(b).contains("docs/nothere.md"))
        .anySatisfy(b -> assertThat(b).contains("docs/figures/b.png"))
        .anySatisfy(b -> assertThat(b).contains("#not-a-heading"))
        .anySatisfy(b -> assertThat(b).contains("#nowhere"))
        .anySatisfy(b -> assertThat(b).contains("gone-too.md"));
  }

  @Test
  void headingsBecomeGitHubSlugs() {
    assertThat(slug("score — the ScoringJob")).isEqualTo("score--the-scoringjob");
    assertThat(slug("Kafka records (contract; module `schemas`)")).isEqualTo("kafka-records-contract-module-schemas");
    assertThat(slug("The retrain service: retraining by reason, shadow, promotion")).isEqualTo("the-retrain-service-retraining-by-reason-shadow-promotion");
    assertThat(slug("Predict (`bench predict`)")).isEqualTo("predict-bench-predict");
    assertThat(slug("Jar, lib and settings")).isEqualTo("jar-lib-and-settings");
    assertThat(slug("[A link](x.md) and **bold**")).isEqualTo("a-link-and-bold");
  }

  // ---- the check ----

  /** README.md, docs/**.md and deploy/**.md under root, build outputs left out. */
  static List<Path> markdownFiles(Path root) {
    List<Path> files = new ArrayList<>();
    if (Files.isRegularFile(root.resolve("README.md"))) files.add(root.resolve("README.md"));
    for (String dir : List.of("docs", "deploy")) {
      Path d = root.resolve(dir);
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> walk = Files.walk(d)) {
        walk.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
            .filter(p -> root.relativize(p).toString().replace('\\', '/').matches("(?!.*(^|/)(target|node_modules|\\.[^/]+)/).*"))
            .sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** One line per link of {@code page} that does not resolve: "page: target -> why". */
  static List<String> brokenLinks(Path root, Path page, Map<Path, Set<String>> anchorCache) {
    List<String> broken = new ArrayList<>();
    String text = withoutCode(read(page));
    List<String> targets = new ArrayList<>();
    Matcher m = INLINE_LINK.matcher(text);
    while (m.find()) targets.add(m.group(2));
    Matcher r = REFERENCE_DEFINITION.matcher(text);
    while (r.find()) targets.add(r.group(1));
    String name = root.relativize(page).toString().replace('\\', '/');
    for (String target : targets) {
      if (target.isEmpty() || SCHEME.matcher(target).find() || target.startsWith("//")) continue;
      int hash = target.indexOf('#');
      String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
      String anchor = hash < 0 ? null : URLDecoder.decode(target.substring(hash + 1), StandardCharsets.UTF_8);
      Path resolved = path.isEmpty() ? page : path.startsWith("/") ? root.resolve(path.substring(1)) : page.getParent().resolve(path);
      resolved = resolved.normalize();
      if (!Files.exists(resolved)) {
        broken.add(name + ": " + target + " -> no such file or directory " + root.relativize(resolved));
        continue;
      }
      if (anchor == null || anchor.isEmpty() || !resolved.toString().endsWith(".md") || Files.isDirectory(resolved)) continue;
      Set<String> known = anchorCache.computeIfAbsent(resolved, p -> anchors(read(p)));
      if (!known.contains(anchor.toLowerCase(Locale.ROOT))) {
        broken.add(name + ": " + target + " -> no heading #" + anchor + " in " + root.relativize(resolved));
      }
    }
    return broken;
  }

  /** The anchors GitHub gives a page: one per heading (repeats get -1, -2, ...), plus HTML name/id attributes. */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : proseLines(markdown)) {
      Matcher h = HEADING.matcher(line);
      if (h.matches()) {
        String s = slug(h.group(2));
        int n = seen.merge(s, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? s : s + "-" + n);
      }
      Matcher a = HTML_ANCHOR.matcher(line);
      while (a.find()) anchors.add((a.group(1) != null ? a.group(1) : a.group(2)).toLowerCase(Locale.ROOT));
    }
    return anchors;
  }

  /**
   * GitHub's heading anchor: the heading's text (links reduced to their text, code to its content),
   * lower case, every character that is not a letter, digit, space, hyphen or underscore dropped,
   * spaces turned into hyphens.
   */
  static String slug(String heading) {
    String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
    StringBuilder out = new StringBuilder();
    text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
      if (c == ' ') out.append('-');
      else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') out.appendCodePoint(c);
    });
    return out.toString();
  }

  /** The page without fenced code blocks and inline code spans, whose brackets are not links. */
  static String withoutCode(String markdown) {
    StringBuilder out = new StringBuilder();
    for (String line : proseLines(markdown)) out.append(line.replaceAll("(`+)(?:(?!\\1).)+?\\1", "")).append('\n');
    return out.toString();
  }

  /** The page's lines with fenced code blocks (and their fences) blank: what renders as prose, line for line. */
  static List<String> proseLines(String markdown) {
    List<String> out = new ArrayList<>();
    boolean inFence = false;
    String fence = null;
    for (String line : markdown.split("\n", -1)) {
      Matcher f = FENCE.matcher(line);
      if (f.find()) {
        String marker = f.group(1);
        if (!inFence) {
          inFence = true;
          fence = marker.substring(0, 1);
        } else if (marker.startsWith(fence)) {
          inFence = false;
        }
        out.add("");
        continue;
      }
      out.add(inFence ? "" : line);
    }
    return out;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
