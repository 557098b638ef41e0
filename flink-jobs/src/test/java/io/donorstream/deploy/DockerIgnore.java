package io.donorstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A .dockerignore as Docker reads it (moby/patternmatcher: ignorefile.ReadAll, then
 * MatchesOrParentMatches): one pattern a line, '#' comments, a leading '/' and a trailing '/'
 * dropped, "**" any number of directories, "*" and "?" within one name; a pattern matches a path or
 * any of its parent directories; '!' re-includes; the last matching pattern wins.
 */
final class DockerIgnore {
  private record Rule(Pattern regex, boolean exception) {}

  private final List<Rule> rules = new ArrayList<>();

  static DockerIgnore read(Path file) {
    try {
      return of(Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DockerIgnore of(List<String> lines) {
    DockerIgnore d = new DockerIgnore();
    for (String line : lines) {
      String p = line.trim();
      if (p.isEmpty() || p.startsWith("#")) continue;
      boolean exception = p.startsWith("!");
      if (exception) p = p.substring(1).trim();
      p = p.replaceAll("^/+", "").replaceAll("/+$", "");
      d.rules.add(new Rule(Pattern.compile(regex(p)), exception));
    }
    return d;
  }

  /** Whether the build context leaves this path (slash-separated, relative to the context) out. */
  boolean excludes(String path) {
    boolean excluded = false;
    for (Rule r : rules) {
      if (r.exception() != excluded) continue; // as patternmatcher: only a rule that could flip the answer is tried
      if (matchesOrParent(r.regex(), path)) excluded = !r.exception();
    }
    return excluded;
  }

  private static boolean matchesOrParent(Pattern p, String path) {
    if (p.matcher(path).matches()) return true;
    for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
      if (p.matcher(path.substring(0, i)).matches()) return true;
    }
    return false;
  }

  private static String regex(String pattern) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
        i++;
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') i++;
        re.append(i + 1 == pattern.length() ? ".*" : "(.*/)?");
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
