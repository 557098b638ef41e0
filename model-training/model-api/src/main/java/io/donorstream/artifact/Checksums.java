package io.donorstream.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code SHA256SUMS} in the format of {@code sha256sum}, so users can check it with that tool. */
public final class Checksums {
  public static final String FILE = "SHA256SUMS";

  private Checksums() {}

  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes SHA256SUMS for the given files of {@code dir}; returns the SHA-256 of SHA256SUMS itself. */
  public static String write(Path dir, List<String> files) {
    StringBuilder sb = new StringBuilder();
    for (String f : files) sb.append(sha256(dir.resolve(f))).append("  ").append(f).append('\n');
    try {
      Files.writeString(dir.resolve(FILE), sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
    }
    return sha256(dir.resolve(FILE));
  }

  /** The files {@code SHA256SUMS} lists, with their expected hashes, in its order. */
  static Map<String, String> read(Path dir) {
    Path sums = dir.resolve(FILE);
    if (!Files.exists(sums)) throw new ArtifactException(dir + ": no " + FILE + " file; not a donorstream model artifact");
    Map<String, String> expected = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
        if (line.isBlank()) continue;
        String[] parts = line.split("\\s+\\*?", 2);
        if (parts.length != 2) throw new ArtifactException(sums + ": malformed line '" + line + "'");
        expected.put(parts[1].trim(), parts[0]);
      }
    } catch (IOException e) {
      throw new ArtifactException("cannot read " + sums + ": " + e.getMessage(), e);
    }
    return expected;
  }

  public static java.util.Set<String> listed(Path dir) {
    return read(dir).keySet();
  }

  /**
   * Checks every listed file once (each is read and hashed once); the first mismatch or missing
   * file is an {@link ArtifactException}; {@code required} files must be listed.
   */
  public static Map<String, String> verify(Path dir, List<String> required) {
    Path sums = dir.resolve(FILE);
    Map<String, String> expected = read(dir);
    for (String f : required) {
      if (!expected.containsKey(f)) throw new ArtifactException(sums + " does not list " + f);
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (!Files.exists(file)) throw new ArtifactException(dir + ": " + e.getKey() + " is listed in " + FILE + " but missing");
      String actual = sha256(file);
      if (!actual.equals(e.getValue())) {
        throw new ArtifactException(dir + ": checksum mismatch for " + e.getKey() + " (expected " + e.getValue() + ", found "
            + actual + "); the artifact was changed after it was written");
      }
    }
    return expected;
  }
}
