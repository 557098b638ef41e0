package io.donorstream.data;

import io.jhdf.api.Dataset;
import io.jhdf.dataset.CompactDataset;
import java.nio.file.Path;

/**
 * One {@code obs} column read a slice of cells at a time: a categorical's codes are sliced and its
 * categories (few) read once; a plain string or numeric column is sliced. Missing categorical
 * values (code -1) are {@code null}; numbers are rendered as text.
 */
public final class ObsColumnSlices {
  /** The dataset to slice and, for a categorical, its categories (null for a plain column). */
  record Parts(Dataset values, String[] categories) {}

  private final Path file;
  private final String name;
  private final Dataset values;
  private final String[] categories;
  private final long rows;

  ObsColumnSlices(Path file, String name, Parts parts) {
    this.file = file;
    this.name = name;
    this.values = parts.values();
    this.categories = parts.categories();
    long[] dims = values.getDimensionsAsLong();
    if (dims.length != 1) {
      throw new H5adException(file, "obs column '" + name + "' has shape " + java.util.Arrays.toString(dims) + ", expected one value per cell");
    }
    this.rows = dims[0];
  }

  public static ObsColumnSlices of(H5adFile h5, String name) {
    return new ObsColumnSlices(h5.path(), name, h5.obsColumnParts(name));
  }

  public long rows() {
    return rows;
  }

  public String[] all() {
    return slice(0, Math.toIntExact(rows));
  }

  /** Values of cells {@code from} to {@code from + count} (exclusive). */
  public String[] slice(long from, int count) {
    if (count == 0) return new String[0];
    Object data = read(from, count);
    if (categories != null) return decode(data, from);
    if (data instanceof String[] s) return s;
    String[] out = new String[count];
    for (int i = 0; i < count; i++) out[i] = String.valueOf(java.lang.reflect.Array.get(data, i));
    return out;
  }

  private Object read(long from, int count) {
    if (values instanceof CompactDataset) {
      // Compact datasets (at most 64 KB, inside the object header) cannot be sliced; they are small.
      Object all = values.getData();
      Object part = java.lang.reflect.Array.newInstance(all.getClass().getComponentType(), count);
      System.arraycopy(all, Math.toIntExact(from), part, 0, count);
      return part;
    }
    return values.getData(new long[] {from}, new int[] {count});
  }

  private String[] decode(Object codesData, long from) {
    long[] codes = Arrays2.toLongs(codesData);
    String[] out = new String[codes.length];
    for (int i = 0; i < codes.length; i++) {
      long c = codes[i];
      if (c >= categories.length) {
        throw new H5adException(file, "obs column '" + name + "' row " + (from + i) + " has code " + c + " but only " + categories.length
            + " categories");
      }
      out[i] = c < 0 ? null : categories[(int) c];
    }
    return out;
  }
}
