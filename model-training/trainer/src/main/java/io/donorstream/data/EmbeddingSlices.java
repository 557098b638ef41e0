package io.donorstream.data;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Rows of an {@code obsm} embedding read a block at a time, so memory follows the block and not the
 * file. A contiguous float dataset (what anndata and our writer produce without compression) is
 * read with one file read per block: jHDF's own slicing issues one read per row there. Chunked
 * (compressed) and integer datasets go through jHDF's slicing, which decompresses only the chunks
 * a block touches.
 */
public final class EmbeddingSlices {
  private final H5adFile h5;
  private final String key;
  private final Dataset ds;
  private final long rows;
  private final int width;
  /** Set for the one-read path: where the values start and how they are stored. */
  private final long address;
  private final int valueBytes;
  private final java.nio.ByteOrder order;

  private EmbeddingSlices(H5adFile h5, String key) {
    this.h5 = h5;
    this.key = key;
    this.ds = h5.embeddingDataset(key);
    long[] dims = ds.getDimensionsAsLong();
    this.rows = dims[0];
    this.width = Math.toIntExact(dims[1]);
    boolean direct = ds instanceof ContiguousDataset c && !ds.isEmpty() && ds.getDataType() instanceof FloatingPoint fp
        && (fp.getSize() == 4 || fp.getSize() == 8);
    this.address = direct ? ((ContiguousDataset) ds).getDataAddress() : -1;
    this.valueBytes = direct ? ds.getDataType().getSize() : 0;
    this.order = direct ? ((FloatingPoint) ds.getDataType()).getByteOrder() : null;
  }

  public static EmbeddingSlices of(H5adFile h5, String key) {
    return new EmbeddingSlices(h5, key);
  }

  public String key() {
    return key;
  }

  public long rows() {
    return rows;
  }

  public int width() {
    return width;
  }

  public Path path() {
    return h5.path();
  }

  /** Rows {@code from} to {@code from + count} (exclusive), row-major, as floats (doubles are narrowed as the whole-file reader does). */
  public float[] rows(long from, int count) {
    if (from < 0 || count < 0 || from + count > rows) {
      throw new IllegalArgumentException("rows " + from + ".." + (from + count) + " outside 0.." + rows);
    }
    float[] out = new float[Math.multiplyExact(count, width)];
    if (count == 0 || width == 0) return out;
    if (address >= 0) {
      long rowBytes = (long) width * valueBytes;
      ByteBuffer bytes = h5.read(address + from * rowBytes, Math.toIntExact(count * rowBytes)).order(order);
      if (valueBytes == 4) {
        bytes.asFloatBuffer().get(out);
      } else {
        var doubles = bytes.asDoubleBuffer();
        for (int i = 0; i < out.length; i++) out[i] = (float) doubles.get(i);
      }
      return out;
    }
    Object block = ds.getData(new long[] {from, 0}, new int[] {count, width});
    for (int r = 0; r < count; r++) {
      float[] row = Arrays2.toFloats(java.lang.reflect.Array.get(block, r));
      System.arraycopy(row, 0, out, r * width, width);
    }
    return out;
  }
}
