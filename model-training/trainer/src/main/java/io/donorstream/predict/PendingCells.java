package io.donorstream.predict;

import io.donorstream.data.CellChunk;
import java.util.Arrays;

/**
 * Cells read but not yet scored, so that the scorer always gets whole batches whatever the
 * chunks' sizes or the cells a filter keeps: batches of a multiple of 1,024 cells then match the
 * batches {@code train} scored its test cells in, to the bit. Holds at most a chunk plus a batch.
 */
final class PendingCells {
  private final int width;
  private String[] ids = new String[0];
  private String[] types = new String[0];
  private String[] donors = new String[0];
  private String[] sexes = new String[0];
  private float[] embedding = new float[0];
  private int size;

  PendingCells(int width) {
    this.width = width;
  }

  int size() {
    return size;
  }

  /** Appends the chunk's cells whose {@code keep} is true ({@code keep} null: all). */
  void append(CellChunk c, boolean[] keep) {
    int n = 0;
    for (int i = 0; i < c.size(); i++) if (keep == null || keep[i]) n++;
    ensure(size + n);
    for (int i = 0; i < c.size(); i++) {
      if (keep != null && !keep[i]) continue;
      ids[size] = c.cellIds()[i];
      types[size] = c.cellTypes()[i];
      donors[size] = c.donorIds() == null ? null : c.donorIds()[i];
      sexes[size] = c.sexes() == null ? null : c.sexes()[i];
      System.arraycopy(c.embedding(), i * width, embedding, size * width, width);
      size++;
    }
  }

  /** The first {@code n} cells, removed from the buffer. */
  Batch take(int n) {
    Batch b = new Batch(Arrays.copyOf(ids, n), Arrays.copyOf(types, n), Arrays.copyOf(donors, n), Arrays.copyOf(sexes, n),
        Arrays.copyOf(embedding, n * width));
    int rest = size - n;
    System.arraycopy(ids, n, ids, 0, rest);
    System.arraycopy(types, n, types, 0, rest);
    System.arraycopy(donors, n, donors, 0, rest);
    System.arraycopy(sexes, n, sexes, 0, rest);
    System.arraycopy(embedding, n * width, embedding, 0, rest * width);
    for (String[] a : new String[][] {ids, types, donors, sexes}) Arrays.fill(a, rest, size, null);
    size = rest;
    return b;
  }

  record Batch(String[] ids, String[] types, String[] donors, String[] sexes, float[] embedding) {
    int size() {
      return ids.length;
    }
  }

  private void ensure(int capacity) {
    if (capacity <= ids.length) return;
    int c = Math.max(capacity, ids.length + ids.length / 2);
    ids = Arrays.copyOf(ids, c);
    types = Arrays.copyOf(types, c);
    donors = Arrays.copyOf(donors, c);
    sexes = Arrays.copyOf(sexes, c);
    embedding = Arrays.copyOf(embedding, Math.multiplyExact(c, width));
  }
}
