package io.donorstream.predict;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The per-cell CSV, one row per cell as it is scored (RFC 4180: fields holding a comma, quote or
 * line break are quoted, quotes doubled). Numbers carry 7 significant digits ({@link DecimalText}).
 * Missing values (a calibration the artifact lacks) are empty fields.
 */
public final class PredictionCsv implements AutoCloseable {
  private final Writer out;
  private final int topK;
  private final StringBuilder row = new StringBuilder(1 << 17);

  public PredictionCsv(Writer out, int topK) {
    this.out = out;
    this.topK = topK;
    row.append(PredictionColumns.CELL_ID);
    for (String c : PredictionColumns.perCell(topK)) row.append(',').append(c);
    endRow();
  }

  public static PredictionCsv create(Path file, int topK) {
    try {
      return new PredictionCsv(new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16), topK);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public void write(ScoredCell c) {
    field(c.cellId());
    row.append(',');
    field(c.score().predictedDonor());
    row.append(',');
    DecimalText.append(row, c.score().confidence());
    row.append(',');
    if (!Float.isNaN(c.calibratedConfidence())) DecimalText.append(row, c.calibratedConfidence());
    row.append(',').append(c.score().unknownDonor());
    String[] top = c.score().topDonors();
    float[] p = c.score().topProbabilities();
    for (int r = 0; r < topK; r++) {
      row.append(',');
      if (r < top.length) field(top[r]);
      row.append(',');
      if (r < top.length) DecimalText.append(row, p[r]);
    }
    endRow();
  }

  private void field(String v) {
    if (v == null) return;
    boolean quote = false;
    for (int i = 0; i < v.length() && !quote; i++) {
      char ch = v.charAt(i);
      quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
    }
    if (!quote) {
      row.append(v);
      return;
    }
    row.append('"');
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      if (ch == '"') row.append('"');
      row.append(ch);
    }
    row.append('"');
  }

  /** Rows gather in the builder and go to the writer some 64 K characters at a time. */
  private void endRow() {
    row.append('\n');
    if (row.length() >= 1 << 16) drain();
  }

  private void drain() {
    try {
      out.append(row);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the predictions CSV", e);
    }
    row.setLength(0);
  }

  @Override
  public void close() {
    drain();
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the predictions CSV", e);
    }
  }
}
