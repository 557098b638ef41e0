package io.donorstream.tune;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/**
 * trials.csv, the study's durable log, from which a killed study resumes. Columns:
 * {@code trial,state,value,seconds,<parameters in space order>,intermediate}, intermediate being the
 * per-epoch values joined with ';'. Doubles are written with Double.toString, which round-trips exactly.
 *
 * <p>Only newline-terminated lines count: a kill in the middle of a write leaves at most an unterminated
 * tail, which {@link #read} ignores and {@link #append} cuts off before writing, so the log never holds a
 * half line. Logs are small (one line per trial), so both methods simply read the whole file.
 */
public final class TrialsCsv {
  private static final List<String> LEADING = List.of("trial", "state", "value", "seconds");
  private static final String TRAILING = "intermediate";

  private TrialsCsv() {}

  /** The header columns for {@code space}. */
  public static List<String> header(SearchSpace space) {
    var columns = new ArrayList<>(LEADING);
    for (String name : space.names()) {
      if (LEADING.contains(name) || name.equals(TRAILING)) throw new IllegalArgumentException("parameter '" + name + "' clashes with a trials.csv column");
      columns.add(name);
    }
    columns.add(TRAILING);
    return columns;
  }

  /** Every complete trial line; empty if the file is missing or holds no complete header yet. */
  public static List<Trial> read(Path csv, SearchSpace space) {
    if (!Files.exists(csv)) return List.of();
    try {
      List<String> lines = completeLines(Files.readAllBytes(csv));
      if (lines.isEmpty()) return List.of();
      checkHeader(csv, lines.get(0), space);
      var trials = new ArrayList<Trial>();
      for (int i = 1; i < lines.size(); i++) if (!lines.get(i).isBlank()) trials.add(parse(csv, i + 1, lines.get(i), space));
      return trials;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv, e);
    }
  }

  /** Appends one trial (and the header if the file has none), forced to disk before returning. */
  public static void append(Path csv, SearchSpace space, Trial t) {
    try {
      Path parent = csv.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      try (FileChannel ch = FileChannel.open(csv, CREATE, READ, WRITE)) {
        byte[] existing = readAll(ch);
        int end = completeLength(existing);
        if (end < existing.length) ch.truncate(end);
        var out = new StringBuilder();
        if (end == 0) out.append(String.join(",", header(space))).append('\n');
        else checkHeader(csv, completeLines(existing).get(0), space);
        out.append(format(space, t)).append('\n');
        ByteBuffer buf = UTF_8.encode(out.toString());
        long pos = end;
        while (buf.hasRemaining()) pos += ch.write(buf, pos);
        ch.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append trial " + t.number() + " to " + csv, e);
    }
  }

  private static String format(SearchSpace space, Trial t) {
    var fields = new ArrayList<String>();
    fields.add(Integer.toString(t.number()));
    fields.add(t.state().name());
    fields.add(Double.toString(t.value()));
    fields.add(Double.toString(t.seconds()));
    for (String name : space.names()) {
      Double v = t.params().get(name);
      fields.add(v == null ? "" : v.toString());
    }
    fields.add(t.intermediate().stream().map(String::valueOf).collect(Collectors.joining(";")));
    return String.join(",", fields);
  }

  private static Trial parse(Path csv, int lineNumber, String line, SearchSpace space) {
    String[] f = line.split(",", -1);
    List<String> names = space.names();
    if (f.length != names.size() + 5) {
      throw new IllegalArgumentException(csv + " line " + lineNumber + " has " + f.length + " fields, expected " + (names.size() + 5) + ": " + line);
    }
    try {
      var params = new LinkedHashMap<String, Double>();
      for (int i = 0; i < names.size(); i++) if (!f[4 + i].isEmpty()) params.put(names.get(i), Double.parseDouble(f[4 + i]));
      String curve = f[f.length - 1];
      List<Double> intermediate = curve.isEmpty() ? List.of() : Arrays.stream(curve.split(";")).map(Double::valueOf).toList();
      return new Trial(Integer.parseInt(f[0]), Trial.State.valueOf(f[1]), params, Double.parseDouble(f[2]), Double.parseDouble(f[3]), intermediate);
    } catch (IllegalArgumentException e) { // NumberFormatException and unknown states alike
      throw new IllegalArgumentException(csv + " line " + lineNumber + " is malformed (" + e.getMessage() + "): " + line, e);
    }
  }

  // Resuming under a different search space would mix two studies in one log and one TPE history.
  private static void checkHeader(Path csv, String headerLine, SearchSpace space) {
    List<String> actual = List.of(headerLine.split(",", -1));
    List<String> expected = header(space);
    if (actual.equals(expected)) return;
    boolean shaped = actual.size() >= LEADING.size() + 1 && actual.subList(0, LEADING.size()).equals(LEADING)
        && actual.get(actual.size() - 1).equals(TRAILING);
    if (!shaped) throw new IllegalArgumentException(csv + " is not a trials.csv: header " + actual + ", expected " + expected);
    throw new IllegalArgumentException(csv + " has parameter columns " + actual.subList(LEADING.size(), actual.size() - 1)
        + " but the search space has " + space.names() + "; resuming would mix two different searches in one study,"
        + " so use a new study directory or the original search space");
  }

  private static List<String> completeLines(byte[] bytes) {
    String text = new String(bytes, 0, completeLength(bytes), UTF_8);
    if (text.isEmpty()) return List.of();
    var lines = new ArrayList<String>();
    for (String l : text.split("\n", -1)) lines.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
    lines.remove(lines.size() - 1); // the empty string after the final '\n'
    return lines;
  }

  /** Bytes up to and including the last '\n'. */
  private static int completeLength(byte[] bytes) {
    int i = bytes.length;
    while (i > 0 && bytes[i - 1] != '\n') i--;
    return i;
  }

  private static byte[] readAll(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(ch.size()));
    while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {}
    return Arrays.copyOf(buf.array(), buf.position());
  }
}
