package io.donorstream.data.hdf5;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Strings of one dataset (cell ids) appended as they come, to a temporary file; HDF5's fixed-length
 * strings need the longest one's length before the first is written, so {@link #source()} re-reads
 * them and pads each to that length. Memory: two stream buffers, whatever the number of strings.
 */
public final class StringSpill implements AutoCloseable {
  private final Path file;
  private final DataOutputStream out;
  private long count;
  private int maxBytes;

  public StringSpill(Path dir, String name) {
    try {
      this.file = Files.createTempFile(dir, name, ".spill");
      this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file in " + dir, e);
    }
  }

  public void put(String s) {
    byte[] b = Hdf5Types.utf8(s);
    try {
      out.writeInt(b.length);
      out.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    count++;
    maxBytes = Math.max(maxBytes, b.length);
  }

  public long count() {
    return count;
  }

  /** The fixed-length type that holds every string written. */
  public Hdf5Types.Type type() {
    return Hdf5Types.fixedString(maxBytes);
  }

  public Hdf5Tree.Source source() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    int size = type().size();
    long n = count;
    return new Hdf5Tree.Source() {
      @Override
      public long bytes() {
        return n * size;
      }

      @Override
      public void writeTo(FileChannel target) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.max(size, 1 << 16));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
          for (long i = 0; i < n; i++) {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            if (buf.remaining() < size) drain(buf, target);
            Hdf5Types.putFixed(buf, b, size);
          }
        }
        drain(buf, target);
      }
    };
  }

  private static void drain(ByteBuffer buf, FileChannel target) throws IOException {
    buf.flip();
    while (buf.hasRemaining()) target.write(buf);
    buf.clear();
  }

  /** Deletes the temporary file. */
  @Override
  public void close() {
    try {
      out.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }
}
