package io.donorstream.data;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.dataset.CompactDataset;
import io.jhdf.object.datatype.StringData;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;

/**
 * One {@code obs} column read a slice of cells at a time: a categorical's codes are sliced and its
 * categories (few) read once; a plain string or numeric column is sliced. Missing categorical
 * values (code -1) are {@code null}; numbers are rendered as text. Contiguous fixed-length
 * strings (what jHDF, and so {@code generate}, writes) are read in one read per slice and decoded
 * here, at a fraction of the cost of jHDF's decoding one string at a time.
 */
public final class ObsColumnSlices {
  /** The dataset to slice and, for a categorical, its categories (null for a plain column). */
  record Parts(Dataset values, String[] categories) {}

  private final H5adFile h5;
  private final String name;
  private final Dataset values;
  private final String[] categories;
  private final long rows;

  ObsColumnSlices(H5adFile h5, String name, Parts parts) {
    this.h5 = h5;
    this.name = name;
    this.values = parts.values();
    this.categories = parts.categories();
    long[] dims = values.getDimensionsAsLong();
    if (dims.length != 1) {
      throw new H5adException(h5.path(), "obs column '" + name + "' has shape " + java.util.Arrays.toString(dims) + ", expected one value per cell");
    }
    this.rows = dims[0];
  }

  public static ObsColumnSlices of(H5adFile h5, String name) {
    return new ObsColumnSlices(h5, name, h5.obsColumnParts(name));
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
    if (categories == null && values instanceof ContiguousDataset c && !values.isEmpty() && values.getDataType() instanceof StringData t) {
      return fixedStrings(c.getDataAddress(), t, from, count);
    }
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
        throw new H5adException(h5.path(), "obs column '" + name + "' row " + (from + i) + " has code " + c + " but only " + categories.length
            + " categories");
      }
      out[i] = c < 0 ? null : categories[(int) c];
    }
    return out;
  }

  /** Fixed-length strings {@code from..from+count}: one read, each element cut at its padding as jHDF cuts it. */
  private String[] fixedStrings(long address, StringData type, long from, int count) {
    int size = type.getSize();
    ByteBuffer b = h5.read(address + from * size, Math.multiplyExact(count, size));
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    Charset charset = type.getCharset();
    StringData.PaddingType padding = type.getPaddingType();
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      int start = i * size;
      int end = start + size;
      if (padding == StringData.PaddingType.NULL_TERMINATED) {
        int k = start;
        while (k < end && bytes[k] != 0) k++;
        end = k;
      } else {
        byte pad = padding == StringData.PaddingType.SPACE_PADDED ? (byte) ' ' : 0;
        while (end > start && bytes[end - 1] == pad) end--;
      }
      out[i] = new String(bytes, start, end - start, charset);
    }
    return out;
  }
}
